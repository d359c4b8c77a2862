"""Password hashing, tokens and the settings file."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill import security
from goodwill.config import Settings
from goodwill.errors import InvalidInput


def test_password_hash_is_argon2id_and_verifies() -> None:
    hashed = security.hash_password("a long enough passphrase")
    assert hashed.startswith("$argon2id$")
    assert security.verify_password(hashed, "a long enough passphrase")
    assert not security.verify_password(hashed, "a long enough passphrasE")
    assert not security.verify_password(None, "anything at all here")


@pytest.mark.parametrize("weak", ["short", "aaaaaaaaaaaaaaaa", " padded password "])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(InvalidInput, match="password"):
        security.hash_password(weak)


def test_tokens_are_random_and_stored_as_digest() -> None:
    a, b = security.new_token(), security.new_token()
    assert a != b
    assert a.startswith("gw_")
    assert len(a) >= 40
    assert security.token_digest(a) != a
    assert len(security.token_digest(a)) == 64


def test_secret_key_generated_once_and_private(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    first = settings.secret_key_bytes()
    assert first == Settings(home=tmp_path).secret_key_bytes()
    assert len(first) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_toml_config_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "goodwill.toml"
    config.write_text('database_url = "postgresql://db.internal/goodwill"\nsession_days = 3\n')
    monkeypatch.setenv("GOODWILL_CONFIG", str(config))
    monkeypatch.delenv("GOODWILL_DATABASE_URL", raising=False)
    settings = Settings()
    assert settings.effective_database_url == "postgresql://db.internal/goodwill"
    assert settings.session_days == 3
    monkeypatch.setenv("GOODWILL_SESSION_DAYS", "9")
    assert Settings().session_days == 9  # the environment wins over the file
