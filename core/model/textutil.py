"""Cleaning of text users type or paste (from Word, WPS, web pages)."""

from __future__ import annotations

import re

# C0/C1 controls except tab and newline, zero-width marks, BOM, line/paragraph separators, and what
# is no character at all: lone surrogates (JSON "\ud800") and the noncharacters U+FFFE/U+FFFF, which
# no file, font or workbook can hold.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")

# What is no character at all, removed even from values the program keeps without reading them.
NOT_CHARACTERS = re.compile(r"[\ud800-\udfff\ufffe\uffff]")


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
