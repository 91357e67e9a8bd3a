"""One source of settings: every settings key the code reads or sets is declared — ours once in
runtime/settings.py, with its default and a one-line meaning, and listed in docs/settings.md;
Scrapy's and scrapy-redis's by them — and ours are read without a fallback default.

The code is scanned, not imported: a read in a module no test reaches still counts.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import scrapy.settings.default_settings as scrapy_defaults
import scrapy_redis.defaults

from runtime import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("xietong", "spiders", "pipelines", "runtime", "archive", "peoplecn")
SETTINGS_FILE = ROOT / "runtime" / "settings.py"
DOCS = ROOT / "docs" / "settings.md"
KEY = re.compile(r"^[A-Z][A-Z0-9_]+$")
OURS = re.compile(r"^XIETONG_[A-Z0-9_]+$")
GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getdictorlist",
           "getwithbase", "getpriority", "set", "setdefault"}
# scrapy-redis reads these from the settings without declaring them in its defaults module.
SCRAPY_REDIS = {"REDIS_URL", "SCHEDULER_PERSIST", "SCHEDULER_QUEUE_KEY",
                "SCHEDULER_DUPEFILTER_KEY", "SCHEDULER_QUEUE_CLASS", "DUPEFILTER_DEBUG"}


def _is_environ(node: ast.expr) -> bool:
    text = ast.unparse(node)
    return text in ("os.environ", "environ", "env") or text.endswith(".environ")


def settings_uses(source: str, filename: str = "<code>") -> list[tuple[str, int, str, bool]]:
    """(key, line, how, has_default) for every settings key the source reads or sets:
    `x.get*("KEY"[, default])`, `x["KEY"]`, `x.set("KEY", …)`, `x.setdict({"KEY": …})`, and
    any other "XIETONG_…" string (a key passed around before it is read). Environment reads
    (`os.environ.get("XIETONG_…")`) are reported as how="environ"."""
    found = []
    seen: set[int] = set()  # ids of string constants already accounted for
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver, name = node.func.value, node.func.attr
            first = node.args[0] if node.args else None
            if (name in GETTERS and isinstance(first, ast.Constant)
                    and isinstance(first.value, str) and KEY.match(first.value)):
                seen.add(id(first))
                how = "environ" if _is_environ(receiver) else name
                has_default = name.startswith("get") and (
                    len(node.args) > 1 or any(k.arg == "default" for k in node.keywords))
                found.append((first.value, node.lineno, how, has_default))
            if name == "setdict" and first is not None and isinstance(first, ast.Dict):
                for key in first.keys:
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        seen.add(id(key))
                        found.append((key.value, node.lineno, "setdict", False))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            value = node.slice.value
            if isinstance(value, str) and KEY.match(value):
                seen.add(id(node.slice))
                how = "environ" if _is_environ(node.value) else "subscript"
                found.append((value, node.lineno, how, False))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and OURS.match(node.value) and id(node) not in seen):
            found.append((node.value, node.lineno, "literal", False))
    return found


def _code_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != SETTINGS_FILE:
                yield path


def _all_uses():
    for path in _code_files():
        for use in settings_uses(path.read_text(encoding="utf-8"), str(path)):
            yield path.relative_to(ROOT), *use


def declared_with_meaning() -> dict[str, str]:
    """Our settings as declared in runtime/settings.py, each with its comment: the one on its
    line, else the comment block right above it."""
    source = SETTINGS_FILE.read_text(encoding="utf-8")
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("# ").strip()
    out = {}
    for node in ast.parse(source).body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            if isinstance(target, ast.Name) and OURS.match(target.id):
                out[target.id] = comments.get(node.lineno) or comments.get(node.lineno - 1, "")
    return out


DECLARED = declared_with_meaning()
ENVIRONMENT_SECTION = DOCS.read_text(encoding="utf-8").split("## Environment", 1)[-1]


def test_the_scanner_finds_reads_sets_defaults_and_strays():
    uses = settings_uses('''
import os
a = settings.getint("XIETONG_A")
b = crawler.settings.getfloat("XIETONG_B", 2.0)
c = s["XIETONG_C"]
settings.setdict({"XIETONG_D": 1, "SCHEDULER_PERSIST": True})
for name in ("XIETONG_E",):
    pass
home = os.environ.get("XIETONG_F", "x")
''')
    assert {(k, how, d) for k, _, how, d in uses} == {
        ("XIETONG_A", "getint", False), ("XIETONG_B", "getfloat", True),
        ("XIETONG_C", "subscript", False), ("XIETONG_D", "setdict", False),
        ("SCHEDULER_PERSIST", "setdict", False), ("XIETONG_E", "literal", False),
        ("XIETONG_F", "environ", True)}


def test_every_setting_read_or_set_is_declared():
    known = (set(DECLARED) | {n for n in dir(project_settings) if KEY.match(n)}
             | {n for n in dir(scrapy_defaults) if KEY.match(n)}
             | {n for n in dir(scrapy_redis.defaults) if KEY.match(n)} | SCRAPY_REDIS)
    undeclared = [f"{path}:{line} {key} ({how})" for path, key, line, how, _ in _all_uses()
                  if how != "environ" and key not in known]
    assert undeclared == [], "read or set but not declared in runtime/settings.py"


def test_ours_are_read_without_a_fallback():
    with_default = [f"{path}:{line} {key}" for path, key, line, how, has_default in _all_uses()
                    if OURS.match(key) and how != "environ" and has_default]
    assert with_default == [], "the default belongs in runtime/settings.py only"


def test_every_setting_of_ours_has_a_meaning_and_is_listed_for_users():
    assert len(DECLARED) >= 30
    no_meaning = [name for name, meaning in DECLARED.items() if len(meaning) < 10]
    assert no_meaning == []
    listed = DOCS.read_text(encoding="utf-8")
    assert [name for name in DECLARED if f"`{name}`" not in listed] == []


def test_environment_variables_are_listed_for_users():
    names = {key for _, key, _, how, _ in _all_uses() if how == "environ" and OURS.match(key)}
    names |= {key for key, _, how, _ in settings_uses(SETTINGS_FILE.read_text(encoding="utf-8"))
              if OURS.match(key) and how == "environ"}
    assert names >= {"XIETONG_ARCHIVE", "XIETONG_REDIS_URL"}
    assert [n for n in sorted(names) if f"`{n}`" not in ENVIRONMENT_SECTION] == []


def test_no_keyword_list_outside_the_profile():
    # The relevance keywords come from the topic profile (or --keywords), nowhere else.
    assert not hasattr(project_settings, "XIETONG_KEYWORDS")
    assert not hasattr(project_settings, "XIETONG_SEEDS")


def test_every_setting_of_ours_declares_what_it_may_hold():
    # runtime/checks.py checks them before a crawl starts (issue 18): a setting without a kind
    # would be taken as it comes.
    assert sorted(DECLARED) == sorted(project_settings.kinds)
