"""Every template reader has a fixture page and the record expected from it (fundus' rule: a
template is one short file, one fixture, one expected JSON — and a test fails when either is
missing). The fixtures are sample-site pages (our own words) saved as served bytes.

To add a template: write peoplecn/pages/people_<name>.py (a selector map), list it in
dispatch.TEMPLATE_READERS, save a page as tests/peoplecn/templates/<NAME>.html and write its
expected record with

    .venv/bin/python tests/peoplecn/test_template_fixtures.py NAME URL

then read the JSON: it is what the reader makes of the page, check every field by hand.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from peoplecn.pages import TEMPLATE_READERS, parse_article  # noqa: E402
from peoplecn.pages.template import TemplateReader  # noqa: E402

HERE = Path(__file__).parent / "templates"
PAGES = ROOT / "peoplecn" / "pages"
MODULES = sorted(p.stem for p in PAGES.glob("people_*.py") if p.stem != "people_text")
NAMES = [reader.NAME for reader in TEMPLATE_READERS]


def expected_record(url: str, body: bytes, content_type: str | None) -> dict:
    """The fields a template fixture pins down."""
    art = parse_article(url, body, content_type)
    return {
        "template": art.template, "title": art.title, "pre_title": art.pre_title,
        "subtitle": art.subtitle, "original_title": art.original_title,
        "published_at": art.published_at, "source": art.source,
        "source_channel": art.source_channel, "source_url": art.source_url,
        "byline": art.byline, "contributors": art.contributors, "editors": art.editors,
        "channel": art.channel, "series": art.series, "series_order": art.series_order,
        "print_edition": [art.print_edition, art.print_date, art.print_page],
        "paragraphs": art.paragraphs, "images": [[i.src, i.caption] for i in art.images],
        "links": [[x.kind, x.url] for x in art.links], "page_urls": art.page_urls,
        "field_sources": art.field_sources,
    }


def test_every_template_module_is_a_registered_reader():
    readers = set()
    for name in MODULES:
        module = importlib.import_module(f"peoplecn.pages.{name}")
        found = [c for _, c in inspect.getmembers(module, inspect.isclass)
                 if issubclass(c, TemplateReader) and c is not TemplateReader
                 and c.__module__ == module.__name__]
        assert len(found) == 1, f"{name}: one template reader per module"
        assert found[0] in TEMPLATE_READERS, f"{name}: not in dispatch.TEMPLATE_READERS"
        readers.add(found[0])
        lines = len((PAGES / f"{name}.py").read_text().splitlines())
        assert lines <= 60, f"{name}: a template is a short selector map ({lines} lines)"
    assert readers == set(TEMPLATE_READERS)


@pytest.mark.parametrize("name", NAMES)
def test_every_template_has_a_fixture_and_its_expected_record(name):
    assert (HERE / f"{name}.html").is_file(), f"no fixture page for {name}"
    assert (HERE / f"{name}.json").is_file(), f"no expected record for {name}"


@pytest.mark.parametrize("name", NAMES)
def test_the_fixture_reads_as_expected(name):
    want = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    got = expected_record(want["url"], (HERE / f"{name}.html").read_bytes(),
                          want["content_type"])
    assert got["template"] == name
    assert got == want["record"]


def test_no_reader_module_or_function_grows_past_its_size():
    """Issue 22: no module of the reader family over ~300 lines, no function over ~60."""
    for path in sorted(PAGES.rglob("*.py")):
        source = path.read_text()
        assert len(source.splitlines()) <= 300, path
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno - node.lineno < 60, f"{path}: {node.name}"


def write(name: str, url: str) -> None:
    """Write the expected record of tests/peoplecn/templates/NAME.html read as from URL."""
    record = expected_record(url, (HERE / f"{name}.html").read_bytes(), None)
    out = {"url": url, "content_type": None, "record": record}
    (HERE / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    write(*sys.argv[1:3])
