"""A crawl killed with SIGKILL at random moments and started again ends with the same archive
as one that ran uninterrupted: the file passes integrity_check, no article is missing or
doubled, and every capture reads back from its WARC file and hashes to its digest."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import sqlite_utils
from conftest import ROOT, crawl_sample

from archive.captures import payload_digest, read_capture
from archive.writer import warc_folder
from sample_site.replay import ReplayServer

SEED = int(os.environ.get("XIETONG_CRASH_SEED", "20261126"))


def crawl_cmd(site, db, proxy):
    return [sys.executable, "-m", "xietong", "crawl", "related", "--seed", site.seed,
            "--depth", "4", "--db", str(db), "--proxy", proxy, "--delay", "0",
            "--set", "XIETONG_BATCH_SIZE=3"]


def test_sigkill_at_random_points_then_restart(site, sample_archive, tmp_path):
    reference, _, _ = sample_archive
    ref = {r["id"]: r["content_hash"] for r in sqlite_utils.Database(reference)["articles"].rows}
    db = tmp_path / "archive.db"
    rng = random.Random(SEED)
    kills = 0
    with ReplayServer(site, latency=0.02) as replay:  # slow enough to be killed midway
        for _ in range(4):
            proc = subprocess.Popen(crawl_cmd(site, db, replay.proxy_url), cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.4, 2.5))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait()
    assert kills >= 2, f"the crawl finished before it could be killed (seed {SEED})"
    crawl_sample(site, db)  # the restart that runs to the end

    archive = sqlite_utils.Database(db)
    assert archive.execute("pragma integrity_check").fetchone()[0] == "ok"
    got = {r["id"]: r["content_hash"] for r in archive["articles"].rows}
    assert got == ref  # none missing, none extra, same content
    versions = archive.execute("select article_id, count(*) from article_versions "
                               "group by 1 having count(*) > 1").fetchall()
    assert versions == []  # a restart is not an edit
    folder = warc_folder(db)
    for cap in archive["captures"].rows:
        res = read_capture(folder, cap["warc_file"], cap["offset"])
        assert payload_digest(res.body) == cap["digest"], cap["id"]
    for row in archive["articles"].rows:
        assert row["capture_ids"] != "[]"
