"""Deploying to Scrapyd (issue 4): a real scrapyd on 127.0.0.1 (subprocess, free port, its
own folder), the project uploaded with scrapyd-client's `scrapyd-deploy`, a crawl of the sample
site scheduled through Scrapyd's HTTP API; the job completes and fills the archive."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from conftest import ROOT
from discovery_helpers import archived, channel_urls, crawl_rows

from sample_site.replay import ReplayServer

BIN = Path(sys.executable).parent
PROJECT_PARTS = ["scrapy.cfg", "setup.py", "pyproject.toml", "README.md", "xietong", "spiders",
                 "pipelines", "archive", "sample_site", "profiles"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_scrapyd(folder: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    (folder / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {folder / 'eggs'}\nlogs_dir = {folder / 'logs'}\n"
        f"dbs_dir = {folder / 'dbs'}\nitems_dir =\n"
        "max_proc = 1\npoll_interval = 0.2\n", encoding="utf-8")
    log = open(folder / "scrapyd.out", "w")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=folder, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, (folder / "scrapyd.out").read_text()
        try:
            if httpx.get(url + "daemonstatus.json", timeout=2).json()["status"] == "ok":
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("scrapyd did not start")


def deploy(checkout: Path, url: str) -> None:
    """scrapyd-deploy from a copy of the checkout (it builds the egg in place)."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, checkout / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(src, checkout / part)
    cfg = checkout / "scrapy.cfg"
    cfg.write_text(cfg.read_text().replace("url = http://127.0.0.1:6800/", f"url = {url}"))
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy")}
    proc = subprocess.run([str(BIN / "scrapyd-deploy"), "--version", "r1"], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and '"status": "ok"' in proc.stdout, proc.stdout + proc.stderr


def test_a_crawl_scheduled_on_scrapyd_fills_the_archive(site, tmp_path):
    db = tmp_path / "archive.db"
    with ReplayServer(site) as replay:
        # The crawl processes scrapyd starts inherit its environment: the replay proxy.
        env = {**os.environ, "http_proxy": replay.proxy_url, "https_proxy": replay.proxy_url}
        env.pop("no_proxy", None)
        (tmp_path / "scrapyd").mkdir()
        server, url = start_scrapyd(tmp_path / "scrapyd", env)
        try:
            (tmp_path / "checkout").mkdir()
            deploy(tmp_path / "checkout", url)
            assert "channel" in httpx.get(url + "listspiders.json",
                                          params={"project": "xietong"}).json()["spiders"]
            job = httpx.post(url + "schedule.json", data={
                "project": "xietong", "spider": "channel",
                "setting": [f"XIETONG_ARCHIVE={db}", "DOWNLOAD_DELAY=0",
                            "AUTOTHROTTLE_ENABLED=False"],
            }).json()
            assert job["status"] == "ok", job
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                jobs = httpx.get(url + "listjobs.json", params={"project": "xietong"}).json()
                if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                    break
                time.sleep(0.5)
            else:
                raise AssertionError(f"the job did not finish: {jobs}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert archived(db) == channel_urls(site)
    (row,) = crawl_rows(db)
    assert (row["spider"], row["finish_reason"]) == ("channel", "finished")


def test_the_scheduled_commands_are_valid_and_documented():
    import re
    import shlex

    from xietong.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("crontab", "xietong-crawl.service", "xietong-crawl.timer", "scrapyd.conf",
                 "scrapyd-schedule.sh"):
        assert f"deploy/{name}" in readme
    cron = (ROOT / "deploy" / "crontab").read_text()
    service = (ROOT / "deploy" / "xietong-crawl.service").read_text()
    commands = re.findall(r"\.venv/bin/xietong (crawl [^>\n]*)", cron + service)
    assert len(commands) == 2
    for command in commands:
        args = shlex.split(command)
        ctx = cli.make_context("xietong", args, resilient_parsing=False)
        sub = cli.get_command(ctx, args[0])
        sub.make_context(args[0], args[1:])  # raises on an unknown option or spider
