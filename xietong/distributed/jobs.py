"""What the coordinator and the workers of a distributed crawl share: the Redis keys of a job,
the connection, and the error a crawl that cannot start raises.

Never deletes a Redis key it did not create: every key starts with the job's prefix.
"""

from __future__ import annotations

import redis

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PREFIX = "xietong"
STALE = 15.0  # s without a report after which a worker is taken for dead


class DistributedError(RuntimeError):
    """A distributed crawl cannot start (no Redis, another job on the same prefix …)."""


def keys(prefix: str) -> dict[str, str]:
    return {name: f"{prefix}:{name}" for name in
            ("job", "requests", "dupefilter", "batches", "workers")}


def connect(url: str) -> redis.Redis:
    server = redis.Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)
    try:
        server.ping()
    except redis.RedisError as e:
        raise DistributedError(f"cannot reach Redis at {url}: {e} (start redis-server, or "
                               "give --redis URL / XIETONG_REDIS_URL)") from None
    return server
