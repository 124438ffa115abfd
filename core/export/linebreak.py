"""Chinese line breaking for reportlab paragraphs.

No line may start with ，。、；：！？）》”’… nor end with （《“‘ (DOMAIN §4). reportlab 5.1's own CJK
wrapping knows only part of these (“：”, “；”, “，”, “》”, “”” and “…” may start its lines) and
lets closing punctuation hang past the right margin, outside the GB/T 9704 text block. Here a
line is broken earlier instead (推出): the characters that may not be split off move to the next
line together, and figures such as 668.40 or 70.62% are not cut in two.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from reportlab.lib.rl_accel import sameFrag
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, Paragraph, _handleBulletWidth, imgNormV, imgVRange
from reportlab.platypus.paragraph import ParaLines as _ParaLines
from reportlab.rl_config import _FUZZ

CANNOT_START = set("，。、；：！？）》”’…,.;:!?)]}>%％‰·」』】〕〉｝］〗〙﹚﹜﹞—～")
CANNOT_END = set("（《“‘([{<「『【〔〈｛［〖〘﹙﹛﹝￥$")
_WORD = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.%")
MAX_PUSH = 12  # at most this many characters move to the next line to honour the rules

#: Character widths by font and size (stringWidth of one character, asked once per process).
_widths: dict[tuple[str, float], dict[str, float]] = {}
#: Characters summed at a time when looking for where a line overflows (doubled as needed).
_WINDOW = 48


class Characters:
    """A paragraph's characters, one string each (an empty fragment, a line break or an image
    without text, is one empty character), their widths, and the runs of characters of one
    fragment as ``(begin, end, frag)``: what reportlab's CJK wrapping keeps as one object per
    character, kept as lists (a third of the layout's time went into those objects)."""

    __slots__ = ("chars", "widths", "runs", "run_starts", "breaks")

    def __init__(self, frags):
        chars: list[str] = []
        widths: list[float] = []
        runs: list[tuple[int, int, object]] = []
        breaks: list[int] = []  # positions whose fragment is a line break
        for f in frags:
            text = f.text if isinstance(f.text, str) else f.text.decode("utf8")
            cb = getattr(f, "cbDefn", None)
            begin = len(chars)
            if not text:
                chars.append("")
                widths.append(getattr(cb, "width", 0) if cb is not None else 0)
            elif cb is not None:
                chars.extend(text)
                widths.extend([getattr(cb, "width", 0)] * len(text))
            else:
                table = _widths.get((f.fontName, f.fontSize))
                if table is None:
                    table = _widths[(f.fontName, f.fontSize)] = {}
                for ch in set(text).difference(table):
                    table[ch] = stringWidth(ch, f.fontName, f.fontSize)
                chars.extend(text)
                widths.extend(map(table.__getitem__, text))
            runs.append((begin, len(chars), f))
            if hasattr(f, "lineBreak"):
                breaks.extend(range(begin, len(chars)))
        self.chars, self.widths, self.runs, self.breaks = chars, widths, runs, breaks
        self.run_starts = [r[0] for r in runs]


def _bad_break(chars: list[str], b: int) -> bool:
    """Whether a line may not end before ``chars[b]``."""
    after, before = chars[b], chars[b - 1]
    return after in CANNOT_START or before in CANNOT_END or (after in _WORD and before in _WORD)


def break_point(chars: list[str], start: int, i: int) -> int:
    """Where the next line starts, given that ``chars[i]`` no longer fits after ``start``."""
    b = i
    while b > start + 1 and b > i - MAX_PUSH and _bad_break(chars, b):
        b -= 1
    if b > start + 1 and not _bad_break(chars, b):
        return b
    return i  # a run too long to move (a long number or URL): break where it overflows


def overflow(widths: list[float], start: int, end: int, limit: float) -> int:
    """The first character after ``start`` (and before ``end``) that no longer fits: where the
    widths from ``start`` up to and including it, added one by one from 0.0 as reportlab adds
    them, exceed ``limit``; ``end`` when all fit. The first character of a line always stays on
    it, however wide. Widths are never negative, so the running sums are sorted."""
    stop = min(end, start + _WINDOW)
    while True:
        sums = list(accumulate(widths[start:stop], initial=0.0))  # sums[k + 1]: through start + k
        k = bisect_right(sums, limit, 1) - 1
        if k < stop - start:
            i = start + max(k, 1)
            return i if i < end else end
        if stop == end:
            return end
        stop = min(end, start + 2 * (stop - start))


def _overflow_one_by_one(widths: list[float], start: int, end: int, limit: float) -> int:
    """:func:`overflow` for widths that are not all positive (no font has such; an image's
    width could), whose running sums :func:`overflow` cannot search."""
    used = 0.0
    for i in range(start, end):
        if used + widths[i] > limit and i > start:
            return i
        used += widths[i]
    return end


def make_line(para: Characters, begin: int, end: int, max_width, width_used, extra_space, line_break, calc_bounds):
    """reportlab's ``makeCJKParaLine`` (paragraph.py, 5.1) for the characters ``begin:end`` of
    ``para``, taken a run of characters of one fragment at a time instead of one by one: the
    same line (a test compares them), a third of the PDF's layout time less. Within a run, every
    character has the fragment's size, ascent and descent, and joins the word of the character
    before it unless the fragment is an image or a line break (``sameFrag`` is then false)."""
    chars, runs = para.chars, para.runs
    words = []
    cw: list[str] = []
    f0 = FragLine()
    max_size = max_ascent = min_descent = 0
    r = bisect_right(para.run_starts, begin) - 1
    i = begin
    while i < end:
        f = runs[r][2]
        j = min(runs[r][1], end)
        r += 1
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
    """The paragraph's lines, as reportlab's ``cjkFragSplit`` makes them but broken by the rules
    above: a line ends at a forced line break or before the first character that overflows it,
    moved back by :func:`break_point`."""
    para = Characters(frags)
    chars, widths, breaks = para.chars, para.widths, para.breaks
    find = overflow if min(widths, default=0) >= 0 else _overflow_one_by_one
    lines = []
    n = len(chars)
    start = 0
    next_break = 0  # index into breaks
    max_width = max_widths[0]
    while start < n:
        while next_break < len(breaks) and breaks[next_break] < start:
            next_break += 1
        segment = breaks[next_break] if next_break < len(breaks) else n
        i = find(widths, start, segment, max_width + _FUZZ)
        if i < segment:
            b = break_point(chars, start, i)
            width = sum(widths[start:b])  # as reportlab sums them: from 0, not 0.0
            lines.append(make_line(para, start, b, max_width, width, max_width - width, False, calc_bounds))
            start = b
        else:
            used = sum(widths[start:segment], 0.0)
            last = segment + 1 if segment < n else n  # a line break ends its line
            lines.append(make_line(para, start, last, max_width, used, max_width - used, segment < n, calc_bounds))
            start = last
        max_width = max_widths[len(lines)] if len(lines) < len(max_widths) else max_widths[-1]
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
