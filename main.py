"""绩效自评助手: the window, or the command line when the first argument is a command."""

from __future__ import annotations

import sys

COMMANDS = ("check", "export", "-h", "--help")


def main(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS:
        from core.cli import main as cli_main

        return cli_main(argv)
    from gui.app import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
