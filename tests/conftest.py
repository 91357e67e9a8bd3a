"""Shared fixtures: the bundled sample site, its replay server, and crawls run the way a user
runs them (`python -m xietong crawl …` in a subprocess: one Twisted reactor per process).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sample_site.replay import ReplayServer
from sample_site.site import build_site

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# What the pages say (corpus_expectations, field_checks) serves tests in every folder, and a
# folder run alone must find it too.
sys.path.append(str(ROOT / "tests" / "peoplecn"))
# Hand-made article records (xt_records) serve the archive's tests too (issue 20).
sys.path.append(str(ROOT / "tests" / "datasette"))


@pytest.fixture(scope="session")
def site():
    return build_site()


@pytest.fixture
def fresh_site():
    """A site of its own, for tests that change it."""
    return build_site()


def run_xietong(*args: str, cwd: Path | None = None, timeout: int = 240):
    env = {**os.environ, "XIETONG_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
    env.pop("http_proxy", None)
    return subprocess.run(
        [sys.executable, "-m", "xietong", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT, env=env,
    )


def crawl_sample(site, db: Path, depth: int = 4, extra: tuple[str, ...] = ()):
    """Crawl `site` from its seed through a fresh replay server; returns (process, requests)."""
    with ReplayServer(site) as replay:
        proc = run_xietong(
            "crawl", "related", "--seed", site.seed, "--depth", str(depth), "--db", str(db),
            "--proxy", replay.proxy_url, "--delay", "0", *extra,
        )
        requests = replay.requests
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc, requests


@pytest.fixture(scope="session")
def sample_archive(site, tmp_path_factory):
    """The sample site crawled once into an archive (read-only use, please)."""
    db = tmp_path_factory.mktemp("archive") / "archive.db"
    proc, requests = crawl_sample(site, db)
    return db, proc, requests
