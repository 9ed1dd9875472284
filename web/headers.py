"""Response headers added to every HTTP response: security policy and server timing.

Pure ASGI middlewares (no per-request task or body buffering), so they cost next to nothing.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]

# No inline script anywhere: the pages' JS lives in /static (pdf.js and its worker included).
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; "
    "img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The browser's own PDF viewer must be allowed to run on the PDF responses.
PDF_CSP = "frame-ancestors 'none'"
COMMON_SECURITY_HEADERS: Headers = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class AddHeaders:
    """Base ASGI middleware: appends `extra_headers(...)` when a response starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def extra_headers(self, headers: Headers, started: float) -> Headers:
        """Headers to add, given the response's own headers and the request start time."""
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding the headers when the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                message["headers"] = headers + self.extra_headers(headers, started)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SecurityHeaders(AddHeaders):
    """CSP (no inline script, no framing), nosniff and Referrer-Policy."""

    def extra_headers(self, headers: Headers, started: float) -> Headers:
        """The security headers; PDFs get a CSP that lets the browser's viewer work."""
        is_pdf = (b"content-type", b"application/pdf") in headers
        csp = PDF_CSP if is_pdf else PAGE_CSP
        return [*COMMON_SECURITY_HEADERS, (b"content-security-policy", csp.encode())]


class ServerTiming(AddHeaders):
    """`Server-Timing: app;dur=<ms>` from request start to response start (read by the bench)."""

    def extra_headers(self, headers: Headers, started: float) -> Headers:
        """The elapsed time in milliseconds."""
        elapsed_ms = (time.perf_counter() - started) * 1000
        return [(b"server-timing", f"app;dur={elapsed_ms:.1f}".encode())]
