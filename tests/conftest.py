"""Shared test setup: the app's private data folder goes to a temporary folder, never the real one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def app_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("appdata")
    previous = os.environ.get("COUPA_DATA_DIR")
    os.environ["COUPA_DATA_DIR"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("COUPA_DATA_DIR", None)
    else:
        os.environ["COUPA_DATA_DIR"] = previous
