"""The API's documentation pages (Swagger UI at /docs, ReDoc at /redoc), served from this server.

FastAPI's default pages load their scripts from a CDN: offline (a commune's intranet, this CI) /docs is blank, and
every visitor's address goes to a third party. The same scripts ship in the `fastapi-offline` package; they are
served here as ordinary public routes of the authorisation matrix."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

ASSETS = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8", "swagger-ui.css": "text/css; charset=utf-8",
          "redoc.standalone.js": "text/javascript; charset=utf-8", "favicon.png": "image/png"}
ASSETS_URL = "/docs/assets"


def install_api_docs(app: FastAPI) -> None:
    """Routes for /docs, /redoc and their assets; create the app with docs_url=None and redoc_url=None."""
    folder = resources.files("fastapi_offline") / "static"
    title = app.title

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{title} · API",
                                   oauth2_redirect_url="/docs/oauth2-redirect",
                                   swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS_URL}/favicon.png")

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title=f"{title} · API",
                              redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
                              redoc_favicon_url=f"{ASSETS_URL}/favicon.png", with_google_fonts=False)

    @app.get(ASSETS_URL + "/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        if name not in ASSETS:
            raise StarletteHTTPException(404, f"no documentation asset {name!r}")
        return Response((folder / name).read_bytes(), media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=86400"})
