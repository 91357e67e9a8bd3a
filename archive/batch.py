"""What a crawl hands the archive, one batch at a time: captures (with the Location they
redirected to), article records, status events, series listings and per-URL state writes.

The archive writer applies a Batch in one transaction (archive/writer.py); a distributed worker
sends the same Batch as JSON through Redis (`to_json` / `from_json`) for the coordinator to
apply. Plain data: no database, no Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.captures import Capture


@dataclass(frozen=True)
class StatusEvent:
    """Evidence about an archived article that is not a capture: e.g. its page no longer reads
    as an article (`replaced`)."""

    article_id: str
    status: str  # live | gone | redirected | replaced (archive/status.py)
    detail: str | None = None


@dataclass(frozen=True)
class SeriesListing:
    """A series (topic) index page's members, oldest first."""

    name: str
    index_url: str
    members: tuple[tuple[str, int], ...]  # (article id, position; the oldest is 1)


@dataclass(frozen=True)
class StateWrite:
    """One per-URL state write (archive/crawl_state.py STATE_WRITES names the functions)."""

    op: str
    kwargs: dict


@dataclass
class Batch:
    captures: list[tuple[Capture, str | None]] = field(default_factory=list)  # + Location
    records: list[dict] = field(default_factory=list)  # Article.to_dict() + enrichment
    events: list[StatusEvent] = field(default_factory=list)
    listings: list[SeriesListing] = field(default_factory=list)
    state: list[StateWrite] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.captures or self.records or self.events or self.listings
                    or self.state)

    def to_json(self) -> dict:
        return {
            "captures": [{"row": c.row(), "location": loc} for c, loc in self.captures],
            "records": self.records,
            "events": [e.__dict__ for e in self.events],
            "listings": [{"name": s.name, "index_url": s.index_url,
                          "members": [list(m) for m in s.members]} for s in self.listings],
            "state": [[w.op, w.kwargs] for w in self.state],
        }

    @classmethod
    def from_json(cls, data: dict) -> Batch:
        return cls(
            captures=[(Capture(**c["row"]), c["location"]) for c in data.get("captures", [])],
            records=list(data.get("records", [])),
            events=[StatusEvent(**e) for e in data.get("events", [])],
            listings=[SeriesListing(s["name"], s["index_url"],
                                    tuple((m[0], m[1]) for m in s["members"]))
                      for s in data.get("listings", [])],
            state=[StateWrite(op, kwargs) for op, kwargs in data.get("state", [])],
        )
