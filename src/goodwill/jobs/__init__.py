"""Background work on a job queue (Dramatiq over Redis), or in-process when no broker is set.

``queue`` sends jobs (falling back to the ``job_outbox`` table when Redis is down), ``tasks``
holds the handlers, ``worker`` runs them (``goodwill worker``), ``dead_letters`` keeps the jobs
that failed every retry for admins to see and retry, ``api`` serves /health and the dead letters.
"""
