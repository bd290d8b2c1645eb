"""`medlog serve [--port N] [--host ADDRESS --allow-remote]`: the TUI in a browser (medlog/web/server.py).

Everything that can be refused is refused here, before the server starts, in one line with exit 2: no journal,
a host that is not an address of this machine or not loopback without --allow-remote, a port in use."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import secrets
import socket
import sys

from medlog.domain.errors import InputError

DEFAULT_PORT = 8765
RISK = ("medlog: warning: serving beyond this machine: anyone who can reach {host}:{port} and learns the address "
        "(with its token) can read and change your journal, and plain http sends both unencrypted. Prefer "
        "127.0.0.1 with an SSH tunnel, a private network (Tailscale), or a reverse proxy with TLS (docs/guide.md, "
        "'From your phone').")


def serve(args: argparse.Namespace) -> int:
    from medlog.services.context import open_journal

    journal = open_journal(getattr(args, "db", None))
    if not os.path.isfile(journal.path):
        raise InputError(f"no journal at {journal.path}: create one with 'medlog init' (or try 'medlog demo'), "
                         "then serve it")
    host = args.host
    loopback = _is_loopback(host)
    if not loopback and not args.allow_remote:
        raise InputError(f"--host {host}: not this machine's loopback address; serving the journal to a network "
                         "needs --allow-remote (read why in docs/guide.md, 'From your phone')")
    port = _port(args.port)
    _check_free(host, port)
    try:
        from medlog.web import server
    except ImportError as exc:
        raise InputError(f"medlog serve needs the 'serve' extra ({exc.name} is missing): "
                         "pip install 'medlog[serve]'") from None
    token = secrets.token_urlsafe(24)
    url = f"http://{_in_url(host)}:{port}/?token={token}"
    if not loopback:
        print(RISK.format(host=host, port=port), file=sys.stderr)
    print(f"Serving {journal.path} at\n  {url}\nOpen it in a browser; anyone with this address can use the journal. "
          "Ctrl+C stops it.", flush=True)
    if sys.stdout.isatty():
        _qr(url)
    server.serve(journal.path, host=host, port=port, token=token)
    return 0


def _is_loopback(host: str) -> bool:
    """Whether every address HOST names is this machine's loopback (127.0.0.0/8, ::1); a name that names no
    address is refused in one line."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"--host {host!r}: not an address medlog can serve on ({exc})") from None
    return bool(found) and all(ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in found)


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise InputError(f"--port {text!r}: give a port number from 1 to 65535")
    return int(text)


def _check_free(host: str, port: int) -> None:
    """Bind and let go, as the server will (address reuse on, as aiohttp sets it): a port in use or an address
    that is not this machine's is said now, in one line, rather than as aiohttp's traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"--host {host!r}: not an address medlog can serve on ({exc})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
            probe.listen(1)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError(f"port {port} on {host} is in use; choose another with --port") from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise InputError(f"--host {host}: not an address of this machine") from None
            if exc.errno == errno.EACCES:
                raise InputError(f"port {port}: not allowed for this user (ports below 1024 need root); "
                                 "choose another with --port") from None
            raise InputError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def _in_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _qr(url: str) -> None:
    """The address as a QR code for a phone's camera (segno, from the serve extra), where it is installed."""
    try:
        import segno
    except ImportError:
        return
    segno.make(url, error="l").terminal(out=sys.stdout, compact=True)
    sys.stdout.flush()
