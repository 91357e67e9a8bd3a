"""Module-scoped fixtures over a copy of the crawled sample archive, for test modules that read
it through Datasette in process: `archive_copy` (the file), `ds` (make_datasette on it) and
`rows` (its articles by id). Import them by name into a test module."""

from __future__ import annotations

import shutil

import pytest
import sqlite_utils

from archive.serve import make_datasette


@pytest.fixture(scope="module")
def archive_copy(sample_archive, tmp_path_factory):
    copy = tmp_path_factory.mktemp("served") / "archive.db"
    shutil.copy(sample_archive[0], copy)
    return copy


@pytest.fixture(scope="module")
def ds(archive_copy):
    return make_datasette(archive_copy)


@pytest.fixture(scope="module")
def rows(archive_copy):
    return {r["id"]: r for r in sqlite_utils.Database(archive_copy)["articles"].rows}
