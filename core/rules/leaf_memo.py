"""What the last recheck derived for each leaf, kept between edits (issue 19).

Every edit reruns the totals and the checks (core/document.py), and in a report of hundreds of
leaves most of that time went into deriving each leaf's figures and findings afresh although one
leaf had changed. A :class:`LeafMemo` keeps, per leaf, its figures (suggested score, 完成率) and its
findings, and the document tells it which leaves an edit touched (:meth:`LeafMemo.forget`).

What a leaf's results depend on, and how each is kept honest:

- the leaf's own fields: any change whose path runs through a node forgets every leaf below
  that node (a leaf's field, a parent's 不适用 mark, rows added under a parent);
- what is the same for every leaf (the rule set, the template, the funds' 执行率): the memo
  is emptied when any of these differs from the last recheck (:meth:`LeafMemo.start`);
- where the leaf stands: its findings are kept with the path and the figures they were made
  with, and made afresh when either differs (rows moved, a leaf left out or counted again).

Parents are always summed afresh: it is a few additions each. A reset (the report replaced) or a
change of the 一级 list empties the memo. The results are those of a recheck from scratch; the
tests compare both after random edits (tests/test_leaf_memo.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.model.model import Indicator, NodePath, Report, row_path

# The values are core.rules.totals' NodeFigures and core.rules.checks' Finding; those two modules
# import this one, so it names their types in words only.


@dataclass
class LeafFindings:
    path: NodePath
    figures: Any  # the very NodeFigures object the findings were made from
    findings: tuple  # Finding…
    names: tuple  # P02 for the leaf's name (a Finding or none), listed after the indicator checks


@dataclass
class LeafMemo:
    context: tuple | None = None
    #: uid → (counted, NodeFigures) of each leaf.
    figures: dict[int, tuple[bool, Any]] = field(default_factory=dict)
    findings: dict[int, LeafFindings] = field(default_factory=dict)

    def clear(self) -> None:
        self.figures.clear()
        self.findings.clear()

    def start(self, report: Report, funds: Any) -> None:
        """Before a recheck (``funds``: its FundTotals): forget everything when what every leaf
        depends on has changed."""
        context = (report.rules, report.template, funds.execution_ratio, funds.total.execution_rate)
        if context != self.context:
            self.clear()
            self.context = context

    def trim(self, nodes: dict[int, Any]) -> None:
        """After a recheck: drop the leaves no longer in the report once they are many (rows
        removed keep their entries until then; they are never read again unless the same row is
        put back, which :meth:`forget` is told about)."""
        if len(self.figures) > 2 * len(nodes) + 64:
            self.figures = {uid: v for uid, v in self.figures.items() if uid in nodes}
            self.findings = {uid: v for uid, v in self.findings.items() if uid in nodes}

    def forget(self, report: Report, changes: list) -> None:
        """After an edit: forget the leaves the ``changes`` (core.document.Change) may have
        touched. Changes outside the indicators leave the leaves alone (see :meth:`start`)."""
        for change in changes:
            path = change.path
            if change.kind == "reset" or not path:
                self.clear()
                return
            if path[0] != "indicators":
                continue
            if len(path) <= 2:  # the 一级 list itself, or a 一级 replaced
                self.clear()
                return
            self._forget_below(_owner(report.indicators, path))

    def _forget_below(self, node: Indicator | None) -> None:
        if node is None:
            self.clear()
            return
        stack = [node]
        while stack:
            n = stack.pop()
            self.figures.pop(n.uid, None)
            self.findings.pop(n.uid, None)
            stack.extend(n.children)


def _owner(indicators: list[Indicator], path: NodePath) -> Indicator | None:
    """The deepest indicator node that ``path`` (``indicators, i, children, j, …, field``) runs
    through, or None when the path does not lead into the tree as it is now."""
    node, nodes = None, indicators
    for index in row_path(path)[1::2]:  # i, j, …: the indexes between "children"
        if not 0 <= index < len(nodes):
            break
        node = nodes[index]
        nodes = node.children
    return node
