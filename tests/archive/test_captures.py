"""Reading captures back safely: a payload decodes no further than its limit (a gzip bomb stops),
a captures row cannot name a file outside the WARC folder, and a capture's records end where the
next begins."""

from __future__ import annotations

import gzip

import pytest

from archive.captures import (
    TooLarge,
    WarcStore,
    capture_path,
    decoded_payload,
    read_capture,
    record_span,
)


def test_a_gzip_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"\0" * (8 << 20))  # 8 MiB of zeros in a few KB
    assert len(bomb) < 20_000
    with pytest.raises(TooLarge):
        decoded_payload(bomb, {"Content-Encoding": "gzip"}, limit=1 << 20)
    assert decoded_payload(gzip.compress(b"css"), {"content-encoding": "gzip"}, 10) == b"css"
    assert decoded_payload(b"plain", {}, 3) == b"plain"  # not encoded: the caller's cap applies


@pytest.mark.parametrize("name", ["../archive.db", "/etc/passwd", "sub/../../x.warc.gz",
                                  "missing.warc.gz", ""])
def test_a_capture_row_cannot_point_outside_the_warc_folder(tmp_path, name):
    (tmp_path / "warc").mkdir()
    (tmp_path / "archive.db").write_bytes(b"x")
    assert capture_path(tmp_path / "warc", name) is None


def test_records_are_read_back_and_spanned_exactly(tmp_path):
    store = WarcStore(tmp_path, prefix="t")
    photo = bytes(range(256)) * 100
    caps = [store.write(f"http://he.people.com.cn/NMediaFile/{n}.jpg", 200, "OK",
                        [("Content-Type", "image/jpeg")], photo, [], "GET",
                        "2024-02-25T10:00:00+00:00") for n in range(2)]
    store.close()
    path = capture_path(tmp_path, caps[0].warc_file)
    assert path is not None
    with open(path, "rb") as fh:
        assert record_span(fh, caps[0].offset, members=2) == caps[1].offset
        end = record_span(fh, caps[1].offset, members=2)
    assert end == path.stat().st_size
    assert read_capture(tmp_path, caps[1].warc_file, caps[1].offset).body == photo
    with pytest.raises(TooLarge):
        read_capture(tmp_path, caps[1].warc_file, caps[1].offset, limit=len(photo) - 1)
