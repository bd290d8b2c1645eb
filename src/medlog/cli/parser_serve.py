"""The parser of `medlog serve`: the TUI in a browser (issue 21)."""

from __future__ import annotations

import argparse

from medlog.cli import parser_parts as parts


def serve(serve: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parts.handler(serve, "serve:serve")
    serve.add_argument("--port", default="8765", metavar="N", help="the port to serve on (default 8765)")
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                       help="the address to serve on (default 127.0.0.1: this machine only); another needs "
                            "--allow-remote")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a --host other than loopback: anyone who reaches it with the printed address "
                            "can use the journal (prefer an SSH tunnel, Tailscale or a TLS proxy)")
