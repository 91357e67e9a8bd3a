"""Where ReplayWeb.page (Webrecorder's web archive viewer: its `ui.js` and the `sw.js` service
worker, AGPL-3.0) lives when vendored, and which release: `python3 tasks.py` fetches the
npm package from the npm registry at build time, checks it against INTEGRITY and unpacks
these files here.
Nothing is ever loaded from a CDN; without the files the "as captured" page says how to get them.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = "replaywebpage"
VERSION = "2.5.3"
# npm's dist.integrity of replaywebpage@2.5.3: the tarball must hash to this
INTEGRITY = ("sha512-nCj2PSON3BxeSJKE8AsYPyULv0XPZKJWfy4l9PyQre9SqwLZ+WKZVs/sfLqPOQ4GrH+0Ykjbw"
             "Ohr8cSTH08gsQ==")
FILES = ("ui.js", "sw.js", "LICENSE")  # what is unpacked from the package
FOLDER = Path(__file__).parent / "replayweb"  # git-ignored; filled by tasks.py


def installed(folder: Path = FOLDER) -> bool:
    return all((folder / name).is_file() for name in FILES) and (
        (folder / "VERSION").is_file()
        and (folder / "VERSION").read_text().strip() == VERSION)
