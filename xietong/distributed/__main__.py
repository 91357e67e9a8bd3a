"""`python -m xietong.distributed worker --redis URL [--prefix P] [--db PATH]`: the worker
process the coordinator starts (and `xietong crawl --workers N --join` on other machines).
"""

from __future__ import annotations

import os
import sys

from xietong.distributed.jobs import DEFAULT_PREFIX, DEFAULT_REDIS_URL, DistributedError
from xietong.distributed.worker import run_worker


def main(argv: list[str] | None = None) -> int:
    """`python -m xietong.distributed worker --redis URL [--prefix P] [--db PATH]`: what the
    coordinator starts for each worker."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m xietong.distributed")
    parser.add_argument("command", choices=["worker"])
    parser.add_argument("--redis", default=os.environ.get("XIETONG_REDIS_URL",
                                                          DEFAULT_REDIS_URL))
    parser.add_argument("--prefix", default=DEFAULT_PREFIX)
    parser.add_argument("--db", default=None)
    a = parser.parse_args(argv)
    try:
        return run_worker(a.redis, a.prefix, a.db)
    except DistributedError as e:
        sys.stderr.write(f"{e}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
