"""The exceptions of the STREAM client."""

from __future__ import annotations

from typing import Optional


class StreamError(Exception):
    """A request to STREAM failed.

    The server's errors have the shape ``{"error": {"code", "message", "where",
    "request_id"}}`` with an HTTP status; every part is kept:

    - ``status``: the HTTP status (404, 403, 401, 422, ...), ``None`` when no answer came;
    - ``code``: the error catalogue's name (``not_found``, ``permission_denied``,
      ``unauthenticated``, ``invalid_argument``, ``conflict``, ``reason_required``,
      ``rate_limited``), ``None`` when the answer was not a STREAM error;
    - ``message``: the server's words (or ours, when the answer could not be read);
    - ``where``: the field, JSON pointer or header at fault, when the server names one;
    - ``request_id``: the server's request id (also in its logs and audit trail), for a
      support request;
    - ``method`` and ``url``: the request that failed.
    """

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        where: Optional[str] = None,
        request_id: Optional[str] = None,
        method: str = "GET",
        url: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.where = where
        self.request_id = request_id
        self.method = method
        self.url = url

    def __str__(self) -> str:
        head = " ".join(str(p) for p in (self.status, self.code) if p is not None)
        text = f"{head}: {self.message}" if head else self.message
        details = []
        if self.where:
            details.append(f"where: {self.where}")
        if self.request_id:
            details.append(f"request_id: {self.request_id}")
        if self.url:
            details.append(f"{self.method} {self.url}")
        return f"{text} ({'; '.join(details)})" if details else text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"message={self.message!r}, where={self.where!r}, request_id={self.request_id!r})"
        )


class StreamConnectionError(StreamError):
    """No answer from the server: refused connection, unknown host, TLS failure or time-out.

    ``status`` and ``code`` are ``None``; ``url`` names what was asked for and ``reason`` is
    the underlying exception (also chained as ``__cause__``).
    """

    def __init__(self, message: str, *, method: str, url: str, reason: Optional[BaseException] = None) -> None:
        super().__init__(message, method=method, url=url)
        self.reason = reason
