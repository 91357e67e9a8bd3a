"""`xietong demo` as a user runs it: it ends with Datasette answering on 127.0.0.1 over an
archive of the sample site. And the README documents every command."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import lxml.html

from peoplecn.urls import article_id
from xietong.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_ends_with_datasette_answering(tmp_path, site):
    port = free_port()
    db = tmp_path / "archive.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "xietong", "demo", "--port", str(port), "--db", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read()
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/archive/articles.json?_shape=array"
                              "&_size=max&_col=url", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            raise AssertionError("Datasette did not answer")
        assert r.status_code == 200
        assert {row["url"] for row in r.json()} == site.relevant_urls()
        # The site edited one article between two crawls: its page shows what changed.
        revised = [u for u, spec in site.articles.items() if spec.get("revision")]
        assert len(revised) == 1
        page = lxml.html.fromstring(httpx.get(
            f"http://127.0.0.1:{port}/archive/articles/{article_id(revised[0])}",
            timeout=10).text)
        versions = page.cssselect("section.xt-versions > ol > li")
        assert len(versions) == 2
        assert page.cssselect(".xt-version-diff del") and page.cssselect(".xt-version-diff ins")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "1/4" in out and "3/4" in out and "4/4" in out and f"http://127.0.0.1:{port}/" in out


def test_readme_starts_with_the_two_commands_and_documents_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^\s*(python3 tasks\.py \w+)", readme[:1500], re.M)
    assert commands[:2] == ["python3 tasks.py demo", "python3 tasks.py test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 tasks.py test" in ci
    for name in cli.commands:
        assert f"xietong {name}" in readme, f"`xietong {name}` is not in the README"
