"""Rendering the pages: one Jinja2 environment per language with the gettext catalogue installed (Jinja2's i18n
extension, `{% trans %}` and `_()`), the locale's formats, and the security headers every page carries.

Pages are CSP-friendly: no inline script or style; the stylesheet and the small scripts are files under /static."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pb_ledger.messages import message
from pb_ledger.web import i18n, labels

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
# the API's own documentation pages load their scripts from elsewhere: they keep FastAPI's defaults
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
NO_CSP = ("/docs", "/redoc")


@cache
def environment(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(),
                      extensions=["jinja2.ext.i18n"], lstrip_blocks=True)
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(labels=labels, fmt=i18n.Formats(lang), lang=lang, dir=i18n.DIRECTION[lang],
                       languages=[(code, i18n.NAMES[code]) for code in i18n.LANGUAGES],
                       error_sentence=lambda code: message(code, lang))
    return env


def render(request: Request, template: str, lang: str | None, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the visitor's language; `switch_to` (a path) is where the language links lead when the current
    address cannot be shown again (a page answering a form)."""
    language = i18n.pick_language(lang)
    env = environment(language)
    base = context.pop("switch_to", None)
    links = {code: _language_link(request, code, base) for code in i18n.LANGUAGES}
    account = getattr(request.state, "account", None)
    html = env.get_template(template).render(request=request, language_links=links, account=account,
                                             log=request.app.state.service.ledger.log_id, **context)
    return HTMLResponse(html, status_code=status)


def _language_link(request: Request, code: str, base: str | None) -> str:
    if base is not None:
        return f"{base}{'&' if '?' in base else '?'}lang={code}"
    url = request.url.include_query_params(lang=code)
    return f"{url.path}?{url.query}"


class SecurityHeaders:
    """Pages get a strict Content-Security-Policy and the usual hardening headers (pure ASGI, so it wraps every
    response, streamed files included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
                if not path.startswith(NO_CSP):
                    headers += [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY")]
                msg["headers"] = headers
            await send(msg)

        await self.app(scope, receive, send_with_headers)


STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}


def install_static(app: FastAPI) -> None:
    """The stylesheet and scripts, as a route of the matrix like every other (public), and the headers."""
    files = {p.name: p for p in STATIC_DIR.iterdir() if p.suffix in STATIC_TYPES}

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        path = files.get(name)
        if path is None:
            raise StarletteHTTPException(404, f"no static file {name!r}")
        return FileResponse(path, media_type=STATIC_TYPES[path.suffix],
                            headers={"Cache-Control": "public, max-age=3600"})

    app.add_middleware(SecurityHeaders)
