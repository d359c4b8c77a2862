"""The audit log: who viewed, changed, exported or deleted what (admins read it)."""
