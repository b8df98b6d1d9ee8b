"""Refusals on the pages: an HTML page in the visitor's language with the code's sentence (pb_ledger/messages.py),
not the API's JSON; a staff page without a session leads to the login page and back."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from pb_ledger.web.errors import UNAUTHENTICATED
from pb_ledger.web.i18n import pick_language

PageError = Callable[[Request, int, str, str], Response]


def is_page(request: Request) -> bool:
    """Everything but the API, the health check and the API's own documentation is a page."""
    path = request.url.path
    return not path.startswith(("/api/", "/healthz", "/openapi.json", "/docs", "/redoc"))


def install_page_errors() -> PageError:
    from pb_ledger.web.rendering import render

    def page_error(request: Request, status: int, code: str, detail: str) -> Response:
        lang = request.query_params.get("lang")
        if code in UNAUTHENTICATED and request.method == "GET" and request.url.path != "/staff/login":
            target = quote(f"{request.url.path}", safe="/")
            response: Response = RedirectResponse(f"/staff/login?next={target}&lang={pick_language(lang)}",
                                                  status_code=303)
        else:
            response = render(request, "error.html", lang, status=status, code=code, detail=detail)
        response.headers["X-Error-Code"] = code  # the stable code, for scripts and tests reading a page
        return response

    return page_error
