"""绩效自评助手: the window, or the command line when the first argument is a command."""

from __future__ import annotations

import sys
from pathlib import Path

COMMANDS = ("check", "export", "summary", "next", "import", "-h", "--help")
WINDOW_OPTIONS = ("--exit-after-show",)


def main(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS:
        from core.cli import main as cli_main

        return cli_main(argv)
    unknown = [a for a in argv if a not in WINDOW_OPTIONS and not Path(a).exists()]
    if unknown:  # a mistyped command must not open a window a script cannot see
        from core.cli import refuse_word

        return refuse_word(unknown[0], COMMANDS)
    import os

    from gui.system_libs import missing_library, platform_fallback, problem_message, window_problem

    os.environ.update(platform_fallback())  # QT_QPA_PLATFORM=wayland, and the bundle has no Wayland
    problem = window_problem()  # Qt would abort with a misleading message; say what fixes it
    if problem:
        print(problem, file=sys.stderr)
        return 1
    try:
        from gui.app import run
    except ImportError as exc:  # a system library Qt itself needs (libEGL, libfontconfig…)
        if not missing_library(str(exc)):
            raise
        print(problem_message(missing_library(str(exc))), file=sys.stderr)
        return 1
    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
