"""Chinese line breaking for reportlab paragraphs.

No line may start with ，。、；：！？）》”’… nor end with （《“‘ (DOMAIN §4). reportlab 5.1's own CJK
wrapping knows only part of these (“：”, “；”, “，”, “》”, “”” and “…” may start its lines) and
lets closing punctuation hang past the right margin, outside the GB/T 9704 text block. Here a
line is broken earlier instead (推出): the characters that may not be split off move to the next
line together, and figures such as 668.40 or 70.62% are not cut in two.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import sameFrag
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, Paragraph, _handleBulletWidth, imgNormV, imgVRange
from reportlab.platypus.paragraph import ParaLines as _ParaLines
from reportlab.rl_config import _FUZZ

CANNOT_START = set("，。、；：！？）》”’…,.;:!?)]}>%％‰·」』】〕〉｝］〗〙﹚﹜﹞—～")
CANNOT_END = set("（《“‘([{<「『【〔〈｛［〖〘﹙﹛﹝￥$")
_WORD = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.%")
MAX_PUSH = 12  # at most this many characters move to the next line to honour the rules

_widths: dict[tuple[str, float, str], float] = {}


class _Char(str):
    """One character with its fragment and width (what makeCJKParaLine needs), widths cached."""

    __slots__ = ("frag", "width")


def _chars(frags) -> list[_Char]:
    out = []
    for f in frags:
        text = f.text if isinstance(f.text, str) else f.text.decode("utf8")
        cb = getattr(f, "cbDefn", None)
        if not text:
            u = _Char("")
            u.frag, u.width = f, getattr(cb, "width", 0) if cb is not None else 0
            out.append(u)
            continue
        for ch in text:
            u = _Char(ch)
            u.frag = f
            if cb is not None:
                u.width = getattr(cb, "width", 0)
            else:
                key = (f.fontName, f.fontSize, ch)
                w = _widths.get(key)
                if w is None:
                    w = _widths[key] = stringWidth(ch, f.fontName, f.fontSize)
                u.width = w
            out.append(u)
    return out


def _bad_break(chars: list[_Char], b: int) -> bool:
    """Whether a line may not end before ``chars[b]``."""
    after, before = chars[b], chars[b - 1]
    return after in CANNOT_START or before in CANNOT_END or (after in _WORD and before in _WORD)


def break_point(chars: list[_Char], start: int, i: int) -> int:
    """Where the next line starts, given that ``chars[i]`` no longer fits after ``start``."""
    b = i
    while b > start + 1 and b > i - MAX_PUSH and _bad_break(chars, b):
        b -= 1
    if b > start + 1 and not _bad_break(chars, b):
        return b
    return i  # a run too long to move (a long number or URL): break where it overflows


def make_line(chars, max_width, width_used, extra_space, line_break, calc_bounds):
    """reportlab's ``makeCJKParaLine`` (paragraph.py, 5.1), asked once per run of characters of
    one fragment instead of once per character: the same line (a test compares them), a third of
    the PDF's layout time less. Within a run, every character has the fragment's size, ascent and
    descent, and joins the word of the character before it unless the fragment is an image or a
    line break (``sameFrag`` is then false)."""
    words = []
    cw: list[str] = []
    f0 = FragLine()
    max_size = max_ascent = min_descent = 0
    n = len(chars)
    i = 0
    while i < n:
        f = chars[i].frag
        j = i + 1
        while j < n and chars[j].frag is f:
            j += 1
        font_size = f.fontSize
        cb = getattr(f, "cbDefn", None) if calc_bounds else None
        if getattr(cb, "width", 0):
            descent, ascent = imgVRange(imgNormV(cb.height, font_size), cb.valign, font_size)
        else:
            ascent, descent = getAscentDescent(f.fontName, font_size)
        max_size = max(max_size, font_size)
        max_ascent = max(max_ascent, ascent)
        min_descent = min(min_descent, descent)
        if hasattr(f, "cbDefn") or hasattr(f, "lineBreak"):  # sameFrag is false: a word a character
            for k in range(i, j):
                f0 = f0.clone()
                f0.text = "".join(cw)
                words.append(f0)
                cw = [chars[k]]
                f0 = f
        else:
            if not sameFrag(f0, f):
                f0 = f0.clone()
                f0.text = "".join(cw)
                words.append(f0)
                cw = []
                f0 = f
            cw.extend(chars[i:j])
        i = j
    if cw:
        f0 = f0.clone()
        f0.text = "".join(cw)
        words.append(f0)
    return FragLine(
        kind=1,
        extraSpace=extra_space,
        wordCount=1,
        words=words[1:],
        fontSize=max_size,
        ascent=max_ascent,
        descent=min_descent,
        maxWidth=max_width,
        currentWidth=width_used,
        lineBreak=line_break,
    )


def cjk_split(frags, max_widths, calc_bounds):
    chars = _chars(frags)
    lines = []
    n = len(chars)
    start = i = 0
    used = 0.0
    max_width = max_widths[0]

    def next_width():
        return max_widths[len(lines)] if len(lines) < len(max_widths) else max_widths[-1]

    while i < n:
        u = chars[i]
        if hasattr(u.frag, "lineBreak"):
            lines.append(make_line(chars[start : i + 1], max_width, used, max_width - used, True, calc_bounds))
            i += 1
            start, used = i, 0.0
            max_width = next_width()
            continue
        if used + u.width > max_width + _FUZZ and i > start:
            b = break_point(chars, start, i)
            width = sum(c.width for c in chars[start:b])
            lines.append(make_line(chars[start:b], max_width, width, max_width - width, False, calc_bounds))
            start = i = b
            used = 0.0
            max_width = next_width()
            continue
        used += u.width
        i += 1
    if start < n:
        lines.append(make_line(chars[start:], max_width, used, max_width - used, False, calc_bounds))
    return _ParaLines(kind=1, lines=lines)


class CJKParagraph(Paragraph):
    """A paragraph wrapped by :func:`cjk_split` (use with ``wordWrap='CJK'``)."""

    def breakLinesCJK(self, maxWidths):  # reportlab's API
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return cjk_split(self.frags, maxWidths, auto_leading not in ("", "off"))
