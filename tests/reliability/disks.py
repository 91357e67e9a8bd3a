"""Small disks for the tests that fill one: a tmpfs of a given size (root only; CI runs
.ci/run as root on its own machine, so it has one). A test skips, saying why, where it cannot
mount one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def tmpfs(path: Path, size: str) -> Path:
    path.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root): the full-disk case is untested")
    return path


def umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], check=False)
