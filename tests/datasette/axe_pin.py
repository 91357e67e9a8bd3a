"""Which axe-core (Deque's accessibility engine, MPL-2.0) the browser tests inject, and where it
lives when vendored: `python3 tasks.py test` fetches the npm package from the npm registry,
checks it against INTEGRITY and unpacks these files here (git-ignored). Nothing is loaded from
a CDN; the tests read the file and inject it into the page themselves.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = "axe-core"
VERSION = "4.14.1"
# npm's dist.integrity of axe-core@4.14.1: the tarball must hash to this
INTEGRITY = ("sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37"
             "OgudVGtQ==")
FILES = ("axe.min.js", "LICENSE")  # what is unpacked from the package
FOLDER = Path(__file__).parent / "vendor" / "axe-core"  # git-ignored; filled by tasks.py


def installed(folder: Path = FOLDER) -> bool:
    return all((folder / name).is_file() for name in FILES) and (
        (folder / "VERSION").is_file()
        and (folder / "VERSION").read_text().strip() == VERSION)
