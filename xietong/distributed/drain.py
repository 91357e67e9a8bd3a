"""The archive side of a distributed crawl: apply one worker's batch (captures, per-URL state,
series, article records, status events) through the crawl's one ArchiveWriter, in one
transaction — the same rows, in the same order, as a single-process crawl writes.

Knows nothing of Redis or Scrapy (coordinator.py reads the batches); never writes WARC
bytes (the workers did, and synced them, before they sent the rows).
"""

from __future__ import annotations

from archive import crawl_state, series
from archive.captures import Capture
from archive.writer import ArchiveWriter, utc_now

# The per-URL state writes a worker may send (xietong/distributed/redis_writer.py WorkerState).
STATE_OPS = {
    "record_fetch": crawl_state.record_fetch,
    "mark_due": crawl_state.mark_due,
    "note_list_title": crawl_state.note_list_title,
}


def apply_batch(writer: ArchiveWriter, batch: dict) -> None:
    db = writer.db
    seen_at = batch.get("seen_at") or utc_now()
    with db.atomic():
        for op, kwargs in batch.get("state", []):
            if "revisit_days" in kwargs and kwargs["revisit_days"] is not None:
                kwargs["revisit_days"] = tuple(kwargs["revisit_days"])
            STATE_OPS[op](db, **kwargs)
        for listing in batch.get("listings", []):
            series.save_listing(db, listing["name"], listing["index_url"],
                                [tuple(m) for m in listing["members"]], seen_at)
        for record in batch.get("records", []):
            # What SeriesPipeline does in a single-process crawl.
            if record.get("series") and record.get("id"):
                series.join_series(db, record["id"], record["series"], seen_at,
                                   record.get("series_order"))
        # The writer's own flush writes the rest: nested, so it joins this transaction.
        writer.captures = [(Capture(**c["row"]), c["location"]) for c in batch["captures"]]
        writer.records = list(batch.get("records", []))
        writer.events = list(batch.get("events", []))
        writer.flush()

