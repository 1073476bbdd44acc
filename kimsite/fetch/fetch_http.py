"""Downloading one remote feed: polite, bounded and refusing to reach private networks.

`download(url, ...)` returns the body bytes (or "not modified") or raises
`FetchError` with a reason code. What it guarantees:

- only http and https URLs, on every redirect hop;
- every host is resolved here and each of its addresses must be global (no
  private, loopback, link-local, shared, multicast or reserved address) unless
  the host is listed in kimsite.yaml `fetch: allow_hosts`; the connection goes
  to the address that was checked, so a second DNS answer cannot sneak in;
- one TOTAL deadline for the whole download (DNS, connect, TLS, headers, body,
  every redirect hop): each socket operation waits at most the time left, so a
  server trickling one byte at a time is cut at the deadline too;
- a size cap on the bytes received AND on the decompressed bytes (gzip and
  deflate are inflated here, chunk by chunk, with a bounded output), so a
  gzip bomb stops at the cap; a compressed body cut before its end is refused;
- at most MAX_REDIRECTS redirects, loops detected; permanent redirects (301,
  308) from the configured URL are reported so the webmaster can update it;
- conditional requests (If-None-Match / If-Modified-Since) and a polite
  User-Agent; proxies from the environment are ignored (they would bypass the
  address check);
- a 429 or 503 answer with Retry-After (seconds, or an HTTP date read against
  the server's own Date header) is asked again once, after the wait, when the
  wait plus RETRY_MARGIN still fits the deadline; otherwise FetchError
  "retry_later" (or "busy_again" after the one retry) says when to try
  again. It never sleeps past the deadline.
"""

from __future__ import annotations

import email.utils
import ipaddress
import select
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from kimsite import __version__

DEFAULT_TIMEOUT = 20.0  # seconds, total per feed
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # per feed, received and decompressed
MAX_REDIRECTS = 5
USER_AGENT = f"kimsite/{__version__} (+feed reader)"
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)
_PERMANENT = (301, 308)
_BUSY = (429, 503)
RETRY_MARGIN = 1.0  # seconds the second request needs at least, after a Retry-After wait
MAX_RETRY_AFTER = 366 * 24 * 3600.0  # longer waits are reported as this (a year)


class FetchError(Exception):
    """A download that did not give a feed body. `reason` is a short code; `details` fill the message."""

    def __init__(self, reason: str, **details: object):
        super().__init__(reason, details)
        self.reason = reason
        self.details = details


@dataclass(frozen=True, slots=True)
class Download:
    status: int  # 200 (body holds the feed) or 304 (not modified, body empty)
    body: bytes
    final_url: str  # where the body came from, after redirects
    moved_to: str  # the new address when the configured URL redirects permanently, else ""
    etag: str
    last_modified: str
    content_type: str
    redirects: int


def check_scheme(url: str) -> None:
    """Refuse anything but http(s) URLs with a host (file:, ftp:, data:, javascript:, ...)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise FetchError("bad_url", url=url) from None
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError("scheme", scheme=parts.scheme or "?")
    if not host:
        raise FetchError("bad_url", url=url)


def is_public_address(address: str) -> bool:
    """True for a global unicast address; False for private, loopback, link-local, reserved, ..."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None and not is_public_address(str(mapped)):
            return False
    return ip.is_global and not ip.is_multicast and not ip.is_reserved and not ip.is_unspecified


def _resolve(host: str, port: int, seconds: float) -> list[tuple[int, tuple]]:
    """getaddrinfo with a time bound (the system resolver has no timeout argument)."""
    result: list = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            failure.append(exc)

    worker = threading.Thread(target=work, name="kimsite-dns", daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0))
    if worker.is_alive():
        raise httpcore.ConnectTimeout("DNS lookup took too long")
    if failure or not result:
        raise FetchError("dns", host=host)
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in result]


class _Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self, timeout: float | None = None, error: type[Exception] = httpcore.ReadTimeout) -> float:
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise error("total time limit reached")
        return remaining if timeout is None else min(timeout, remaining)


class _Stream(httpcore.NetworkStream):
    """A socket whose every operation is bounded by the feed's deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline):
        self._sock = sock
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._sock.settimeout(self._deadline.left(timeout, httpcore.ReadTimeout))
        try:
            return self._sock.recv(max_bytes)
        except (socket.timeout, TimeoutError) as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        view = memoryview(buffer)
        while view:
            self._sock.settimeout(self._deadline.left(timeout, httpcore.WriteTimeout))
            try:
                sent = self._sock.send(view)
            except (socket.timeout, TimeoutError) as exc:
                raise httpcore.WriteTimeout(str(exc)) from exc
            except OSError as exc:
                raise httpcore.WriteError(str(exc)) from exc
            view = view[sent:]

    def close(self) -> None:
        self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        self._sock.settimeout(self._deadline.left(timeout, httpcore.ConnectTimeout))
        try:
            wrapped = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname)
        except (socket.timeout, TimeoutError) as exc:
            self._sock.close()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            self._sock.close()
            raise httpcore.ConnectError(str(exc)) from exc
        return _Stream(wrapped, self._deadline)

    def get_extra_info(self, info: str):
        if info == "ssl_object":
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        if info == "socket":
            return self._sock
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "is_readable":
            try:
                readable, _, _ = select.select([self._sock], [], [], 0)
            except (OSError, ValueError):
                return True
            return bool(readable)
        return None


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks and connects by itself: the address check happens on every hop."""

    def __init__(self, deadline: _Deadline, allow_hosts: frozenset[str]):
        self._deadline = deadline
        self._allow_hosts = allow_hosts

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options=None) -> httpcore.NetworkStream:
        name = host.strip("[]").lower()
        addresses = _resolve(name, port, self._deadline.left(timeout, httpcore.ConnectTimeout))
        if name not in self._allow_hosts:
            for _family, sockaddr in addresses:
                if not is_public_address(sockaddr[0]):
                    raise FetchError("blocked", host=name, address=sockaddr[0])
        last: Exception | None = None
        for family, sockaddr in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self._deadline.left(timeout, httpcore.ConnectTimeout))
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.connect(sockaddr)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return _Stream(sock, self._deadline)
            except (socket.timeout, TimeoutError) as exc:
                sock.close()
                raise httpcore.ConnectTimeout(str(exc)) from exc
            except OSError as exc:
                sock.close()
                last = exc
        raise httpcore.ConnectError(str(last or "no address"))

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        raise FetchError("scheme", scheme="unix")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


_SSL_CONTEXT: ssl.SSLContext | None = None
_SSL_LOCK = threading.Lock()


def _ssl_context() -> ssl.SSLContext:
    global _SSL_CONTEXT
    with _SSL_LOCK:
        if _SSL_CONTEXT is None:
            _SSL_CONTEXT = httpx.create_ssl_context(trust_env=False)
        return _SSL_CONTEXT


class _Transport(httpx.HTTPTransport):
    """httpx's transport with our network backend (address checks and the deadline)."""

    def __init__(self, backend: httpcore.NetworkBackend):
        context = _ssl_context()
        super().__init__(verify=context, retries=0)
        self._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=backend,
                                             max_connections=2, retries=0, http1=True, http2=False)


class _Inflater:
    """Content-Encoding decoding with a bounded output per step."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        if encoding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._obj = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            self._obj = None
        self._first = True

    def feed(self, data: bytes, limit: int) -> bytes:
        """At most `limit` bytes of output (limit >= 1); input left over means the limit was hit."""
        if self._obj is None:
            return data
        try:
            out = self._obj.decompress(data, limit)
        except zlib.error:
            if not (self._first and self.encoding == "deflate"):
                raise FetchError("decode") from None
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
            try:
                out = self._obj.decompress(data, limit)
            except zlib.error:
                raise FetchError("decode") from None
        self._first = False
        if self._obj.unconsumed_tail:
            return out + b"\0"  # over the limit: the caller counts one byte too many
        return out

    def check_complete(self) -> None:
        """A compressed body must end where its stream ends: a cut one would read as a shorter feed."""
        if self._obj is not None and not self._obj.eof:
            raise FetchError("decode")


def _read_body(response: httpx.Response, max_bytes: int, deadline: _Deadline) -> bytes:
    encodings = [part.strip().lower() for part in response.headers.get("content-encoding", "").split(",")
                 if part.strip() and part.strip().lower() != "identity"]
    if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
        raise FetchError("encoding", encoding=", ".join(encodings))
    inflater = _Inflater(encodings[0] if encodings else "identity")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError("too_large", limit=max_bytes // (1024 * 1024) or 1)
    received = 0
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        deadline.left(None, httpx.ReadTimeout)
        received += len(chunk)
        if received > max_bytes:
            raise FetchError("too_large", limit=max_bytes // (1024 * 1024) or 1)
        data = inflater.feed(chunk, max_bytes - size + 1)
        size += len(data)
        if size > max_bytes:
            raise FetchError("too_large", limit=max_bytes // (1024 * 1024) or 1)
        parts.append(data)
    inflater.check_complete()
    return b"".join(parts)


def download(url: str, *, etag: str = "", last_modified: str = "", timeout: float = DEFAULT_TIMEOUT,
             max_bytes: int = DEFAULT_MAX_BYTES, allow_hosts: tuple[str, ...] | frozenset[str] = ()
             ) -> Download:
    """Fetch `url` within `timeout` seconds in total. Raises FetchError."""
    check_scheme(url)
    deadline = _Deadline(timeout)
    backend = _GuardedBackend(deadline, frozenset(host.lower() for host in allow_hosts))
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen = {url}
    current = url
    moved_to = ""
    permanent = True
    retried = False
    hop = 0
    try:
        with httpx.Client(transport=_Transport(backend), follow_redirects=False, trust_env=False,
                          timeout=httpx.Timeout(timeout), headers=headers) as client:
            while True:
                with client.stream("GET", current) as response:
                    status = response.status_code
                    if status in _REDIRECTS:
                        location = response.headers.get("location", "").strip()
                        if not location:
                            raise FetchError("http_status", status=status)
                        target = urljoin(current, location)
                        check_scheme(target)
                        if target in seen:
                            raise FetchError("redirect_loop")
                        if hop == MAX_REDIRECTS:
                            raise FetchError("too_many_redirects", limit=MAX_REDIRECTS)
                        seen.add(target)
                        if permanent and status in _PERMANENT:
                            moved_to = target
                        else:
                            permanent = False
                        current = target
                        hop += 1
                        continue
                    if status in _BUSY:
                        wait = _busy(response, deadline, retried)
                    else:
                        common = dict(final_url=current, moved_to=moved_to,
                                      etag=response.headers.get("etag", ""),
                                      last_modified=response.headers.get("last-modified", ""),
                                      content_type=response.headers.get("content-type", ""), redirects=hop)
                        if status == 304:
                            return Download(status=304, body=b"", **common)
                        if status == 410:
                            raise FetchError("gone")
                        if not 200 <= status < 300 or status == 204:
                            raise FetchError("http_status", status=status)
                        body = _read_body(response, max_bytes, deadline)
                        return Download(status=200, body=body, **common)
                time.sleep(wait)  # outside the `with`: the first answer is released before waiting
                retried = True
    except FetchError:
        raise
    except httpx.TimeoutException:
        raise FetchError("timeout", seconds=f"{timeout:g}") from None
    except httpcore.TimeoutException:
        raise FetchError("timeout", seconds=f"{timeout:g}") from None
    except httpx.ConnectError as exc:
        raise FetchError("connect", detail=_short(exc)) from None
    except (httpx.HTTPError, httpcore.NetworkError, httpcore.ProtocolError) as exc:
        raise FetchError("network", detail=_short(exc)) from None
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise FetchError("bad_url", url=current) from exc


def retry_after_seconds(value: str, server_date: str = "", now: float | None = None) -> float | None:
    """The wait a Retry-After header asks for, in seconds (>= 0), or None when it is unreadable.
    An HTTP date is measured against the server's Date header when it has a valid one (so a wrong
    clock on either side does not matter), else against the local clock."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    base = None
    if server_date:
        try:
            base = email.utils.parsedate_to_datetime(server_date)
        except (TypeError, ValueError, IndexError, OverflowError):
            base = None
    if base is None:
        base = datetime.fromtimestamp(time.time() if now is None else now, timezone.utc)
    elif base.tzinfo is None:
        base = base.replace(tzinfo=timezone.utc)
    return min(max((when - base).total_seconds(), 0.0), MAX_RETRY_AFTER)


def _busy(response: httpx.Response, deadline: _Deadline, retried: bool) -> float:
    """For a 429/503 answer: the seconds to wait before asking once more. Raises FetchError when
    there is no usable Retry-After, when it was already retried, or when the wait does not fit."""
    status = response.status_code
    wait = retry_after_seconds(response.headers.get("retry-after", ""), response.headers.get("date", ""))
    if wait is None:
        raise FetchError("http_status", status=status)
    if not retried and wait + RETRY_MARGIN <= deadline.at - time.monotonic():
        return wait
    when = datetime.now(timezone.utc) + timedelta(seconds=wait)
    raise FetchError("busy_again" if retried else "retry_later", status=status, seconds=f"{wait:.0f}",
                     when=when.strftime("%Y-%m-%d %H:%M:%S UTC"))


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]
