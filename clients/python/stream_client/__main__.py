"""``python -m stream_client token URL USERNAME [--label LABEL]``: issue an API token.

The password is read from standard input (the first line), or asked for when standard
input is a terminal, so it never appears in the process list or the shell's history. The
secret is printed on standard output, alone on its line.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from .client import issue_token
from .errors import StreamError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stream_client", description="STREAM API client tools")
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="sign in and issue an API token (the password is read from stdin)")
    token.add_argument("url", help="the server, e.g. https://stream.example.org")
    token.add_argument("username")
    token.add_argument("--label", default="python client", help="what the token is for (shown in token lists)")
    args = parser.parse_args(argv)

    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.username}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        print("error: no password given on standard input", file=sys.stderr)
        return 2
    try:
        print(issue_token(args.url, args.username, password, args.label))
    except (StreamError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
