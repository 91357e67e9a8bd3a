#!/usr/bin/env python3
"""Set up and run xietong with nothing but Python 3.11+:

    python3 tasks.py demo    # create .venv, install, crawl the bundled sample site, serve it
    python3 tasks.py test    # create .venv, install with test tools, run ruff, the layer
                             # contracts (lint-imports) and the suite

The virtualenv is reinstalled only when pyproject.toml or requirements.lock change. Both also
vendor ReplayWeb.page (the npm package, downloaded once from the npm registry and checked
against its pinned hash) for the archive's "as captured" view; `test` vendors axe-core the
same way for the browser tests' accessibility checks.
Extra arguments go to the command (`python3 tasks.py test -k search`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import runpy
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".setup-stamp"


def _fingerprint(extras: str) -> str:
    h = hashlib.sha256(extras.encode())
    for name in ("pyproject.toml", "requirements.lock"):
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()


def setup(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (this file must run on any python3)
        sys.exit(f"xietong needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = _fingerprint(extras)
    if STAMP.exists() and STAMP.read_text() in (wanted, _fingerprint("test")):
        return  # a test install also serves the demo
    if not (BIN / "python").exists():
        print("· creating .venv", flush=True)
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    print("· installing pinned dependencies (requirements.lock)", flush=True)
    subprocess.run([*pip, "-r", str(ROOT / "requirements.lock")], check=True)
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    subprocess.run([*pip, "--no-deps", "-e", target], check=True)
    STAMP.write_text(wanted)


def vendor_npm(pin_file: str, purpose: str) -> None:
    """Unpack the files a pin module names (PACKAGE, VERSION, INTEGRITY, FILES, FOLDER,
    installed()) from the npm package where the project finds them. The tarball comes from the
    npm registry over HTTPS with the standard library — no Node.js or npm needed — and must
    match the pinned hash. Without the registry it says so; what needs the files then says
    how to get them (the "as captured" page; the accessibility tests fail, never skip)."""
    pin = runpy.run_path(str(ROOT / pin_file))
    if pin["installed"]():
        return
    spec = f"{pin['PACKAGE']}@{pin['VERSION']}"
    registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")
    url = f"{registry}/{pin['PACKAGE']}/-/{pin['PACKAGE']}-{pin['VERSION']}.tgz"
    print(f"· vendoring {spec} from the npm registry for {purpose}", flush=True)
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read(64 << 20)  # the packages are a few MB; never read without a cap
    except OSError as e:
        print(f"! could not fetch {url} ({e}): {purpose} stays off until `python3 tasks.py "
              "demo` or `test` runs with the registry in reach", flush=True)
        return
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if integrity != pin["INTEGRITY"]:
        sys.exit(f"{spec}: the package does not match its pinned hash; not installed")
    folder = pin["FOLDER"]
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for name in pin["FILES"]:
            member = tar.extractfile(f"package/{name}")
            (folder / name).write_bytes(member.read())
    (folder / "VERSION").write_text(pin["VERSION"] + "\n")


def vendor_replayweb() -> None:
    """ReplayWeb.page's ui.js and sw.js (archive/datasette/replayweb.py) for the archive's
    "as captured" view."""
    vendor_npm("archive/datasette/replayweb.py", 'the "as captured" view')


def vendor_axe() -> None:
    """axe-core (tests/datasette/axe_pin.py), which the browser tests inject to check every
    page for accessibility violations."""
    vendor_npm("tests/datasette/axe_pin.py", "the accessibility checks of the browser tests")


# Debian packages some tests need: Chromium for the browser tests (Playwright drives it and
# downloads no browser of its own), a CJK font for readable screenshots, Redis for the
# distributed crawl. .ci/run installs them too; here they are installed when we can (root, apt).
SYSTEM_PACKAGES = {
    "chromium": lambda: Path("/usr/bin/chromium").exists(),
    "redis-server": lambda: shutil.which("redis-server") is not None,
    "fonts-wqy-zenhei": lambda: Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc").exists(),
}


def system_packages() -> None:
    missing = [name for name, present in SYSTEM_PACKAGES.items() if not present()]
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        print(f"· installing {' '.join(missing)} (apt-get)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False, env=env)
        missing = [name for name, present in SYSTEM_PACKAGES.items() if not present()]
    if "chromium" in missing and os.environ.get("CI") != "true":  # in CI: fail, not skip
        print("! no /usr/bin/chromium and no way to install it: browser tests are skipped",
              flush=True)
        os.environ["XIETONG_SKIP_BROWSER"] = "1"
    if "redis-server" in missing:
        print("! no redis-server: the distributed-crawl test is skipped (in CI it fails)",
              flush=True)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test"):
        sys.exit(__doc__)
    task, rest = sys.argv[1], sys.argv[2:]
    os.chdir(ROOT)
    if task == "demo":
        setup("")
        vendor_replayweb()
        os.execv(BIN / "xietong", [str(BIN / "xietong"), "demo", *rest])
    setup("test")
    vendor_replayweb()
    vendor_axe()
    system_packages()
    if subprocess.run([str(BIN / "ruff"), "check", "."]).returncode:
        sys.exit("ruff found problems (above); the tests were not run")
    # The layer contracts in pyproject.toml: nothing imports a layer above its own.
    if subprocess.run([str(BIN / "lint-imports"), "--no-cache"]).returncode:
        sys.exit("an import breaks the layer contracts (above); the tests were not run")
    os.execv(BIN / "python", [str(BIN / "python"), "-m", "pytest", *rest])


if __name__ == "__main__":
    main()
