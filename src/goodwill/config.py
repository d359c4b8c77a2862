"""Configuration: environment variables (GOODWILL_*) and one optional TOML file.

Defaults give the embedded setup: a SQLite file under ``GOODWILL_HOME`` and no other service.
Nothing reads the environment at import time; call :func:`get_settings`.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "goodwill"


class Settings(BaseSettings):
    """Every setting Goodwill reads, with the environment variable that sets it."""

    model_config = SettingsConfigDict(env_prefix="GOODWILL_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="GOODWILL_HOME: state folder")
    database_url: str | None = Field(
        default=None, description="GOODWILL_DATABASE_URL; default sqlite file in GOODWILL_HOME"
    )
    redis_url: str | None = Field(default=None, description="GOODWILL_REDIS_URL; none = in-process")
    redis_namespace: str = Field(default="goodwill", description="prefix of the queue's keys")
    job_max_retries: int = Field(default=5, ge=0, description="retries before a dead letter")
    job_min_backoff_ms: int = Field(default=15_000, ge=1, description="first retry delay")
    job_max_backoff_ms: int = Field(default=3_600_000, ge=1, description="longest retry delay")
    job_heartbeat_timeout_ms: int = Field(
        default=60_000, ge=1000, description="a silent worker's jobs are redone after this"
    )
    job_maintenance_chance: int = Field(
        default=1000, ge=1, le=1_000_000, description="per million broker calls: requeue check"
    )
    job_outbox_poll_seconds: float = Field(
        default=10.0, gt=0, description="how often a worker sends work stored while Redis was down"
    )
    analysis_batch_size: int = Field(
        default=256, ge=1, le=10_000, description="messages a job analyses per transaction"
    )
    analysis_fan_out_jobs: int = Field(
        default=8,
        ge=0,
        le=256,
        description="helper jobs sharing one organisation's analysis backlog (PostgreSQL, queue)",
    )
    secret_key: SecretStr | None = Field(
        default=None, description="GOODWILL_SECRET_KEY; generated once into GOODWILL_HOME if unset"
    )
    data_dir: Path = Field(
        default=Path("../shared/data"),
        description="GOODWILL_DATA_DIR: the public data sets (optional, enriches the demo)",
    )
    log_level: str = "INFO"
    max_import_bytes: int = Field(default=2 * 1024**3, description="largest file import accepts")
    max_upload_bytes: int = Field(default=100 * 1024**2, description="largest HTTP import upload")
    session_days: int = 14
    secure_cookies: bool = Field(default=False, description="set true behind HTTPS")
    webhook_tolerance_seconds: int = 300
    request_statement_timeout_ms: int = Field(
        default=30_000,
        ge=0,
        description=(
            "PostgreSQL: a web or API request's SQL statement is stopped after this many ms and "
            "the request answered 503 (0: no limit)"
        ),
    )
    analyse_on_ingest: bool = Field(
        default=True, description="analyse new messages right after they are stored"
    )
    smtp_host: str = Field(default="localhost", description="GOODWILL_SMTP_HOST: outgoing mail")
    smtp_port: int = Field(default=25, description="GOODWILL_SMTP_PORT")
    smtp_from: str = Field(
        default="goodwill@localhost", description="GOODWILL_SMTP_FROM: sender of loop messages"
    )
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 10.0
    outbound_webhook_attempts: int = Field(default=4, ge=1, le=10)
    outbound_webhook_backoff_seconds: float = Field(default=0.5, ge=0)
    outbound_webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    config_file: Path | None = Field(default=None, description="GOODWILL_CONFIG: a TOML file")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = os.environ.get("GOODWILL_CONFIG")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml_path)))
        return tuple(sources)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'goodwill.sqlite3'}"

    def secret_key_bytes(self) -> bytes:
        """The server secret; generated and kept in GOODWILL_HOME on first use when unset."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.home / "secret_key"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()


@lru_cache(maxsize=1)
def get_settings(**overrides: Any) -> Settings:
    """The process-wide settings (cached); tests pass overrides or build Settings directly."""
    return Settings(**overrides)
