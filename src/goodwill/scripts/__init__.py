"""Decision trees (seed 004): interactive scripts for service, cold calls and self-service."""
