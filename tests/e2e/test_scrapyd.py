"""The scheduled commands in deploy/ are valid and documented. (A crawl run by a real Scrapyd
from the egg scrapyd-deploy builds: tests/e2e/test_standalone_install.py.)"""

from __future__ import annotations

from conftest import ROOT


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
