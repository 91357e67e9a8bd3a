"""Every error the server answers, as a page (or JSON) with a 4xx status and one line in the
server's log — never a traceback for a client's mistake: a missing page, a bad query, a query
over a limit. Datasette's own handler prints a traceback with every local variable (through
rich) for each 404; it is replaced by this one (`take_over`), which renders the same error
templates. An exception that is a bug, not the client's doing, is still answered 400
(limits.client_error) and logged in one line; its traceback only at DEBUG level.

Never writes to the archive.
"""

from __future__ import annotations

import logging

from datasette import Response
from datasette.plugins import pm
from datasette.utils import add_cors_headers
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

from archive.datasette import limits

logger = logging.getLogger("xietong.serve")
MAX_LOGGED_PATH = 200  # characters of the request path in a log line


def take_over() -> None:
    """Datasette's default exception handler no longer runs: ours answers every error."""
    if not pm.is_blocked("datasette.handle_exception"):
        pm.set_blocked("datasette.handle_exception")


def described(exception: Exception) -> tuple[int, str, str | None, dict, bool]:
    """(status, message, title, extra JSON fields, message is HTML) of an exception."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0] if exception.args else ""), None, {}, \
            False
    if isinstance(exception, DatasetteError):
        # Datasette's own refusals; those it gives a 500 (a sort it cannot do, a query it
        # could not run) are the request's doing too.
        return (min(exception.status, 400), exception.message, exception.title,
                dict(exception.error_dict or {}), exception.message_is_html)
    found = limits.client_error(exception)
    status, message = found if found is not None else (400, str(exception))
    return status, message, None, {}, False


def log_line(request, status: int, message: str, exception: Exception) -> None:
    path = request.path if request is not None else "?"
    if len(path) > MAX_LOGGED_PATH:
        path = path[:MAX_LOGGED_PATH] + "…"
    method = request.method if request is not None else ""
    text = " ".join(str(message).split())[:300]
    logger.warning("%s %s → %d %s: %s", method, path, status, type(exception).__name__, text)
    logger.debug("the exception behind it", exc_info=exception)


async def error_response(datasette, request, exception: Exception) -> Response:
    """The answer to `exception`, rendered as Datasette renders errors (error.html, or JSON
    for a .json path), with its one log line."""
    status, message, title, info, is_html = described(exception)
    log_line(request, status, message, exception)
    info = {**info, "ok": False, "error": message, "status": status, "title": title}
    headers = {}
    if datasette.cors:
        add_cors_headers(headers)
    if request is not None and request.path.split("?")[0].endswith(".json"):
        return Response.json(info, status=status, headers=headers)
    if is_html:
        info["error"] = Markup(message)
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    return Response.html(await template.render_async(
        dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
             menu_links=lambda: [])), status=status, headers=headers)
