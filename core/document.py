"""The document: the one way to change a report.

Every change is a named action (a Chinese description such as “修改 中央财政 实际支出数”) made of
reversible operations, kept for undo and redo. Listeners are told what changed (the paths), so
a view refreshes only that; totals and findings are derived lazily and cached until the next
change. (After moneyguru: all modifications of the model happen in the Document.)
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.model.cells import read_actual, read_number
from core.model.limits import COUNTS, TEXT_LIMITS, LimitError, check_count, check_depth, check_text
from core.model.model import (
    AMOUNT,
    CHOICE,
    FIGURE,
    LINE,
    MANAGEMENT_ITEMS,
    MONTH,
    NUMBER,
    TEXT,
    YEAR,
    Indicator,
    ManagementRow,
    NodePath,
    Printed,
    PrintedFunds,
    PrintedLevel1,
    Report,
    Section,
    Target,
    amount_names,
    field_meta,
    filled_amounts,
    is_year,
    resolve,
    walk_indicators,
    walk_sections,
)
from core.model.numbers import NumberError, parse_decimal
from core.model.textutil import clean_line, clean_text
from core.rules.checks import Finding, run_checks
from core.rules.leaf_memo import LeafMemo
from core.rules.rulesets import PRESETS, RuleSet, label_of, ruleset_of
from core.rules.totals import Totals, compute_totals

UNDO_LIMIT = 1000
READ_ONLY_MESSAGE = "此文档以只读方式打开（文件或所在文件夹不可写），修改不会被接受；如需编辑，请“另存为”到可写的位置"
BUSY_MESSAGE = (
    "此文档正在另一个窗口或程序中编辑，这里只读显示它已保存的内容，修改不会被接受；可以导出或“另存为”一份副本"
)
DISK_FULL_MESSAGE = "磁盘空间已满，此文档只能查看，修改不会被接受；请清理磁盘后重新打开以继续编辑"


class InputError(ValueError):
    """A value the user typed is refused. ``str()`` says what and where, in Chinese."""


@dataclass(frozen=True)
class Change:
    """What one operation changed. ``kind`` is value, insert, remove, move or reset."""

    kind: str
    path: NodePath  # value: the field; insert/remove/move: the list; reset: ()
    index: int = -1
    to: int = -1


@dataclass
class ChangeSet:
    """What a batch of changes touched, as views need to know it: whether everything changed (a
    report replaced), which lists changed shape (rows added, removed or moved: by their head,
    ``indicators``, ``narrative``, ``funds``, ``team``), and which fields changed value. One
    object handed to every view, which refreshes what it shows of it (now if it is visible,
    when it is shown otherwise)."""

    everything: bool = False
    lists: set[str] = field(default_factory=set)
    paths: set[NodePath] = field(default_factory=set)

    @classmethod
    def of(cls, changes: list[Change]) -> ChangeSet:
        out = cls()
        for c in changes:
            if c.kind == "reset":
                out.everything = True
            elif c.kind in ("insert", "remove", "move"):
                out.lists.add(c.path[0])
            else:
                out.paths.add(c.path)
                if c.path[:1] == ("template",):
                    out.lists.add("indicators")  # the template decides the grid's columns
        return out

    def merge(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(self.everything or other.everything, self.lists | other.lists, self.paths | other.paths)

    def reshaped(self, head: str) -> bool:
        """Whether the list(s) under ``head`` changed shape (or everything changed)."""
        return self.everything or head in self.lists

    @property
    def value_paths(self) -> set[NodePath] | None:
        """The fields whose value changed; None when every field must be read again."""
        return None if self.everything else self.paths


class _Op:
    def apply(self, report: Report) -> Change:  # pragma: no cover - interface
        raise NotImplementedError

    def inverse(self) -> _Op:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class SetOp(_Op):
    path: NodePath
    old: Any
    new: Any

    def apply(self, report: Report) -> Change:
        setattr(resolve(report, self.path[:-1]), self.path[-1], self.new)
        return Change("value", self.path)

    def inverse(self) -> SetOp:
        return SetOp(self.path, self.new, self.old)


@dataclass
class InsertOp(_Op):
    path: NodePath  # the list
    index: int
    item: Any

    def apply(self, report: Report) -> Change:
        resolve(report, self.path).insert(self.index, self.item)
        return Change("insert", self.path, self.index)

    def inverse(self) -> RemoveOp:
        return RemoveOp(self.path, self.index, self.item)


@dataclass
class RemoveOp(_Op):
    path: NodePath
    index: int
    item: Any

    def apply(self, report: Report) -> Change:
        resolve(report, self.path).pop(self.index)
        return Change("remove", self.path, self.index)

    def inverse(self) -> InsertOp:
        return InsertOp(self.path, self.index, self.item)


@dataclass
class ResetOp(_Op):
    """Replace the whole report's content (import, restore a version). Keeps object identity."""

    old: Report
    new: Report

    def apply(self, report: Report) -> Change:
        report.__dict__.update(copy.copy(self.new.__dict__))
        return Change("reset", ())

    def inverse(self) -> ResetOp:
        return ResetOp(self.new, self.old)


@dataclass
class Action:
    description: str
    ops: list[_Op]


Listener = Callable[[list[Change], str], None]

_MONTH = re.compile(r"^(\d{4})\s*[-年./／-]\s*(\d{1,2})\s*(?:[-月./／-]\s*(\d{1,2})\s*日?)?\s*月?$")


def parse_month(text: str) -> str:
    """``2024年5月`` / ``2024.5`` / ``2024-05-20`` → ``2024-05`` (or ``2024-05-20``)."""
    s = clean_line(text).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not s:
        return ""
    m = _MONTH.match(s)
    if not m or not 1 <= int(m.group(2)) <= 12 or (m.group(3) and not 1 <= int(m.group(3)) <= 31):
        raise InputError("日期应写成 2024-05 或 2024年5月")
    out = f"{m.group(1)}-{int(m.group(2)):02d}"
    return out + (f"-{int(m.group(3)):02d}" if m.group(3) else "")


class Document:
    """A report with its history. Change it only through the methods here."""

    def __init__(self, report: Report | None = None):
        self.report = report if report is not None else Report()
        self._undo: list[Action] = []
        self._redo: list[Action] = []
        self._listeners: list[Listener] = []
        self._batch: Action | None = None
        self._batch_changes: list[Change] = []
        self._totals: Totals | None = None
        self._findings: list[Finding] | None = None
        self._finding_index: dict | None = None
        #: Each leaf's figures and findings from the last recheck, for the next one.
        self._memo = LeafMemo()
        #: A document opened from a read-only file refuses every change with a clear message.
        self.read_only = False
        self.read_only_message = READ_ONLY_MESSAGE  # why edits are refused, when read_only
        #: The heads of the paths changed since this document was opened (``"project"``,
        #: ``"funds"``…; ``"*"`` once the whole report was replaced), undo and redo included.
        self.touched: set[str] = set()

    # --- reading ---------------------------------------------------------------------------

    @property
    def totals(self) -> Totals:
        if self._totals is None:
            self._totals = compute_totals(self.report, self._memo)
        return self._totals

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            self._findings = run_checks(self.report, self.totals, self._memo)
            self._finding_index = None
        return self._findings

    @property
    def finding_index(self) -> dict[NodePath, list[Finding]]:
        """Findings by the path they point at, for marking cells."""
        findings = self.findings
        if self._finding_index is None:
            index: dict[NodePath, list[Finding]] = {}
            for f in findings:
                index.setdefault(f.path, []).append(f)
            self._finding_index = index
        return self._finding_index

    def get(self, path: NodePath) -> Any:
        return resolve(self.report, path)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # --- undo and redo ---------------------------------------------------------------------

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_description(self) -> str:
        return self._undo[-1].description if self._undo else ""

    def redo_description(self) -> str:
        return self._redo[-1].description if self._redo else ""

    def undo(self) -> str:
        if not self._undo or self.read_only:
            return ""
        action = self._undo.pop()
        changes = [self._apply(op.inverse()) for op in reversed(action.ops)]
        self._redo.append(action)
        self._changed(changes, "undo")
        return action.description

    def redo(self) -> str:
        if not self._redo or self.read_only:
            return ""
        action = self._redo.pop()
        changes = [self._apply(op) for op in action.ops]
        self._undo.append(action)
        self._changed(changes, "redo")
        return action.description

    # --- changing --------------------------------------------------------------------------

    @contextmanager
    def batch(self, description: str) -> Iterator[None]:
        """Group several changes into one action (one undo step), e.g. a paste of many cells."""
        if self._batch is not None:  # nested: part of the outer action
            yield
            return
        self._batch = Action(description, [])
        self._batch_changes = []
        try:
            yield
        finally:
            action, changes = self._batch, self._batch_changes
            self._batch, self._batch_changes = None, []
            if action.ops:
                self._push(action)
                self._changed(changes, "do")

    def _do(self, description: str, ops: list[_Op]) -> None:
        if self.read_only:
            raise InputError(self.read_only_message)
        changes = [self._apply(op) for op in ops]
        if self._batch is not None:
            self._batch.ops.extend(ops)
            self._batch_changes.extend(changes)
            return
        self._push(Action(description, ops))
        self._changed(changes, "do")

    def _apply(self, op: _Op) -> Change:
        change = op.apply(self.report)
        # Told at once, while the path still names the node it changed (a later op of the same
        # action may move rows): the leaves below it are rechecked afresh.
        self._memo.forget(self.report, [change])
        return change

    def _push(self, action: Action) -> None:
        self._undo.append(action)
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()

    def _changed(self, changes: list[Change], how: str) -> None:
        self._totals = None
        self._findings = None
        self.touched.update(str(c.path[0]) if c.path else "*" for c in changes)
        for listener in list(self._listeners):
            listener(changes, how)

    def describe(self, path: NodePath) -> str:
        """“中央财政 实际支出数”: the row's name and the field's label, for messages."""
        owner = resolve(self.report, path[:-1])
        label = field_meta(type(owner), path[-1])["label"]
        if isinstance(owner, Target):
            owner = resolve(self.report, path[:-2])
        row = owner.label() if hasattr(owner, "label") else ""
        return f"{row} {label}" if row else label

    def set_value(self, path: NodePath, value: Any, description: str | None = None) -> bool:
        """Set a field to an already valid value. Returns False when nothing changed."""
        old = resolve(self.report, path)
        if old == value and type(old) is type(value):
            return False
        self._do(description or f"修改 {self.describe(path)}", [SetOp(path, old, value)])
        return True

    def set_text(self, path: NodePath, text: str, description: str | None = None) -> bool:
        """Set a field from what the user typed, read by the one number parser where it is a
        figure. Raises :class:`InputError` with a Chinese message when the entry is refused."""
        value = self.read_text(path, text)
        return self.set_value(path, value, description)

    def read_text(self, path: NodePath, text: str) -> Any:
        """What ``text`` typed into the field at ``path`` means, by the field's kind; raises
        :class:`InputError` naming the field when the entry is refused."""
        owner = resolve(self.report, path[:-1])
        meta = field_meta(type(owner), path[-1])
        kind = meta["kind"]
        label = self.describe(path)
        text = "" if text is None else str(text)
        try:
            if kind in TEXT_LIMITS and len(text) > 2 * TEXT_LIMITS[kind]:  # not worth cleaning first
                check_text(text, kind)
            return _READERS[kind](text, _Field(owner, meta, label, self.report.funds.unit))
        except NumberError as exc:
            raise InputError(f"{label}：“{clean_line(text[:200])[:40]}”{exc}") from None
        except LimitError as exc:
            raise InputError(f"{label}{exc}") from None

    def set_op(self, leaf_path: NodePath, op: str) -> None:
        """Change a leaf's comparison; figures become numbers (or text) to match, in one step."""
        leaf: Indicator = resolve(self.report, leaf_path)
        target = leaf.target or Target()
        new = Target(op=op, value=target.value, unit=target.unit, extra=dict(target.extra))
        actual = leaf.actual
        if new.quantitative:
            new.value = _as_number(new.value, new.unit)
            actual = _as_number(actual, new.unit)
        else:
            new.value = _as_text(new.value)
            actual = _as_text(actual)
        with self.batch(f"修改 {leaf.label()} 比较方式"):
            self.set_value(leaf_path + ("target",), new)
            self.set_value(leaf_path + ("actual",), actual)

    def set_target(self, leaf_path: NodePath, target: Target, description: str | None = None) -> bool:
        """Set a leaf's comparison, value and unit at once (a target typed as printed, ``≥95%``),
        in one step; the actual becomes a number (or text) to match, as :meth:`set_op` does.
        Returns False when nothing changed."""
        leaf: Indicator = resolve(self.report, leaf_path)
        old = leaf.target or Target()
        new = Target(op=target.op, value=target.value, unit=target.unit, extra=dict(old.extra))
        try:
            if isinstance(new.value, str):
                new.value = _within(clean_text(new.value), FIGURE) or None
            new.unit = _within(clean_line(new.unit), LINE)
        except LimitError as exc:
            raise InputError(f"{leaf.label()} 年度指标值{exc}") from None
        actual = leaf.actual
        if new.quantitative:
            actual = read_actual(actual, new) if isinstance(actual, str) else actual
        else:
            actual = _as_text(actual)
        if leaf.target == new and actual == leaf.actual and type(actual) is type(leaf.actual):
            return False
        with self.batch(description or f"修改 {leaf.label()} 年度指标值"):
            self.set_value(leaf_path + ("target",), new)
            self.set_value(leaf_path + ("actual",), actual)
        return True

    def amount_paths(self) -> list[NodePath]:
        """Every amount the funds hold that is filled in, and the 复核 record's 合计 amounts (for
        changing the unit: a printed 600 万元 is 6,000,000 元 too)."""
        paths = [path for path, _row, _name, _value in filled_amounts(self.report.funds)]
        printed = self.report.printed.funds if self.report.printed is not None else None
        if printed is not None:
            base = ("printed", "funds")
            paths += [base + (name,) for name in amount_names(type(printed)) if getattr(printed, name) is not None]
        return paths

    def set_funds_unit(self, unit: str, convert: bool) -> None:
        """Change the table's money unit (万元/元); with ``convert`` the amounts are converted too,
        so 600.00 万元 becomes 6000000.00 元 rather than silently meaning 600 元."""
        old = self.report.funds.unit
        if unit == old:
            return
        factor = Decimal(10000) if (old, unit) == ("万元", "元") else Decimal(1) / Decimal(10000)
        converted = {}
        if convert:
            for path in self.amount_paths():
                value = _tidy(resolve(self.report, path) * factor)
                try:  # the same limits as a typed amount, so that what is saved can be read back
                    converted[path] = parse_decimal(value)
                except NumberError as exc:
                    raise InputError(f"无法换算为{unit}：{self.describe(path)} 换算后为 {value:f}，{exc}") from None
        description = f"金额单位改为{unit}" + ("（金额已换算）" if convert else "")
        with self.batch(description):
            self.set_value(("funds", "unit"), unit)
            for path, value in converted.items():
                self.set_value(path, value)

    def set_rules(self, rules: str | RuleSet) -> bool:
        """Change the report's scoring rule set (DOMAIN §6) as one undoable action. No score the
        user typed changes: suggested scores, bands, findings and the grade follow the new set.
        The 执行率 base moves to the new set's default only while the report still uses the old
        set's default (a base chosen on the 项目资金 tab stays). Returns False when nothing changed."""
        if not isinstance(rules, RuleSet) and rules not in PRESETS:
            raise InputError(f"未知的评分规则“{rules}”（可选：{'、'.join(p.label for p in PRESETS.values())}）")
        old = self.report.rules
        if old == rules and type(old) is type(rules):
            return False
        ops: list[_Op] = [SetOp(("rules",), old, rules)]
        old_base, new_base = ruleset_of(old).execution_base, ruleset_of(rules).execution_base
        if new_base != old_base and self.report.funds.execution_base == old_base:
            ops.append(SetOp(("funds", "execution_base"), old_base, new_base))
        self._do(f"评分规则改为{label_of(rules)}", ops)
        return True

    def set_applicable(self, path: NodePath, applicable: bool) -> bool:
        """Mark an indicator 不适用 (``applicable`` False) or take the mark off, as one undoable
        action. What the mark does is the rule set's (DOMAIN §6): left out and the rest scaled to
        100, or, where nothing may be left out, nothing but check I11. Returns False when nothing
        changed."""
        node = resolve(self.report, path)
        if not isinstance(node, Indicator):
            raise InputError("只有绩效指标可以标为“不适用”")
        description = f"{'取消不适用' if applicable else '标为不适用'} {node.label()}"
        return self.set_value(path + ("applicable",), bool(applicable), description)

    def insert(self, list_path: NodePath, index: int, item: Any, description: str) -> None:
        """Add a row or a tree node; refused (InputError) past the limits a file can be read with."""
        items = resolve(self.report, list_path)
        index = max(0, min(index, len(items)))
        self._check_room(list_path, item)
        self._do(description, [InsertOp(list_path, index, item)])

    def _check_room(self, list_path: NodePath, item: Any) -> None:
        key = list_path[0] if list_path[0] in ("indicators", "narrative") else list_path[-1]
        if key not in COUNTS:
            return
        try:
            if key in ("indicators", "narrative"):
                walk = walk_indicators if key == "indicators" else walk_sections
                added = list(walk([item]))
                check_count(key, sum(1 for _ in walk(getattr(self.report, key))) + len(added))
                depth = list_path.count("children") + 1
                check_depth(key, depth + max(d for _p, _n, d in added) - 1)
            else:
                check_count(key, len(resolve(self.report, list_path)) + 1)
        except LimitError as exc:
            raise InputError(f"无法添加：{exc}") from None

    def remove(self, list_path: NodePath, index: int, description: str) -> Any:
        item = resolve(self.report, list_path)[index]
        self._do(description, [RemoveOp(list_path, index, item)])
        return item

    def move(self, list_path: NodePath, index: int, to: int, description: str) -> None:
        """Move an item within one list (上移/下移)."""
        items = resolve(self.report, list_path)
        if not (0 <= index < len(items) and 0 <= to < len(items)) or index == to:
            return
        item = items[index]
        self._do(description, [RemoveOp(list_path, index, item), InsertOp(list_path, to, item)])

    def relocate(self, path: NodePath, to_list: NodePath, to_index: int, description: str) -> None:
        """Move a tree node to another list (升级/降级). ``to_list`` is as it is after removal."""
        item = resolve(self.report, path)
        if to_list.count("children") > path.count("children"):  # 降级: no deeper than the limit
            walk = walk_indicators if path[0] == "indicators" else walk_sections
            deepest = max(d for _p, _n, d in walk([item]))
            try:
                check_depth(path[0], to_list.count("children") + deepest)
            except LimitError as exc:
                raise InputError(f"无法降级：{exc}") from None
        self._do(description, [RemoveOp(path[:-1], path[-1], item), InsertOp(to_list, to_index, item)])

    def indent(self, path: NodePath) -> NodePath | None:
        """Make a node the last child of the sibling above it (降级). Returns its new path."""
        index = path[-1]
        if index == 0:
            return None
        sibling = resolve(self.report, path[:-1])[index - 1]
        to_list = path[:-1] + (index - 1, "children")
        to_index = len(sibling.children)
        self.relocate(path, to_list, to_index, f"降级 {resolve(self.report, path).label()}")
        return to_list + (to_index,)

    def outdent(self, path: NodePath) -> NodePath | None:
        """Move a node out of its parent, just after it (升级). Returns its new path."""
        if len(path) < 3:
            return None
        parent_path = path[:-2]
        to_list, to_index = parent_path[:-1], parent_path[-1] + 1
        self.relocate(path, to_list, to_index, f"升级 {resolve(self.report, path).label()}")
        return to_list + (to_index,)

    def apply_draft(self, parts: list, overwrite: bool = False) -> int:
        """一键生成初稿 (core/rules/draft.py ``draft``) as one undoable action: fill the empty target
        sections, and those with text too when ``overwrite``; create the new ones. Returns how many
        sections were written."""
        try:
            for part in parts:
                check_text(part.text, TEXT)
        except LimitError as exc:
            raise InputError(f"无法生成初稿：{exc}") from None
        written = 0
        with self.batch("生成初稿"):
            for part in parts:
                if part.new:
                    section = Section(title=part.title, text=part.text)
                    self.insert(part.path[:-1], part.path[-1], section, "生成初稿")
                    written += 1
                elif overwrite or not part.has_text:
                    written += self.set_value(part.path + ("text",), part.text, "生成初稿")
        return written

    # --- 资金管理情况 (the 转移支付 自评表's rows) ---------------------------------------------------

    def set_management_text(self, item: str, index: int | None, name: str, text: str) -> bool:
        """情况说明 or 存在问题和改进措施 (``name``: ``explanation`` / ``problems``) of a 资金管理情况 row
        as typed. ``index`` is the row's place in ``funds.management`` (model.py
        ``management_rows``); None for one of the form's rows not written yet, which is added,
        named ``item``, in the form's order and in the same undo step. Blank adds nothing.
        Returns False when nothing changed."""
        if index is not None:
            return self.set_text(("funds", "management", index, name), text)
        rows = self.report.funds.management
        row = ManagementRow(item=item)
        label = f"{item} {field_meta(ManagementRow, name)['label']}"
        try:
            value = _READERS[TEXT](text or "", _Field(row, field_meta(ManagementRow, name), label, ""))
        except LimitError as exc:
            raise InputError(f"{label}{exc}") from None
        if not value:
            return False
        setattr(row, name, value)
        order = MANAGEMENT_ITEMS.index(item) if item in MANAGEMENT_ITEMS else len(MANAGEMENT_ITEMS)
        at = 0  # after the rows of the items the form prints above this one
        for i, other in enumerate(rows):
            if other.item in MANAGEMENT_ITEMS and MANAGEMENT_ITEMS.index(other.item) < order:
                at = i + 1
        self.insert(("funds", "management"), at, row, f"修改 {label}")
        return True

    # --- 复核: the figures the paper prints (DOMAIN §5, checks V01–V04) --------------------------

    def start_review(self) -> bool:
        """复核 → 记录表上数字: start recording what a handed-in table prints, as one undoable
        action. The printed 一级 rows are named after the report's 一级, every figure blank (not
        recorded). Returns False when the report already has them."""
        if self.report.printed is not None:
            return False
        printed = Printed(
            level1=[PrintedLevel1(name=node.name) for node in self.report.indicators],
            funds=PrintedFunds(),
        )
        self._do("开始复核（记录表上数字）", [SetOp(("printed",), None, printed)])
        return True

    def stop_review(self) -> bool:
        """Remove every recorded printed figure (undoable). Returns False when there were none."""
        old = self.report.printed
        if old is None:
            return False
        self._do("停止复核（删除表上数字）", [SetOp(("printed",), old, None)])
        return True

    def set_printed_text(self, path: NodePath, text: str, description: str | None = None) -> bool:
        """A printed figure typed as the paper shows it (``１００``, ``1,000.00``, ``70.6%``; blank =
        not recorded), read like any figure. The block of printed 合计 amounts is created the first
        time one of them is typed, in the same undo step."""
        printed = self.report.printed
        if printed is None:
            raise InputError("尚未开始复核：请先选择“复核 → 记录表上数字”")
        if path[:2] == ("printed", "funds") and printed.funds is None:
            name = path[2]
            meta = field_meta(PrintedFunds, name)
            try:
                value = parse_decimal(text, unit=self.report.funds.unit if meta["kind"] == AMOUNT else None)
            except NumberError as exc:
                raise InputError(f"{meta['label']}：“{clean_line(str(text)[:200])[:40]}”{exc}") from None
            if value is None:
                return False
            with self.batch(description or f"修改 {meta['label']}"):
                self.set_value(("printed", "funds"), PrintedFunds())
                self.set_value(path, value)
            return True
        return self.set_text(path, text, description)

    def add_printed_level1(self, name: str, field: str, text: str, description: str | None = None) -> bool:
        """A printed 分值 or 得分 (``field``) for a 一级 the record has no row for yet (added to the
        report after 复核 began, or left out of a file): the row is added, named after that 一级,
        with the figure, in one undo step. Blank adds nothing."""
        printed = self.report.printed
        if printed is None:
            raise InputError("尚未开始复核：请先选择“复核 → 记录表上数字”")
        label = field_meta(PrintedLevel1, field)["label"]
        try:
            value = parse_decimal(text)
        except NumberError as exc:
            raise InputError(f"{name} {label}：“{clean_line(str(text)[:200])[:40]}”{exc}") from None
        if value is None:
            return False
        row = PrintedLevel1(name=name)
        setattr(row, field, value)
        self.insert(("printed", "level1"), len(printed.level1), row, description or f"修改 {name} {label}")
        return True

    def replace_report(self, report: Report, description: str) -> None:
        """Replace everything (import a JSON, restore a version) as one undoable action."""
        self._do(description, [ResetOp(copy.copy(self.report), report)])


@dataclass(frozen=True)
class _Field:
    """What a typed entry is read against: the object holding the field, the field's metadata,
    its name for messages and the table's money unit."""

    owner: Any
    meta: dict
    label: str
    money_unit: str


def _read_year(text: str, field: _Field) -> int | None:
    value = parse_decimal(text, allow_negative=False, suffixes=("年度", "年"))
    if value is None:
        return None
    if not is_year(value):
        raise NumberError("不是有效的年度")
    return int(value)


def _read_choice(text: str, field: _Field) -> str:
    s = clean_line(text)
    for code, name in field.meta["choices"].items():
        if s in (code, name):
            return code
    allowed = "、".join(n for n in field.meta["choices"].values() if n)
    raise InputError(f"{field.label}：“{s}”不是可选值（可选：{allowed}）")


def _read_figure(text: str, field: _Field) -> Decimal | str | None:
    owner = field.owner
    target = owner if isinstance(owner, Target) else owner.target
    if target is not None and target.quantitative:
        # As printed (DOMAIN §5): a sign or the unit repeated is read; what holds no number is
        # kept as typed and flagged (I08), never refused.
        return read_number(_within(clean_text(text), FIGURE), target.unit)
    return _within(clean_text(text), FIGURE) or None


#: How text typed into a field of each kind is read (Document.read_text).
_READERS: dict[str, Callable[[str, _Field], Any]] = {
    LINE: lambda text, _f: _within(clean_line(text), LINE),
    TEXT: lambda text, _f: _within(clean_text(text), TEXT),
    MONTH: lambda text, _f: parse_month(text),
    YEAR: _read_year,
    AMOUNT: lambda text, f: parse_decimal(text, unit=f.money_unit),
    NUMBER: lambda text, _f: parse_decimal(text),
    CHOICE: _read_choice,
    FIGURE: _read_figure,
}


def _within(text: str, kind: str) -> str:
    check_text(text, kind)
    return text


def _tidy(value: Decimal) -> Decimal:
    """A converted amount without the trailing zeros the conversion added (600.0000 → 600.00)."""
    tidy = value.normalize()
    return tidy.quantize(Decimal("0.01")) if tidy.as_tuple().exponent > -2 else tidy


def _as_number(value: Any, unit: str) -> Any:
    return read_number(value, unit) if isinstance(value, str) else value  # text stays; I08 points at it


def _as_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return f"{value:f}"
