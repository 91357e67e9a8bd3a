"""Fixtures and helpers of the Datasette tests: `xietong serve` on a free port (a real server
in a subprocess), a real headless Chromium (Debian's `chromium`) driven by Playwright and cut off
from every network but the server's, a placeholder photo, screenshots into
test-artifacts/screenshots/.

Not a conftest.py, and no fixtures here: the suite's modules do `from conftest import …`, which a
second conftest on sys.path would shadow; each test module wraps these in its own fixtures.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = Path(os.environ.get("XIETONG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`xietong serve --db DB` in a subprocess, until the block ends."""

    def __init__(self, db: Path):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # The server's output goes to a file, never an unread pipe: a full pipe would stop the
        # server at its next log line.
        self.log = tempfile.NamedTemporaryFile(prefix="xietong-serve-", suffix=".log")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "xietong", "serve", "--db", str(self.db),
             "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60  # a readiness wait, not a timed assertion
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"xietong serve exited: {self.output()}")
            try:
                if httpx.get(self.url + "/-/versions.json", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("xietong serve did not answer within 60 s")

    def output(self) -> str:
        """What the server has printed so far."""
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def copy_archive(db: Path, to: Path) -> Path:
    """A copy of the archive file and its WARC folder (photos are served from the WARCs)."""
    to.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", to / f"{db.name}{suffix}")
    if (db.parent / "warc").is_dir() and not (to / "warc").exists():
        shutil.copytree(db.parent / "warc", to / "warc")
    return to / db.name


def placeholder_png(width: int = 60, height: int = 40) -> bytes:
    """A grey PNG, made here: photo URLs point at people.cn, which the tests never reach."""
    raw = b"".join(b"\x00" + b"\xb0\xb8\xc0" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def chromium(args: list[str] | None = None):
    """Generator: a headless Chromium for the duration of a fixture (Debian's package)."""
    if not CHROMIUM.exists():
        if os.environ.get("XIETONG_SKIP_BROWSER"):
            pytest.skip("XIETONG_SKIP_BROWSER is set and there is no Chromium")
        pytest.fail(f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (Debian), "
                    "or set XIETONG_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args or CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_maker(browser):
    """Generator of `make(server)` → a new page that reaches only `server`; photos (people.cn
    URLs) get a placeholder, every other request is refused."""
    contexts = []
    png = placeholder_png()

    def make(server: Server, width: int = 1366):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                      accept_downloads=True)

        def route(r):
            if r.request.url.startswith(server.url + "/"):
                r.continue_()
            elif r.request.resource_type == "image":
                r.fulfill(status=200, content_type="image/png", body=png)
            else:
                r.abort()

        context.route("**/*", route)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
