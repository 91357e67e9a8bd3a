"""The `xietong` command: crawl people.cn into an archive, serve it with Datasette, run the
offline demo, read one saved page. User mistakes end with a message and exit code 2, never a
traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click

DEFAULT_ARCHIVE = Path(os.environ.get("XIETONG_ARCHIVE", "data/archive.db"))
DEMO_ARCHIVE = Path("data/demo/archive.db")
SPIDERS = ["related"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xietong")
def cli():
    """xietong (协同): crawl and archive People's Daily news on 京津冀协同发展, search it in
    Datasette."""


def _parse_set(values: tuple[str, ...]) -> dict:
    out = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--set")
        name, value = item.split("=", 1)
        out[name.strip()] = value
    return out


@cli.command()
@click.argument("spider", type=click.Choice(SPIDERS), default="related")
@click.option("--seed", "seeds", multiple=True, metavar="URL",
              help="Article URL to start from (repeatable).")
@click.option("--depth", type=click.IntRange(0, 50), default=None,
              help="Link hops to follow from the seeds [default: 3].")
@click.option("--keywords", default=None,
              help='Comma-separated relevance keywords; "" archives everything reached.')
@click.option("--db", "archive", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_ARCHIVE, show_default=True, help="Archive file.")
@click.option("--proxy", metavar="URL", help="HTTP proxy for every request (e.g. the replay "
              "server).")
@click.option("--delay", type=float, default=None,
              help="Seconds between requests to one host [default: 5, AutoThrottle on].")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Any Scrapy setting (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def crawl(spider, seeds, depth, keywords, archive, proxy, delay, overrides, verbose):
    """Crawl people.cn into the archive.

    \b
    Example:
      xietong crawl related --seed http://he.people.com.cn/n2/2024/0225/c192235-40745301.html
    """
    from spiders import urls
    from xietong.crawl import run_crawl

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
    args = {"seeds": ",".join(seeds) or None, "depth": depth, "keywords": keywords}
    if spider == "related" and not seeds:
        from scrapy.utils.project import get_project_settings

        os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "xietong.settings")
        if not get_project_settings().getlist("XIETONG_SEEDS"):
            raise click.UsageError("give at least one --seed URL")
    sys.exit(run_crawl(spider, archive, args, settings, proxy=proxy))


@cli.command()
@click.option("--db", "archive", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_ARCHIVE, show_default=True, help="Archive file.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8001, show_default=True)
def serve(archive, host, port):
    """Serve the archive read-only with Datasette.

    \b
    Example:
      xietong serve --db data/archive.db --port 8001
    """
    _serve(archive, host, port)


def _serve(archive: Path, host: str, port: int) -> None:
    import uvicorn

    from archive.serve import make_datasette

    try:
        ds = make_datasette(archive)
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"Serving {archive} at http://{host}:{port}/{archive.stem}/articles "
               "(Ctrl-C to stop)")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")


@cli.command()
@click.option("--db", "archive", type=click.Path(dir_okay=False, path_type=Path),
              default=DEMO_ARCHIVE, show_default=True, help="Demo archive (recreated).")
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--depth", type=int, default=4, show_default=True)
@click.option("--no-serve", is_flag=True, help="Build the archive and stop.")
def demo(archive, port, depth, no_serve):
    """Offline demo: replay the bundled sample site, crawl it, serve the archive.

    \b
    Example:
      xietong demo --port 8001
    """
    from sample_site.replay import ReplayServer
    from sample_site.site import build_site

    site = build_site()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive}{suffix}").unlink(missing_ok=True)
    with ReplayServer(site) as replay:
        click.echo(f"1/3 sample site: {len(site.articles)} articles on people.cn hostnames, "
                   f"replayed by a proxy at {replay.proxy_url}")
        click.echo(f"2/3 crawling from the seed {site.seed}")
        code = subprocess.call([
            sys.executable, "-m", "xietong", "crawl", "related", "--seed", site.seed,
            "--depth", str(depth), "--db", str(archive), "--proxy", replay.proxy_url,
            "--delay", "0",
        ])
    if code != 0:
        raise click.ClickException(f"the demo crawl failed (exit {code})")
    if no_serve:
        click.echo(f"3/3 archive ready: {archive}")
        return
    click.echo("3/3 serving the archive with Datasette")
    _serve(archive, "127.0.0.1", port)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was fetched from.")
@click.option("--content-type", default=None,
              help='The HTTP Content-Type it was served with, e.g. "text/html; charset=GBK".')
def parse(file, url, content_type):
    """Print what the page reader makes of a saved page, as JSON.

    \b
    Example:
      xietong parse page.html --url http://he.people.com.cn/n2/2024/0225/c192235-40745301.html
    """
    from archive.store import article_row
    from spiders.pages import PageError, parse_article

    try:
        record = parse_article(url, file.read_bytes(), content_type).to_dict()
    except PageError as e:
        raise click.ClickException(str(e)) from None
    row = article_row(record)
    row["links"] = record["links"]
    for name in ("authors", "editors", "images"):
        row[name] = json.loads(row[name])
    click.echo(json.dumps(row, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    cli()
