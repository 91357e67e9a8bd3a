#!/bin/sh
# Schedule every source of the default profile on the Scrapyd of deploy/scrapyd.conf (from cron,
# like deploy/crontab). Jobs run one after another (max_proc = 1), each into the same archive.
set -eu
SCRAPYD=${SCRAPYD:-http://127.0.0.1:6800}
ARCHIVE=${XIETONG_ARCHIVE:-/srv/xietong/data/archive.db}
for spider in series channel search; do
  curl -fsS "$SCRAPYD/schedule.json" -d project=xietong -d spider="$spider" \
    -d setting="XIETONG_ARCHIVE=$ARCHIVE" >/dev/null
done
curl -fsS "$SCRAPYD/schedule.json" -d project=xietong -d spider=related -d profile=jingjinji \
  -d incremental=true -d setting="XIETONG_ARCHIVE=$ARCHIVE" >/dev/null
