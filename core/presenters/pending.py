"""待填写: which findings of a report nobody has started yet, so the window shows them as hints
(grey 待填写 inside the field, a collapsed group in the findings list) instead of a wall of red
errors on a report just created (issue 18, item 7).

The rule, per part of the report, as the window's tabs divide it:

* 项目信息 — ``project``, ``team`` and ``rules`` (the 评分规则 box sits on that tab);
* 项目资金 — ``funds``;
* 绩效指标 — ``indicators`` and ``template``;
* 报告正文 — ``narrative``.

A part is **untouched** while both hold:

1. no change of this session (since the document was opened: :attr:`Document.touched`, undo and
   redo included) has a path in it — a whole-report replacement (import, 恢复历史版本) touches
   every part; and
2. its content equals what the template gives it: the same part of
   ``new_report(report.template, report.rules)`` (uids are never compared).

Every finding whose path lies in an untouched part is **pending**: the content there is the
template's own, so the finding says "not filled in yet" (P01, I07, and the I02/I03 sums of the
template's empty 分值), never that something typed is wrong. Once anything in the part is changed
— even if it is changed back — the part is touched for the rest of the session and its findings
show as errors and warnings again. A document opened with a part still exactly as its template
left it shows that part as 待填写 too (nobody has started it); every part of a filled-in report
differs from the template, so it shows everything as before.

Only the presentation changes: the checks still run on everything, and ``check``, the exports
and the summary read :attr:`Document.findings` unchanged.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from core.document import Document
from core.model.model import NodePath, Report
from core.model.templates import new_report
from core.rules.checks import Finding

#: part → the heads of the paths in it.
PARTS = {
    "project": ("project", "team", "rules"),
    "funds": ("funds",),
    "indicators": ("indicators", "template"),
    "narrative": ("narrative",),
}
PART_NAMES = {"project": "项目信息", "funds": "项目资金", "indicators": "绩效指标", "narrative": "报告正文"}
_PART_OF = {head: part for part, heads in PARTS.items() for head in heads}
#: What an empty field in an untouched part shows, in grey, instead of a red or amber colour.
PLACEHOLDER = "待填写"
PENDING_LABEL = "待填写"


def part_of(path: NodePath) -> str | None:
    """The part a path lies in (None for a path outside them, such as ``()``)."""
    return _PART_OF.get(str(path[0])) if path else None


def _content(report: Report, part: str) -> tuple:
    return tuple(getattr(report, head) for head in PARTS[part])


def untouched_parts(doc: Document) -> set[str]:
    """The parts nobody has started: not changed this session and still the template's."""
    if "*" in doc.touched:
        return set()
    report = doc.report
    candidates = [p for p in PARTS if not any(h in doc.touched for h in PARTS[p])]
    if not candidates:
        return set()
    try:
        fresh = new_report(report.template, report.rules)
    except (KeyError, TypeError, ValueError):  # a template this version cannot build
        return set()
    return {p for p in candidates if _content(report, p) == _content(fresh, p)}


@dataclass(frozen=True)
class Split:
    """The findings as the window shows them: ``shown`` as errors and warnings, ``pending`` as
    待填写 hints; ``index`` is :attr:`Document.finding_index` without the pending ones."""

    shown: list[Finding]
    pending: list[Finding]
    index: dict[NodePath, list[Finding]]
    pending_index: dict[NodePath, list[Finding]]


_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def split(doc: Document) -> Split:
    """The document's findings split into shown and pending (cached until the next change)."""
    findings = doc.findings
    key = (id(findings), frozenset(doc.touched))
    hit = _cache.get(doc)
    if hit is not None and hit[0] == key and hit[1] is findings:
        return hit[2]
    parts = untouched_parts(doc) if findings else set()
    shown = [f for f in findings if part_of(f.path) not in parts]
    pending = [f for f in findings if part_of(f.path) in parts]
    if pending:
        index: dict[NodePath, list[Finding]] = {}
        for f in shown:
            index.setdefault(f.path, []).append(f)
    else:
        index = doc.finding_index
    pending_index: dict[NodePath, list[Finding]] = {}
    for f in pending:
        pending_index.setdefault(f.path, []).append(f)
    result = Split(shown, pending, index, pending_index)
    _cache[doc] = (key, findings, result)
    return result
