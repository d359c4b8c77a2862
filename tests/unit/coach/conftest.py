"""The coach as the product runs it (default reader), shared by the unit tests."""

from __future__ import annotations

import pytest

from goodwill.coach import Coach


@pytest.fixture(scope="session")
def coach() -> Coach:
    return Coach()
