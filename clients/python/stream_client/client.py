"""The STREAM API client: requests, paging, the schema and typed exports."""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from . import __version__
from .errors import StreamConnectionError, StreamError
from .values import fields_of, type_rows

API_PREFIX = "/api/v1"
USER_AGENT = f"stream-client-python/{__version__}"
DEFAULT_PAGE_SIZE = 1000  # the server's maximum


def _api_root(base_url: str) -> str:
    """``http://host:port`` (with any path prefix of a proxy) from a URL with or without /api/v1."""
    if not isinstance(base_url, str) or not base_url.strip():
        raise ValueError("base_url must be the server's address, e.g. https://stream.example.org")
    url = base_url.strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base_url must start with http:// or https:// and name a host, not {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url must not carry a query or fragment: {base_url!r}")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    return url


def _query(params: Mapping[str, Any]) -> str:
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append((key, str(value)))
    return urllib.parse.urlencode(pairs)


def _segment(value: Any) -> str:
    """One path segment (a kind, protocol or id), escaped."""
    text = str(value)
    if text == "":
        raise ValueError("an empty name or id in the path")
    return urllib.parse.quote(text, safe="")


def _error_from_body(status: int, body: bytes, headers: Any, method: str, url: str) -> StreamError:
    request_id = headers.get("X-Request-Id") if headers is not None else None
    text = body.decode("utf-8", errors="replace")
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if isinstance(document, dict) and isinstance(document.get("error"), dict):
        e = document["error"]
        return StreamError(
            str(e.get("message") or f"HTTP {status}"),
            status=status,
            code=e.get("code"),
            where=e.get("where") or None,
            request_id=e.get("request_id") or request_id,
            method=method,
            url=url,
        )
    snippet = " ".join(text.split())[:200] or "(empty body)"
    return StreamError(
        f"HTTP {status} without a STREAM error body: {snippet}",
        status=status,
        request_id=request_id,
        method=method,
        url=url,
    )


def send(
    method: str,
    url: str,
    *,
    headers: Optional[Mapping[str, str]] = None,
    body: Any = None,
    timeout: float = 60.0,
) -> Tuple[int, Any, bytes]:
    """One HTTP request; returns (status, response headers, body bytes) for 2xx answers.

    ``body`` is sent as JSON. An HTTP error becomes ``StreamError``, no answer
    ``StreamConnectionError``.
    """
    data = None
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    all_headers.update(headers or {})
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        try:
            payload = e.read()
        except OSError:
            payload = b""
        raise _error_from_body(e.code, payload, e.headers, method, url) from None
    except urllib.error.URLError as e:
        raise StreamConnectionError(
            f"cannot reach the server: {e.reason}", method=method, url=url, reason=e
        ) from e
    except (TimeoutError, OSError) as e:  # time-outs and resets while reading the answer
        raise StreamConnectionError(
            f"no answer from the server: {e or type(e).__name__}", method=method, url=url, reason=e
        ) from e


def _decode(status: int, headers: Any, payload: bytes, method: str, url: str) -> Any:
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    text = payload.decode("utf-8")
    if content_type == "application/json" or (not content_type and text[:1] in "{["):
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as e:
            raise StreamError(
                f"the answer is not valid JSON: {e}",
                status=status,
                request_id=headers.get("X-Request-Id"),
                method=method,
                url=url,
            ) from None
    return text


class Client:
    """A STREAM server, read with an API token.

    >>> client = Client("https://stream.example.org", "stk_...")
    >>> client.schema()["kinds"][0]["name"]
    'patient'

    ``base_url`` is the server's address (``/api/v1`` may be included or left out);
    ``token`` an API token (``stk_...``, from ``POST /api/v1/tokens`` or ``issue_token``).
    ``timeout`` is in seconds, per request.
    """

    def __init__(self, base_url: str, token: Optional[str] = None, *, timeout: float = 60.0) -> None:
        self.base_url = _api_root(base_url)
        if token is not None and (not isinstance(token, str) or not token.strip()):
            raise ValueError("token must be an API token string (stk_...)")
        self._token = token.strip() if token else None
        self.timeout = timeout
        self._schema: Optional[Dict[str, Any]] = None

    @classmethod
    def from_env(cls, *, timeout: float = 60.0, environ: Optional[Mapping[str, str]] = None) -> "Client":
        """A client for ``$STREAM_URL`` with the API token ``$STREAM_TOKEN``."""
        env = os.environ if environ is None else environ
        url = env.get("STREAM_URL", "").strip()
        token = env.get("STREAM_TOKEN", "").strip()
        missing = [name for name, value in (("STREAM_URL", url), ("STREAM_TOKEN", token)) if not value]
        if missing:
            raise ValueError(
                f"{' and '.join(missing)} not set: export STREAM_URL=https://your-server "
                "and STREAM_TOKEN=stk_... (an API token)"
            )
        return cls(url, token, timeout=timeout)

    def __repr__(self) -> str:
        return f"Client({self.base_url!r}, token={'***' if self._token else None})"

    # --- requests --------------------------------------------------------------------

    def url(self, path: str, **params: Any) -> str:
        """The full URL of an API path (``"patients"``, ``"/patients"`` or ``"/api/v1/patients"``)."""
        if "://" in path:
            raise ValueError(f"give a path under {API_PREFIX}, not a full URL: {path!r}")
        if "?" in path:
            raise ValueError(f"give query parameters as keyword arguments, not in the path: {path!r}")
        path = "/" + path.lstrip("/")
        if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            path = API_PREFIX + path
        query = _query(params)
        return self.base_url + path + ("?" + query if query else "")

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """Any request: JSON answers are decoded, others (CSV) returned as text."""
        url = self.url(path, **params)
        headers = {"Accept": "application/json, text/csv;q=0.9"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        status, response_headers, payload = send(method, url, headers=headers, body=body, timeout=self.timeout)
        return _decode(status, response_headers, payload, method, url)

    def get(self, path: str, **params: Any) -> Any:
        """``GET /api/v1/<path>?<params>``: the decoded JSON (or the text of a CSV answer).

        ``None`` parameters are left out, booleans sent as true/false.
        """
        return self.request("GET", path, **params)

    # --- paging ----------------------------------------------------------------------

    def _pages(self, path: str, cursor_param: str, cursor_field: str, page_size: int,
               params: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
        if "limit" in params:
            raise TypeError("give the page size as page_size=, not limit= (every page is read)")
        if cursor_param in params:
            raise TypeError(f"the pages are followed for you; do not pass {cursor_param}=")
        if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= 1000:
            raise ValueError(f"page_size must be a whole number from 1 to 1000, not {page_size!r}")
        cursor = None
        while True:
            page = self.get(path, limit=page_size, **{cursor_param: cursor}, **params)
            if not isinstance(page, dict) or not isinstance(page.get("items"), list):
                raise StreamError(f"expected a page with items, got {type(page).__name__}", url=self.url(path))
            yield from page["items"]
            following = page.get(cursor_field)
            if following is None:
                return
            if following == cursor or not page["items"]:
                raise StreamError(
                    f"the server's {cursor_field} ({following!r}) does not move on; stopping",
                    url=self.url(path, **{cursor_param: cursor}),
                )
            cursor = following

    def patients(self, *, page_size: int = DEFAULT_PAGE_SIZE, **params: Any) -> Iterator[Dict[str, Any]]:
        """Every patient you may see, in id order, across all pages (``?after=``/``next_after``).

        ``params``: the route's filters, e.g. ``site="IT-FO-01"`` or ``pseudonym=...``.
        """
        return self._pages("patients", "after", "next_after", page_size, params)

    def records(self, kind: str, *, page_size: int = DEFAULT_PAGE_SIZE, **params: Any) -> Iterator[Dict[str, Any]]:
        """Every record of one kind (e.g. ``"diagnosis"``) you may see, across all pages."""
        return self._pages(f"records/{_segment(kind)}", "after", "next_after", page_size, params)

    def patient_records(self, patient_id: int, kind: str, *, page_size: int = DEFAULT_PAGE_SIZE,
                        **params: Any) -> Iterator[Dict[str, Any]]:
        """One patient's records of one kind, across all pages."""
        return self._pages(f"patients/{_segment(patient_id)}/records/{_segment(kind)}", "after", "next_after",
                           page_size, params)

    def enrolments(self, protocol: str, *, page_size: int = DEFAULT_PAGE_SIZE,
                   **params: Any) -> Iterator[Dict[str, Any]]:
        """A protocol's allocations you may see, in enrolment order (``?offset=``/``next_offset``)."""
        return self._pages(f"protocols/{_segment(protocol)}/enrolments", "offset", "next_offset", page_size, params)

    # --- the data model and exports ---------------------------------------------------

    def schema(self, *, refresh: bool = False) -> Dict[str, Any]:
        """The data model (``GET /api/v1/schema``), fetched once and kept."""
        if self._schema is None or refresh:
            self._schema = self.get("schema")
        return self._schema

    def fields(self, kind: str) -> List[Dict[str, Any]]:
        """The schema's fields of one kind (``"patient"`` or a record kind)."""
        found = fields_of(self.schema(), kind)
        if found is None:
            known = ", ".join(k.get("name", "?") for k in self.schema().get("kinds", []))
            raise ValueError(f"no kind {kind!r} in the server's data model (kinds: {known})")
        return found

    def codebook(self) -> List[Dict[str, str]]:
        """The codebook of the exports (``GET /api/v1/schema/codebook``) as rows of text."""
        return list(csv.DictReader(io.StringIO(self.get("schema/codebook"))))

    def export_text(self, kind: str, study: Optional[str] = None, *, format: str = "csv") -> str:
        """An export exactly as the server writes it (CSV or JSON text), e.g. to save to a file."""
        if format not in ("csv", "json"):
            raise ValueError(f"format must be csv or json, not {format!r}")
        url = self.url(f"exports/{_segment(kind)}", format=format, study=study)
        headers = {"Accept": "text/csv" if format == "csv" else "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        _, _, payload = send("GET", url, headers=headers, timeout=self.timeout)
        return payload.decode("utf-8")

    def export(self, kind: str, study: Optional[str] = None, *, labels: str = "add",
               format: str = "json") -> List[Dict[str, Any]]:
        """Every record of one kind you may see, as typed rows (a list of dicts).

        ``study``: the study keying pseudonyms (a protocol id, or ``"registry"``); statisticians
        must name one. Values are typed from the schema (int, float, ``datetime.date``, bool,
        lists for code sets, ``None`` for not recorded). ``labels``: ``"add"`` (default) puts
        each code's human label in a ``<field>_label`` column beside the code; ``"replace"``
        puts the label in place of the code; ``"none"`` keeps only codes. ``format``: what is
        fetched, ``"json"`` (default) or ``"csv"``; the rows are the same but for the columns
        only the JSON export carries (``version``, and ``id``/``patient_id`` for registry roles).
        """
        fields = self.fields(kind)
        if format == "json":
            document = self.get(f"exports/{_segment(kind)}", format="json", study=study)
            if not isinstance(document, dict) or not isinstance(document.get("items"), list):
                raise StreamError("expected an export with items", url=self.url(f"exports/{kind}"))
            return type_rows(kind, fields, document["items"], labels=labels)
        if format == "csv":
            text = self.export_text(kind, study, format="csv")
            return type_rows(kind, fields, csv.DictReader(io.StringIO(text)), labels=labels, from_csv=True)
        raise ValueError(f"format must be json or csv, not {format!r}")


def issue_token(base_url: str, username: str, password: str, label: str, *, timeout: float = 60.0) -> str:
    """Sign in with a user name and password, issue an API token and sign out; returns its secret.

    The secret (``stk_...``) is shown only this once by the server: keep it somewhere safe
    (e.g. a password manager or the STREAM_TOKEN variable of a scheduled job). The token
    carries your role and site; revoke it with ``DELETE /api/v1/tokens/{id}``.
    """
    root = _api_root(base_url) + API_PREFIX
    status, headers, payload = send("POST", root + "/session", body={"username": username, "password": password},
                                    timeout=timeout)
    session = _decode(status, headers, payload, "POST", root + "/session")
    cookies = []
    for value in headers.get_all("Set-Cookie") or []:
        pair = value.split(";", 1)[0].strip()
        if "=" in pair:
            cookies.append(pair)
    if not cookies or not isinstance(session, dict) or not session.get("csrf_token"):
        raise StreamError("the sign-in answer carried no session cookie or CSRF token", status=status,
                          method="POST", url=root + "/session")
    auth = {"Cookie": "; ".join(cookies), "X-CSRF-Token": session["csrf_token"]}
    try:
        status, headers, payload = send("POST", root + "/tokens", headers=auth, body={"label": label},
                                        timeout=timeout)
        issued = _decode(status, headers, payload, "POST", root + "/tokens")
    finally:
        try:
            send("DELETE", root + "/session", headers=auth, timeout=timeout)
        except StreamError:
            pass  # the session ends by itself; the token (or the error above) is what matters
    secret = issued.get("secret") if isinstance(issued, dict) else None
    if not secret:
        raise StreamError("the token answer carried no secret", status=status, method="POST", url=root + "/tokens")
    return secret
