"""Network watch for tests/reliability/test_privacy.py, in two roles.

As `sitecustomize`: when this folder is on PYTHONPATH and MEDLOG_TEST_NETLOG names a file, Python loads it at
start-up (before medlog or anything it imports) and it installs an audit hook that appends each network event to
that file. Its first line says the hook is in, so an otherwise empty log means "no network", never "no hook".

As a module (the test loads it by path): `network_event`, the one rule both the test's in-process hook and the
subprocesses' hook apply.
"""

import os
import sys

# socket creation, connections, name look-ups and URL/HTTP clients: any of them is a way off this machine
EVENTS = frozenset({"socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
                    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg",
                    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect"})
_ON_A_SOCKET = frozenset({"socket.__new__", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"})
_AF_UNIX = 1  # socket.AF_UNIX on every POSIX system (the socket module is not imported here: that is the point)


def network_event(event: str, args: tuple) -> str | None:
    """A line describing `event` if it is network activity, else None. Creating an AF_UNIX socket is not
    (asyncio's self-pipe is a socketpair); connecting or binding one is still reported."""
    if event not in EVENTS:
        return None
    if event == "socket.__new__" and args[1] == _AF_UNIX:
        return None
    shown = args[1:] if event in _ON_A_SOCKET else args  # args[0] is the socket object itself
    return f"{event} {shown!r}".replace("\n", " ")


def _append(path: str, line: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8", "replace"))
    finally:
        os.close(fd)


def _install(path: str) -> None:
    def hook(event: str, args: tuple) -> None:
        line = network_event(event, args)
        if line is not None:
            _append(path, line)

    _append(path, f"# hooked pid {os.getpid()}")
    sys.addaudithook(hook)


if __name__ == "sitecustomize" and os.environ.get("MEDLOG_TEST_NETLOG"):
    _install(os.environ["MEDLOG_TEST_NETLOG"])
