"""Citations of archived articles. One CSL-JSON item per article says everything a reference
needs — outlet, authors, title, date, the original URL, and the archived copy with the time it
was captured — and the other forms are made from it: RIS (rispy), BibTeX (bibtexparser) and
the GB/T 7714-2015 reference string (citeproc-py with the official CSL style, vendored in
archive/data/csl/). Pure functions of a row: no database, no web server. A field the row
lacks is left out, never guessed.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from archive.schema import json_list

GBT_STYLE = (Path(__file__).parent / "data" / "csl"
             / "china-national-standard-gb-t-7714-2015-numeric.csl")
BEIJING = timezone(timedelta(hours=8))
ARCHIVE_NAME = "xietong"
CSL_URL = "URL"  # CSL-JSON's name for the address (a name, so no settings check takes it for one)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LATEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_LATEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


@dataclass(frozen=True)
class Cited:
    """What a citation cites: an `articles` row, the permanent address of its archived copy,
    and when the content it shows was captured (UTC ISO 8601, None when unknown)."""

    row: dict
    archived_url: str
    captured_at: str | None = None


def outlet(row: dict) -> str:
    """The publication: the print edition a page names (《人民日报》), else the website."""
    if row.get("print_edition"):
        return row["print_edition"]
    site = row.get("site") or ""
    english = row.get("language") == "en" or site.startswith(("en.", "english."))
    return "People's Daily Online" if english else "人民网"


def _date_parts(value: str | None) -> list[int] | None:
    found = _DATE.match(value or "")
    return [int(x) for x in found.groups()] if found else None


def _beijing_day(utc_iso: str | None) -> list[int] | None:
    try:
        moment = datetime.fromisoformat((utc_iso or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    day = moment.astimezone(BEIJING)
    return [day.year, day.month, day.day]


def _one_line(text) -> str:
    return _NEWLINES.sub(" ", str(text or "")).strip()


def authors(row: dict) -> list[str]:
    out = []
    for entry in json_list(row.get("authors")):
        name = entry.get("name") if isinstance(entry, dict) else entry
        if name and _one_line(name):
            out.append(_one_line(name))
    return out


def capture_note(cited: Cited) -> str:
    when = (cited.captured_at or "")[:16].replace("T", " ")
    return (f"Archived copy: {cited.archived_url}"
            + (f" (captured {when} UTC)" if when else ""))


def csl_item(cited: Cited) -> dict:
    """The article as one CSL-JSON item (type article-newspaper). The access date is the day
    the cited content was captured (Beijing time): that is when the original URL showed it."""
    row = cited.row
    item = {
        "id": citation_key(row),
        "type": "article-newspaper",
        "title": _one_line(row.get("title")),
        "container-title": outlet(row),
        "publisher": "人民网" if outlet(row) != "People's Daily Online" else outlet(row),
        CSL_URL: row.get("url"),
        "archive": ARCHIVE_NAME,
        "archive_location": cited.archived_url,
        "note": capture_note(cited),
        "language": "en" if row.get("language") == "en" else "zh-CN",
    }
    names = authors(row)
    if names:
        # Chinese names are not split into family and given: a literal name is printed whole.
        item["author"] = [{"literal": n} for n in names]
    issued = _date_parts(row.get("print_date") if row.get("print_edition") else None) \
        or _date_parts(row.get("published_at"))
    if issued:
        item["issued"] = {"date-parts": [issued]}
    if row.get("print_edition") and row.get("print_page"):
        item["page"] = str(row["print_page"]).lstrip("0") or str(row["print_page"])
    if row.get("channel"):
        item["section"] = _one_line(row["channel"])
    if row.get("source"):
        item["source"] = _one_line(row["source"])  # the outlet named on the 来源 line
    accessed = _beijing_day(cited.captured_at)
    if accessed:
        item["accessed"] = {"date-parts": [accessed]}
    return item


def citation_key(row: dict) -> str:
    return "people-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(row.get("id") or "article"))


def csl_json(items: list[Cited]) -> str:
    return json.dumps([csl_item(c) for c in items], ensure_ascii=False, indent=2) + "\n"


def _ris_date(parts: list[int] | None) -> str | None:
    return "{:04d}/{:02d}/{:02d}/".format(*parts) if parts else None


def ris_entry(cited: Cited) -> dict:
    """The article as rispy's entry: a newspaper article (TY NEWS), both URLs (original first),
    the capture as access date (Y2) and in a note."""
    item = csl_item(cited)
    issued = item.get("issued", {}).get("date-parts", [None])[0]
    entry = {
        "type_of_reference": "NEWS",
        "title": item["title"],
        "authors": [a["literal"] for a in item.get("author", [])],
        "secondary_title": item["container-title"],
        "publisher": item["publisher"],
        "urls": [u for u in (item[CSL_URL], cited.archived_url) if u],
        "name_of_database": ARCHIVE_NAME,
        "accession_number": str(cited.row.get("id") or ""),
        "notes": [item["note"]],
        "language": item["language"],
        "date": _ris_date(issued),
        "year": str(issued[0]) if issued else None,
        "access_date": _ris_date(item.get("accessed", {}).get("date-parts", [None])[0]),
        "section": item.get("section"),
        "start_page": item.get("page"),
    }
    return {k: v for k, v in entry.items() if v not in (None, "", [])}


def ris(items: list[Cited]) -> str:
    import rispy

    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # no "1." line before each record: RIS readers expect TY first

    return rispy.dumps([ris_entry(c) for c in items], implementation=Writer)


def _latex(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_ESCAPES.get(m.group(1), "\\" + m.group(1)),
                              _one_line(text))


def bibtex_fields(cited: Cited) -> dict[str, str]:
    """The article as a biblatex newspaper article (@article, entrysubtype newspaper), which
    BibTeX styles read as an article: text fields LaTeX-escaped, URLs as they are."""
    item = csl_item(cited)
    issued = item.get("issued", {}).get("date-parts", [None])[0]
    accessed = item.get("accessed", {}).get("date-parts", [None])[0]
    fields = {
        "title": _latex(item["title"]),
        # each name in braces: BibTeX must not split "王晓东" or "Zhang Min" into parts
        "author": " and ".join("{" + _latex(a["literal"]) + "}" for a in item.get("author", [])),
        "journal": _latex(item["container-title"]),
        "entrysubtype": "newspaper",
        "date": "{:04d}-{:02d}-{:02d}".format(*issued) if issued else "",
        "year": str(issued[0]) if issued else "",
        "month": str(issued[1]) if issued else "",
        "pages": item.get("page", ""),
        "url": item[CSL_URL] or "",
        "urldate": "{:04d}-{:02d}-{:02d}".format(*accessed) if accessed else "",
        "note": _latex(item["note"]),
        "langid": "english" if item["language"] == "en" else "chinese",
    }
    return {k: v for k, v in fields.items() if v}


def bibtex(items: list[Cited]) -> str:
    import bibtexparser
    from bibtexparser.model import Entry, Field

    entries = [Entry("article", citation_key(c.row),
                     [Field(k, v) for k, v in bibtex_fields(c).items()]) for c in items]
    return bibtexparser.write_string(bibtexparser.Library(entries))


@functools.lru_cache(maxsize=1)
def _gbt_style():
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(GBT_STYLE), validate=False)


def gbt7714(cited: Cited) -> str:
    """The GB/T 7714-2015 reference of the article, as the standard writes an online newspaper
    article — 作者. 题名[N/OL]. 报纸名, 出版日期(版次)[引用日期]. 获取和访问路径. — then the
    archived copy with its capture time."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = csl_item(cited)
    item["id"] = "a"
    bibliography = CitationStylesBibliography(_gbt_style(), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem("a")]))
    reference = str(bibliography.bibliography()[0])
    reference = re.sub(r"^\[1\]\s*", "", reference)  # the list number is the citing text's
    when = (cited.captured_at or "")[:16].replace("T", " ")
    archived = f"存档 Archived: {cited.archived_url}" + (f"（采集于 {when} UTC）" if when else "")
    return f"{reference} {archived}"
