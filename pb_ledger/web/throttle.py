"""Limits on what anyone may send without an account: how often, and how much.

Everything a public route appends stays in the log for good, so an anonymous caller must not be able to append
thousands of ideas a minute or send megabytes in one request. Two guards:

- `RequestSizeLimit` (ASGI middleware): a request body over `max_body` bytes is refused with 413 before the route
  runs, whether it announces its length or streams it.
- `PublicWriteLimits`: each public POST route has a rate per client address (moving window, the `limits` library),
  checked by the authorisation dependency (authz.py) so that the route table stays the one place that says who may
  call what. The rates are generous enough for many residents behind one mobile operator's shared address during a
  vote, and tight where one person has no reason to repeat (submitting ideas). Behind a reverse proxy, run uvicorn
  with the proxy's address in `--forwarded-allow-ips` so that the client address is the resident's.

`PB_LEDGER_RATE_LIMITS=off` turns the rates off (load tests); the storage is in memory by default, per process, or
any `limits` storage URI in `PB_LEDGER_RATE_LIMIT_STORAGE` (e.g. `redis://…`) shared by several processes."""

from __future__ import annotations

import json
import os

from limits import parse, storage, strategies
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pb_ledger.domain.errors import DomainError
from pb_ledger.messages import message

MAX_BODY = 8 * 1024 * 1024  # bytes: a register of 100,000 residents fits; every other request is far smaller

# per client address, for each public POST route (route templates of authz.MATRIX)
RATES = {
    "submit-idea": "20/hour", "submit": "20/hour",  # an idea, online (API, page)
    "lodge-appeal": "20/hour",
    "request-code": "30/hour", "vote/code": "30/hour",  # each person has their own limit too (identity.py)
    "cast-online-ballot": "300/minute", "vote": "300/minute",
    "sessions": "30/minute", "login": "30/minute",  # each user name is locked after 5 failures (accounts.py)
}
DEFAULT_RATE = "60/minute"


class PublicWriteLimits:
    def __init__(self, storage_uri: str | None = None, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = os.environ.get("PB_LEDGER_RATE_LIMITS", "on").lower() not in ("off", "0", "false")
        self.enabled = enabled
        uri = storage_uri or os.environ.get("PB_LEDGER_RATE_LIMIT_STORAGE") or "memory://"
        self.limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(uri))

    def hit(self, route: str, client: str) -> None:
        """Count one public write on `route` (its template) by `client`; refused past the route's rate."""
        if not self.enabled:
            return
        rate = parse(RATES.get(_last_words(route), DEFAULT_RATE))
        if not self.limiter.hit(rate, route, client):
            raise DomainError("too_many_requests", f"too many requests from this address ({rate}): wait a moment, "
                                                   "then try again")


def _last_words(route: str) -> str:
    """'…/cycles/{cycle}/vote/code' -> 'vote/code'; '…/submit-idea' -> 'submit-idea'."""
    parts = [p for p in route.split("/") if p and not p.startswith("{")]
    two = "/".join(parts[-2:])
    return two if two in RATES else (parts[-1] if parts else "")


class RequestTooLarge(Exception):
    code = "request_too_large"


class RequestSizeLimit:
    """Refuse (413, code `request_too_large`) a request whose body is larger than `max_body` bytes: at once when
    its Content-Length says so, else as soon as the streamed body passes the bound (FastAPI may then answer 400
    while parsing it; either way the route never runs on it)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(send, headers)
            return
        received, started = 0, False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise RequestTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except RequestTooLarge:
            if not started:
                await self._refuse(send, headers)

    async def _refuse(self, send: Send, headers: dict[bytes, bytes]) -> None:
        asked = headers.get(b"accept-language", b"").decode("latin-1")[:2].lower()
        lang = asked if asked in ("fr", "en") else "ar"  # Arabic unless the caller asks otherwise, as every refusal
        code = RequestTooLarge.code
        body = json.dumps({"error": {"code": code, "message": message(code, lang),
                                     "detail": f"the body is larger than {self.max_body} bytes"}}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
