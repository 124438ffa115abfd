"""Cleaning of text users type or paste (from Word, WPS, web pages)."""

from __future__ import annotations

import re

# C0/C1 controls except tab and newline, zero-width marks, BOM, line/paragraph separators.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\ufeff]")


def clean_text(text: object) -> str:
    """Multi-line text: unify line ends, drop control characters, trim trailing spaces."""
    if text is None:
        return ""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    s = s.replace("\u2028", "\n").replace("\u2029", "\n")
    s = CONTROL.sub("", s)
    return "\n".join(line.rstrip() for line in s.split("\n")).strip("\n")


def clean_line(text: object) -> str:
    """Single-line text (names, phone numbers): newlines and tabs become spaces."""
    s = clean_text(text)
    return " ".join(s.replace("\t", " ").split("\n")).strip()
