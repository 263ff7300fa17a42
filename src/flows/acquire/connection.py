"""Opening web addresses for the fetch: http and https only, redirects checked, and for every file
a size limit and an overall deadline.

Why each rule: a link on a publisher's page is data from the network, so ``file://``, ``ftp://``
or ``data:`` links (and redirects to them) are refused, never followed: they could copy a local
file into ``data/raw``. ``timeout`` bounds each network operation, but a server that drips one
byte every few seconds never trips it, so each file also has a ``deadline`` for the whole
exchange (connection, redirects, headers and body): when it passes, every socket of that file is
shut down. A body larger than ``max_bytes`` is refused, from its ``Content-Length`` when the
server declares one, else as soon as it is exceeded.

Every failure is a :class:`~flows.errors.FetchError` with a one-line message naming the URL
(``no network?`` when the host cannot be reached) and the option that sets the limit.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from flows.acquire.pages import squash
from flows.errors import FetchError

WEB_SCHEMES = ("http", "https")
USER_AGENT = "flows-fetch/0.1 (+https://github.com/; official statistics downloader)"
MB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """How long and how much one file (or page) may take."""

    timeout: float = 60.0  # seconds one network operation may wait (--timeout)
    max_bytes: float = 50 * MB  # largest body accepted (--max-mb); the real files are under 3 MB
    deadline: float = 300.0  # seconds for one whole file, redirects included (--deadline)


def is_web(url: str) -> bool:
    """True for a well-formed ``http://`` or ``https://`` address with a host (and a valid port)."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError when out of range or not a number
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def require_web(url: str, found_on: str | None = None) -> None:
    """Refuse ``url`` (one line, naming the page it was found on) unless it is http(s)."""
    if not is_web(url):
        where = f" found on {found_on}" if found_on else ""
        raise FetchError(f"link {url}{where} is not a valid http(s) address: only http and https links are fetched")


class _Watch:
    """The deadline of one file: once it passes, every socket opened for the file is shut down,
    which wakes any read blocked on it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watch:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:  # the plain socket's shutdown, also for TLS sockets: it only ends the connection
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


def _watched(base: type, watch: _Watch) -> type:
    class Watched(base):
        def connect(self):
            super().connect()
            watch.add(self.sock)
    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch):
        super().__init__()
        self.watch = watch

    def http_open(self, req):
        return self.do_open(_watched(http.client.HTTPConnection, self.watch), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch):
        super().__init__()
        self.watch = watch

    def https_open(self, req):
        return self.do_open(_watched(http.client.HTTPSConnection, self.watch), req, context=self._context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) addresses only; anything else is refused in one line."""

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri")
        if location:
            try:
                target = urljoin(req.full_url, location.strip())
            except ValueError:
                target = location.strip()
            if not is_web(target):
                fp.close()
                raise FetchError(f"{req.full_url} redirects to {target}, not a valid http(s) address: "
                                 "only http and https links are fetched")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(watch: _Watch) -> urllib.request.OpenerDirector:
    """An opener that knows http and https and nothing else (no file, ftp or data handlers)."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), _HTTPHandler(watch),
                    _HTTPSHandler(watch), urllib.request.HTTPDefaultErrorHandler(), _Redirects(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


class Body:
    """An open answer: its headers, final URL, and :meth:`chunks` within the limits."""

    def __init__(self, url: str, response, limits: Limits, watch: _Watch):
        self.url = url
        self.response = response
        self.headers = response.headers
        self.final_url = response.geturl() or url
        self.limits = limits
        self._watch = watch
        self.received = 0

    @property
    def declared(self) -> int | None:
        """The ``Content-Length`` the server announced, if any."""
        text = (self.headers.get("Content-Length") or "").strip()
        return int(text) if text.isdigit() else None

    def chunks(self) -> Iterator[bytes]:
        """The body piece by piece; refused when over ``max_bytes`` or past the deadline."""
        limit = self.limits.max_bytes
        if self.declared is not None and self.declared > limit:
            raise FetchError(f"{self.url} announces {_mb(self.declared)}, over the {_mb(limit)} limit "
                             "(--max-mb): refused")
        while True:
            try:
                chunk = self.response.read1(_CHUNK)
            except (OSError, http.client.HTTPException) as e:
                self._check_deadline()
                raise FetchError(f"download of {self.url} broke off ({squash(str(e)) or type(e).__name__})") from None
            self._check_deadline()  # a shut-down socket reads as the end of the body
            if not chunk:
                break
            self.received += len(chunk)
            if self.received > limit:
                raise FetchError(f"{self.url} sent more than {_mb(limit)}, the limit (--max-mb): refused")
            yield chunk
        if self.declared is not None and self.received != self.declared:
            raise FetchError(f"download of {self.url} incomplete ({self.received} of {self.declared} bytes)")

    def _check_deadline(self) -> None:
        if self._watch.expired:
            raise FetchError(f"{self.url} not received within the {self._watch.seconds:g} s deadline "
                             f"({self.received} bytes by then; --deadline): refused")


@contextmanager
def opened(url: str, limits: Limits) -> Iterator[Body]:
    """``url`` opened within ``limits``; the deadline runs until the ``with`` block ends."""
    require_web(url)
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    with _Watch(limits.deadline) as watch:
        try:
            response = _opener(watch).open(req, timeout=min(limits.timeout, limits.deadline))
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as e:  # URLError and HTTPError are OSErrors
            if watch.expired:
                raise FetchError(f"{url} not answered within the {limits.deadline:g} s deadline "
                                 "(--deadline): refused") from None
            raise _opening_error(url, e, limits.timeout) from None
        with response:
            yield Body(url, response, limits, watch)


def _opening_error(url: str, e: Exception, timeout: float) -> FetchError:
    if isinstance(e, urllib.error.HTTPError):
        e.close()
        return FetchError(f"{url} answered HTTP {e.code} {squash(str(e.reason))}")
    reason = e.reason if isinstance(e, urllib.error.URLError) else e
    host = urlsplit(url).netloc or url
    if isinstance(reason, socket.gaierror):
        why = "host name not resolved"
    elif isinstance(reason, ConnectionRefusedError):
        why = "connection refused"
    elif isinstance(reason, (socket.timeout, TimeoutError)):
        why = f"no answer within {timeout:g} s"
    elif isinstance(reason, ssl.SSLError):
        return FetchError(f"no secure connection to {host} ({squash(str(reason))})")
    elif isinstance(reason, http.client.HTTPException):
        return FetchError(f"{url} did not answer in HTTP ({type(reason).__name__}: {squash(str(reason))})")
    else:
        why = squash(str(reason)) or type(reason).__name__
    return FetchError(f"cannot reach {host} ({why}); no network?")


def _mb(n: float) -> str:
    return f"{n / MB:.3g} MB"
