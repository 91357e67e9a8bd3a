"""Run `python -m xietong …` the way a user does and measure it: peak resident memory (psutil
polls the process; the kernel's high-water mark VmHWM is read at each poll) and seconds. The
figures are printed and appended to test-artifacts/reliability.txt for docs/reliability.md; the
tests assert outcomes and memory bounds, never seconds. Not a conftest.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "test-artifacts" / "reliability.txt"
MB = 1 << 20


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_rss: int  # bytes
    seconds: float


def _hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_measured(*args: str, timeout: float = 600, label: str = "") -> Measured:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("http_proxy", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = psutil.Popen([sys.executable, "-m", "xietong", *args], cwd=ROOT, env=env,
                            stdout=out, stderr=err)
        peak = 0
        deadline = started + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                peak = max(peak, proc.memory_info().rss, _hwm(proc.pid))
            except psutil.Error:
                break
            time.sleep(0.02)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            raise AssertionError(f"xietong {' '.join(args[:2])} ran past {timeout} s")
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        result = Measured(proc.returncode, out.read().decode("utf-8", "replace"),
                          err.read().decode("utf-8", "replace"), peak, seconds)
    if label:
        note(f"{label}: peak RSS {peak / MB:.0f} MB, {seconds:.1f} s, exit {proc.returncode}")
    return result


def note(line: str) -> None:
    """Print a figure and keep it for docs/reliability.md."""
    print(line)
    FIGURES.parent.mkdir(exist_ok=True)
    with open(FIGURES, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
