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
    analyse_on_ingest: bool = Field(
        default=True, description="analyse new messages right after they are stored"
    )
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
