"""The `xietong` command: crawl people.cn into an archive, serve it with Datasette, run the
offline demo, read one saved page. User mistakes end with a message and exit code 2, never a
traceback.
"""

from __future__ import annotations

import errno
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import click

DEFAULT_ARCHIVE = Path(os.environ.get("XIETONG_ARCHIVE", "data/archive.db"))
DEMO_ARCHIVE = Path("data/demo/archive.db")
SPIDERS = ["related", "revisit", "series", "channel", "search", "all"]


class OneLineErrors(click.Group):
    """Click's group, with a usage mistake said in one line ("Error: …", exit 2) instead of
    Click's usage block: cron mail and journald get one line per problem."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.UsageError as e:
            hint = f" (see '{e.ctx.command_path} --help')" if e.ctx is not None else ""
            click.echo(f"Error: {e.format_message()}{hint}", err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except click.exceptions.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xietong")
def cli():
    """xietong (协同): crawl and archive People's Daily news on 京津冀协同发展, search it in
    Datasette.

    \b
    Exit codes (every command):
      0  done
      1  failed: a crawl reached nothing it was asked for, too many of its requests
         failed (XIETONG_FAILURE_MAX_SHARE), a write failed (a full disk), it was
         stopped (SIGTERM) or a spider raised; a damaged archive; an export that
         could not be written — one line says why, and a crawl's `crawls` row too
      2  usage mistake: a bad option or setting, a --db that is not a xietong
         archive (or is missing where one is needed), a busy port or bad --host,
         an export folder holding files not of an earlier export
      3  coverage alarm: a crawl that did not fail read new articles lacking a
         field over its threshold, or a new page layout (a template changed)
      4  another crawl holds the archive's lock
    """


def _parse_set(values: tuple[str, ...]) -> dict:
    out = {}
    for item in values:
        if "=" not in item:
            _fail(f"--set: expected NAME=VALUE, got {item!r}", 2)
        name, value = item.split("=", 1)
        out[name.strip()] = value
    return out


def _checked_settings(overrides: dict) -> None:
    """The crawl's settings — the project's, the environment's, these overrides — each
    against what it may hold (runtime/checks.py): a bad one is one line and exit 2, before
    anything is opened or fetched."""
    from scrapy.utils.project import get_project_settings

    import runtime.settings as ours
    from runtime.checks import problems

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "runtime.settings")
    settings = get_project_settings()
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    found = problems(settings, ours.kinds)
    if found:
        _fail("bad setting: " + "; ".join(found), 2)


class Seconds(click.ParamType):
    """A finite number of seconds, not negative (`inf` and `nan` are no delay)."""

    name = "seconds"

    def convert(self, value, param, ctx):
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds < 0:
            self.fail(f"{value!r}: expected a finite number of seconds ≥ 0", param, ctx)
        return seconds


def _checked_archive(archive: Path, must_exist: bool = False) -> None:
    """One line and no traceback for an archive we must not use (archive.schema)."""
    from archive.schema import ArchiveError, check_archive

    try:
        check_archive(archive, must_exist=must_exist)
    except ArchiveError as e:
        _fail(str(e), 2 if e.usage else 1)


def _fail(message: str, code: int = 1):
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@cli.command()
@click.argument("spider", type=click.Choice(SPIDERS), default="related")
@click.option("--seed", "seeds", multiple=True, metavar="URL",
              help="Article URL to start from (repeatable).")
@click.option("--depth", type=click.IntRange(0, 50), default=None,
              help="Link hops to follow from the seeds [default: 3].")
@click.option("--keywords", default=None,
              help='Comma-separated relevance keywords; "" archives everything reached.')
@click.option("--profile", default=None, metavar="NAME",
              help="Topic profile: a name in profiles/ or a .toml path [default: jingjinji]. "
              "Gives the keywords, seeds, channel lists, series pages and search keys.")
@click.option("--db", "archive", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_ARCHIVE, show_default=True, help="Archive file.")
@click.option("--proxy", metavar="URL", help="HTTP proxy for every request (e.g. the replay "
              "server).")
@click.option("--delay", type=Seconds(), default=None,
              help="Seconds between requests to one host [default: 5, AutoThrottle on].")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Any Scrapy setting (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Crawl with N worker processes sharing a Redis frontier; this process "
              "drains their results into the archive.")
@click.option("--redis", "redis_url", metavar="URL", default=None,
              help="Redis for --workers [default: $XIETONG_REDIS_URL or "
              "redis://127.0.0.1:6379/0].")
@click.option("--join", is_flag=True,
              help="With --workers: only start workers, for the crawl another machine runs.")
def crawl(spider, seeds, depth, keywords, profile, archive, proxy, delay, overrides, verbose,
          workers, redis_url, join):
    """Crawl people.cn into the archive: SPIDER is related, series, channel, search, revisit,
    or all (every source the profile configures, in turn, fetching only what is new or due).

    Exit codes: see `xietong --help` (0 done, 1 failed, 2 usage, 3 coverage alarm, 4 locked).

    \b
    Examples:
      xietong crawl related --seed http://he.people.com.cn/n2/2024/0225/c192235-40745301.html
      xietong crawl all --profile jingjinji --db data/archive.db
    """
    from peoplecn import urls
    from runtime.profiles import ProfileError, load_profile
    from xietong.crawl import run_crawl, run_crawls

    bad = [s for s in seeds if not urls.is_article_url(s)]
    if bad:
        raise click.BadParameter(
            f"not a people.cn article URL: {bad[0]} (expected …/n1|n2/YYYY/MMDD/cNNN-NNN.html)",
            param_hint="--seed",
        )
    settings = _parse_set(overrides)
    if delay is not None:
        settings.update(DOWNLOAD_DELAY=delay, AUTOTHROTTLE_ENABLED=delay > 0)
    settings.setdefault("LOG_LEVEL", "INFO" if verbose else "WARNING")
    _checked_settings(settings)
    _checked_archive(archive, must_exist=spider == "revisit")
    if join or workers:
        _check_workers(spider, workers, join)
    if join:
        _exit_with(lambda: _distributed(spider, archive, {}, settings, proxy, workers,
                                        redis_url, True))
    try:
        chosen = load_profile(profile)
    except ProfileError as e:
        raise click.BadParameter(str(e), param_hint="--profile") from None
    args = {"seeds": ",".join(seeds) or None, "depth": depth, "keywords": keywords,
            "profile": profile}
    if spider == "all":
        names = [n for n in chosen.spiders() if n != "related"]
        if seeds or chosen.seeds:
            names.append("related")
        if not names:
            raise click.UsageError(f"profile {chosen.name} configures nothing to crawl")
        base = {"keywords": keywords, "profile": profile or chosen.name}
        runs = [(n, {**base, "seeds": args["seeds"], "depth": depth, "incremental": "true"}
                 if n == "related" else base) for n in names]
        _exit_with(lambda: run_crawls(runs, archive, settings, proxy=proxy))
    if spider in ("series", "channel", "search"):
        args = {"keywords": keywords, "profile": profile}
    if spider == "related" and not seeds and not chosen.seeds:
        raise click.UsageError(f"give at least one --seed URL (profile {chosen.name} names no "
                               "seeds)")
    if workers:
        _exit_with(lambda: _distributed(spider, archive, args, settings, proxy, workers,
                                        redis_url))
    _exit_with(lambda: run_crawl(spider, archive, args, settings, proxy=proxy))


def _exit_with(run) -> None:
    """Run a crawl and exit with its code — 4 when another crawl holds the archive, 1 when
    its lock cannot even be made, 2/1 for an archive that is not ours or is damaged."""
    from archive.schema import ArchiveError
    from runtime.lock import Locked, LockUnavailable

    try:
        code = run()
    except Locked as e:
        click.echo(str(e), err=True)
        sys.exit(4)
    except LockUnavailable as e:
        _fail(str(e))
    except ArchiveError as e:
        _fail(str(e), 2 if e.usage else 1)
    sys.exit(code)


def _check_workers(spider: str, workers: int | None, join: bool) -> None:
    if join and not workers:
        raise click.UsageError("--join needs --workers N")
    if spider == "all":
        raise click.UsageError("--workers runs one spider; crawl all runs its spiders in turn")


def _distributed(spider, archive, args, settings, proxy, workers, redis_url, join=False) -> int:
    from xietong.distributed.coordinator import run_distributed
    from xietong.distributed.jobs import DEFAULT_REDIS_URL, DistributedError

    url = redis_url or os.environ.get("XIETONG_REDIS_URL") or DEFAULT_REDIS_URL
    try:
        return run_distributed(spider, archive, args, settings, workers, url, proxy=proxy,
                               join=join)
    except DistributedError as e:
        raise click.ClickException(str(e)) from None


@cli.command()
@click.option("--db", "archive", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_ARCHIVE, show_default=True, help="Archive file.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--allow-sql", is_flag=True,
              help="Allow arbitrary SQL (?sql=) when serving on another address than "
              "127.0.0.1 (it is on for 127.0.0.1, off elsewhere).")
def serve(archive, host, port, allow_sql):
    """Serve the archive read-only with Datasette. A read-only file or medium is served as
    immutable. Queries run under SQLite limits and a response size cap.

    \b
    Example:
      xietong serve --db data/archive.db --port 8001
    """
    _serve(archive, host, port, allow_sql)


def _listening_socket(host: str, port: int):
    """The socket the server will answer on, bound now — before the demo crawls, before
    anything says "Serving": a busy port or an address this machine does not have is one
    line and exit 2. uvicorn is then handed this socket (no second bind, no race)."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as e:
        _fail(f"--host {host}: not an address to serve on ({getattr(e, 'strerror', None) or e})",
              2)
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as e:
        sock.close()
        busy = " (another server has it: choose a port with --port)" \
            if e.errno == errno.EADDRINUSE else ""
        _fail(f"cannot serve on {host}:{port}: {e.strerror or e}{busy}", 2)
    return sock


def _serve(archive: Path, host: str, port: int, allow_sql: bool = False, sock=None) -> None:
    import uvicorn

    from archive.schema import ArchiveError
    from archive.serve import make_datasette, serving_mode

    _checked_archive(archive, must_exist=True)
    sock = sock or _listening_socket(host, port)
    sql = allow_sql or host == "127.0.0.1"
    try:
        ds = make_datasette(archive, allow_sql=sql)
    except ArchiveError as e:
        _fail(str(e), 2 if e.usage else 1)
    mode = serving_mode(archive)
    if mode:
        click.echo(mode)
    if not sql:
        click.echo(f"arbitrary SQL is off on {host} (--allow-sql turns it on); tables, "
                   "search and the canned queries are served")
    click.echo(f"Serving {archive} at http://{host}:{port}/{archive.stem}/articles "
               "(Ctrl-C to stop)")
    server = uvicorn.Server(uvicorn.Config(ds.app(), log_level="warning"))
    server.run(sockets=[sock])


@cli.command()
@click.option("--db", "archive", type=click.Path(dir_okay=False, path_type=Path),
              default=DEMO_ARCHIVE, show_default=True, help="Demo archive (recreated).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--depth", type=int, default=4, show_default=True)
@click.option("--no-serve", is_flag=True, help="Build the archive and stop.")
def demo(archive, port, depth, no_serve):
    """Offline demo: replay the bundled sample site, crawl it, let the site edit an article and
    revisit it (so an article has two versions to compare), serve the archive.

    \b
    Example:
      xietong demo --port 8001
    """
    from sample_site.replay import ReplayServer
    from sample_site.site import build_site

    _checked_archive(archive)  # recreated: it had better be a demo archive, not a stranger's
    # The port first: a busy one is said now, not after the crawl.
    sock = None if no_serve else _listening_socket("127.0.0.1", port)
    site = build_site()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive}{suffix}").unlink(missing_ok=True)
    crawl = [sys.executable, "-m", "xietong", "crawl"]
    common = ["--db", str(archive), "--delay", "0"]
    with ReplayServer(site) as replay:
        click.echo(f"1/4 sample site: {len(site.articles)} articles on people.cn hostnames, "
                   f"replayed by a proxy at {replay.proxy_url}")
        click.echo(f"2/4 crawling from the seed {site.seed}")
        code = subprocess.call([*crawl, "related", "--seed", site.seed, "--depth", str(depth),
                                *common, "--proxy", replay.proxy_url])
        if code == 0:
            revised = site.revise()
            click.echo(f"3/4 the site edits {len(revised)} article(s) ({', '.join(revised)}); "
                       "revisiting the archive")
            code = subprocess.call([*crawl, "revisit", *common, "--proxy", replay.proxy_url])
    if code != 0:
        raise click.ClickException(f"the demo crawl failed (exit {code})")
    if no_serve:
        click.echo(f"4/4 archive ready: {archive}")
        return
    click.echo("4/4 serving the archive with Datasette")
    _serve(archive, "127.0.0.1", port, sock=sock)


# The page readers by name (peoplecn.pages.READER_NAMES; kept here so --help needs no import).
READERS = ["auto", "people_2020", "people_2016", "people_n", "people_en", "cues", "generic"]


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was fetched from.")
@click.option("--content-type", default=None,
              help='The HTTP Content-Type it was served with, e.g. "text/html; charset=GBK".')
@click.option("--reader", type=click.Choice(READERS), default="auto", show_default=True,
              help="The page reader: auto (as the crawler chooses: the template the page "
              "shows, else cues on people.cn hosts, else generic), a template reader, cues "
              "(template-blind: every field from the text's cues) or generic (trafilatura).")
def parse(file, url, content_type, reader):
    """Print what the page reader makes of a saved page, as JSON.

    \b
    Examples:
      xietong parse page.html --url http://he.people.com.cn/n2/2024/0225/c192235-40745301.html
      xietong parse page.html --url http://he.people.com.cn/GB/197051/8923456.html --reader cues
    """
    from archive.store import article_row
    from peoplecn.pages import PageError, parse_article, read_with

    try:
        body = file.read_bytes()
        article = (parse_article(url, body, content_type) if reader == "auto"
                   else read_with(reader, url, body, content_type))
        record = article.to_dict()
    except PageError as e:
        raise click.ClickException(f"{e} [{e.kind}]") from None
    row = article_row(record)
    row["links"] = record["links"]
    for name in ("authors", "editors", "images", "contributors", "date_candidates",
                 "field_sources"):
        if isinstance(row.get(name), str):
            row[name] = json.loads(row[name])
    click.echo(json.dumps(row, ensure_ascii=False, indent=2))


@cli.command()
@click.option("--db", "archive", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_ARCHIVE, show_default=True, help="Archive file.")
def reparse(archive):
    """Rebuild every article from its stored captures, offline (after a reader improves).

    Articles whose content comes out the same are left untouched; the others get a new version.

    \b
    Example:
      xietong reparse --db data/archive.db
    """
    from archive.schema import ArchiveError
    from xietong.reparse import reparse as run

    _checked_archive(archive, must_exist=True)
    try:
        outcomes, errors = run(archive)
    except ArchiveError as e:
        _fail(str(e), 2 if e.usage else 1)
    for line in errors:
        click.echo(f"unreadable: {line}", err=True)
    click.echo("reparse: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))


@cli.command()
@click.option("--db", "archive", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_ARCHIVE, show_default=True, help="Archive file.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the export into.")
@click.option("--format", "formats", default="jsonl,csv", show_default=True,
              help="Comma-separated: jsonl, csv, warc (the captures, photos included), wacz "
              "(the same as a WACZ: WARC, CDXJ index, pages list).")
@click.option("--where", default=None,
              help="SQL condition on articles, e.g. \"series = '京津冀协同发展十年'\".")
@click.option("--search", default=None, help="Full-text query, as in Datasette's search box.")
def export(archive, out, formats, where, search):
    """Export a selection as JSONL/CSV (+ data dictionary), WARC or WACZ, with a manifest of
    hashes.

    Files appear under their names only when all are complete, manifest.json last. --out
    must be empty, new, or hold an earlier export (replaced: the files its manifest lists).
    CSV cells that a spreadsheet would run as formulas start with an apostrophe.

    \b
    Examples:
      xietong export --db data/archive.db --out export/xiongan --search 雄安 --format jsonl,csv,warc
      xietong export --db data/archive.db --out export/all --format wacz
    """
    from xietong.export import ExportError
    from xietong.export import export as run

    _checked_archive(archive, must_exist=True)
    try:
        manifest = run(archive, out, {f.strip() for f in formats.split(",") if f.strip()},
                       where, search)
    except ExportError as e:
        _fail(str(e), 2 if e.usage else 1)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    click.echo(f"exported {counts} to {out} (manifest.json lists every file with its SHA-256)")


if __name__ == "__main__":
    cli()
