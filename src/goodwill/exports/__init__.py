"""Exports: records written in the import formats."""
