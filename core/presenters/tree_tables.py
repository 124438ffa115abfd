"""The window's tree grids (绩效指标, 报告正文) as Qt-free table objects: rows addressed by path.
See core/presenters/tables.py for the flat grids and what a table object is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.document import Document, InputError
from core.model.cells import printed_target, read_target, split_cell
from core.model.model import BANDS, OPS, Indicator, NodePath, Section, Target, resolve, row_path
from core.model.numbers import fmt2, fmt_plain, fmt_rate
from core.presenters.tables import DERIVED_HINT, Column, FindingsMixin
from core.rules.checks import Finding
from core.rules.scoring import figure_text
from core.rules.totals import LEFT_OUT


class TreeTable(FindingsMixin):
    """A grid over a tree of the report (绩效指标, 报告正文). Rows are addressed by path."""

    root: NodePath
    columns: list[Column]
    noun: str
    factory: Callable[[], Any]

    def __init__(self, doc: Document):
        self.doc = doc

    def nodes(self, parent: NodePath | None) -> list:
        return resolve(self.doc.report, self.root) if not parent else resolve(self.doc.report, parent).children

    def child_path(self, parent: NodePath | None, row: int) -> NodePath:
        return (self.root + (row,)) if not parent else parent + ("children", row)

    def node(self, path: NodePath) -> Any:
        return resolve(self.doc.report, path)

    @staticmethod
    def parent_of(path: NodePath) -> NodePath | None:
        return path[:-2] if len(path) > 2 else None

    def visible_columns(self) -> list[int]:
        return list(range(len(self.columns)))

    def hint(self, path: NodePath, col: int) -> str:
        return "" if self.columns[col].editable else DERIVED_HINT

    def copy_text(self, path: NodePath, col: int) -> str:
        """A cell as copied to the clipboard: as shown."""
        return self.text(path, col)

    def emphasis(self, path: NodePath, col: int) -> str:
        """ "bold" for a 一级 parent row, "muted" for derived figures, else ""."""
        node = self.node(path)
        return "bold" if node.children and len(path) == 2 else ""

    # structure actions
    def add_sibling(self, path: NodePath | None) -> NodePath:
        if path is None:
            parent, at = None, len(self.nodes(None))
        else:
            parent, at = self.parent_of(path), path[-1] + 1
        list_path = self.root if parent is None else parent + ("children",)
        self.doc.insert(list_path, at, self.factory(), f"添加{self.noun}")
        return self.child_path(parent, at)

    def add_child(self, path: NodePath) -> NodePath:
        node = self.node(path)
        at = len(node.children)
        self.doc.insert(path + ("children",), at, self.factory(), f"在 {node.label()} 下添加{self.noun}")
        return path + ("children", at)

    def delete(self, path: NodePath) -> None:
        node = self.node(path)
        self.doc.remove(path[:-1], path[-1], f"删除 {node.label()}")

    def move(self, path: NodePath, delta: int) -> NodePath:
        siblings = resolve(self.doc.report, path[:-1])
        to = path[-1] + delta
        if 0 <= to < len(siblings):
            self.doc.move(path[:-1], path[-1], to, f"{'上移' if delta < 0 else '下移'} {self.node(path).label()}")
            return path[:-1] + (to,)
        return path

    def indent(self, path: NodePath) -> NodePath:
        return self.doc.indent(path) or path

    def outdent(self, path: NodePath) -> NodePath:
        return self.doc.outdent(path) or path


LEFT_OUT_HINT = "不适用：不评分、不计入总分，总分按其余指标折算为百分制（右键“不适用”可取消）"


class IndicatorTable(TreeTable):
    root = ("indicators",)
    noun = "指标"
    factory = Indicator
    columns = [
        Column("name", "指标", width=14),
        Column("weight", "分值", numeric=True, width=6),
        Column("score", "得分", numeric=True, width=6),
        Column("suggested", "建议得分", editable=False, numeric=True, width=6),
        Column("metric", "指标内容", width=12),
        Column("op", "比较", choices=OPS, width=4),
        Column("value", "指标值", numeric=True, width=7),
        Column("unit", "单位", width=5),
        Column("actual", "实际完成值", numeric=True, width=7),
        Column("completion", "完成率", editable=False, numeric=True, width=7),
        Column("band", "完成档次", choices=BANDS, width=10),
        Column("deviation", "偏差原因分析及改进措施", width=24),
    ]
    LEAF_ONLY = {"score", "suggested", "metric", "op", "value", "unit", "actual", "completion", "band", "deviation"}
    SCORE_KEYS = {"weight", "score", "suggested"}
    #: The columns a leaf left out as 不适用 shows 不适用 in instead of a figure.
    LEFT_OUT_KEYS = {"score", "suggested", "completion"}

    def left_out(self, path: NodePath) -> bool:
        """Whether the row is left out of the scoring as 不适用 (its own mark or a parent's, under a
        rule set that allows it); the rule set decides, through the totals."""
        return not self.doc.totals.counts(self.node(path))

    def marked(self, path: NodePath) -> bool:
        """Whether the row itself carries the 不适用 mark (whatever the rule set makes of it)."""
        return not self.node(path).applicable

    def set_applicable(self, paths: list[NodePath], applicable: bool) -> int:
        """标为不适用 / 取消不适用 on the given rows, as one undo step (Document.set_applicable).
        Returns how many rows changed."""
        todo = [p for p in dict.fromkeys(paths) if self.node(p).applicable != applicable]
        if len(todo) == 1:
            return int(self.doc.set_applicable(todo[0], applicable))
        verb = "取消不适用" if applicable else "标为不适用"
        with self.doc.batch(f"{verb}（{len(todo)} 个指标）"):
            for p in todo:
                self.doc.set_applicable(p, applicable)
        return len(todo)

    def visible_columns(self) -> list[int]:
        """转移支付 tables have no 分值/得分 columns."""
        scored = self.doc.report.scored
        return [i for i, c in enumerate(self.columns) if scored or c.key not in self.SCORE_KEYS]

    def editable(self, path: NodePath, col: int) -> bool:
        c = self.columns[col]
        if not c.editable:
            return False
        node = self.node(path)
        if not node.is_leaf and c.key in self.LEAF_ONLY:
            return False
        if c.key == "band":
            return node.qualitative
        if c.key == "score" and self.left_out(path):
            return False  # 不适用: not scored (a score typed before stays, and counts again if unmarked)
        return True

    def field_path(self, path: NodePath, col: int) -> NodePath | None:
        key = self.columns[col].key
        if key in ("suggested", "completion"):
            return path + ("score",) if key == "suggested" else None
        if key in ("op", "value", "unit"):
            return path + ("target", key)
        return path + (key,)

    def text(self, path: NodePath, col: int) -> str:
        node: Indicator = self.node(path)
        key = self.columns[col].key
        figs = self.doc.totals.nodes.get(node.uid)
        if key == "name":
            return node.name
        if key in self.LEFT_OUT_KEYS and figs is not None and not figs.counted:
            return LEFT_OUT if node.is_leaf or key == "score" else ""
        if key == "weight":
            if node.is_leaf:
                return fmt2(node.weight)
            derived = fmt2(figs.weight) if figs else ""
            return fmt2(node.weight) if node.weight is not None else f"（{derived}）"
        if key == "score":
            if node.is_leaf:
                return fmt2(node.score)
            return fmt2(figs.score) if figs else ""
        if not node.is_leaf:
            return ""
        if key == "suggested":
            return fmt2(figs.suggested) if figs else ""
        if key == "completion":
            return fmt_rate(figs.completion, "") if figs else ""
        t = node.target
        if key == "op":
            return OPS.get(t.op, t.op) if t else ""
        if key == "value":
            return figure_text(t.value) if t else ""
        if key == "unit":
            return t.unit if t else ""
        if key == "actual":
            return figure_text(node.actual)
        if key == "band":
            return BANDS.get(node.band, "")
        return getattr(node, key)

    def derived_weight(self, path: NodePath) -> bool:
        """A parent whose 分值 is the sum of its children (shown in brackets, muted)."""
        node = self.node(path)
        return not node.is_leaf and node.weight is None

    def hint(self, path: NodePath, col: int) -> str:
        if self.left_out(path):
            return LEFT_OUT_HINT
        if self.columns[col].key == "weight" and self.derived_weight(path):
            return "下级分值合计（未设定本级分值）"
        return super().hint(path, col)

    def emphasis(self, path: NodePath, col: int) -> str:
        key = self.columns[col].key
        if key == "suggested" or (key == "weight" and self.derived_weight(path)) or self.left_out(path):
            return "muted"
        return super().emphasis(path, col)

    def edit_text(self, path: NodePath, col: int) -> str:
        node = self.node(path)
        key = self.columns[col].key
        if key == "weight":
            return fmt_plain(node.weight) if node.weight is not None else ""
        if key == "score":
            return fmt_plain(node.score) if node.score is not None else ""
        if key == "op":
            return node.target.op if node.target else ""
        if key == "band":
            return node.band
        return self.text(path, col)

    def set_text(self, path: NodePath, col: int, text: str) -> bool:
        key = self.columns[col].key
        node = self.node(path)
        if not self.editable(path, col):
            return False
        if key == "op":
            code = text if text in OPS else next((k for k, v in OPS.items() if v == text.strip()), None)
            if code is None:
                raise InputError(f"{node.label()} 比较：“{text}”不是可选值（≥、＞、≤、＜、＝、定性）")
            if node.target is not None and node.target.op == code:
                return False
            self.doc.set_op(path, code)
            return True
        if key == "value":
            return self.set_target_text(path, text)
        if key == "unit" and (node.target is None or node.target.op == "") and text.strip():
            # A unit typed on a leaf without a comparison: a quantitative target (≥).
            with self.doc.batch(f"修改 {node.label()} {self.columns[col].header}"):
                self.doc.set_op(path, ">=")
                self.doc.set_text(self.field_path(path, col), text)
            return True
        return self.doc.set_text(self.field_path(path, col), text)

    def set_target_text(self, path: NodePath, text: str) -> bool:
        """指标值 typed (or pasted) as printed (DOMAIN §5, ``core/model/cells.py``), in one undo step:

        * a sign and a number (``≥95%``, ``不低于95%``, ``≤150元/人``) set 比较, 指标值 and 单位 at
          once; a cell without a unit keeps the leaf's unit;
        * a number without a sign (``95``, ``100%``) keeps the leaf's comparison when it has one
          (≥, ＞, ≤, ＜, ＝), and sets the unit when one is written; on a leaf without a comparison
          or a 定性 one it is read as ``read_target`` reads it (≥, or ＝ for a bare 0);
        * words (``达到``, ``无``, ``/``, ``显著提升``) make a leaf without a comparison 定性; on a
          定性 leaf they are its target; on a quantitative leaf they are kept as typed (check I08).
        """
        node: Indicator = self.node(path)
        old = node.target
        header = self.columns[self._value_col].header
        description = f"修改 {node.label()} {header}"
        if not text.strip():
            if old is None:
                return False
            return self.doc.set_text(path + ("target", "value"), "", description)
        cell = split_cell(text)
        if cell is None:  # words
            if old is not None and old.quantitative:
                return self.doc.set_text(path + ("target", "value"), text, description)
            unit = old.unit if old is not None else ""
            return self.doc.set_target(path, Target(op="qualitative", value=text, unit=unit), description)
        sign, number, unit = cell
        if not sign and old is not None and old.quantitative:
            op = old.op
        else:
            op = read_target(text).op
        unit = unit or (old.unit if old is not None else "")
        return self.doc.set_target(path, Target(op=op, value=number, unit=unit), description)

    @property
    def _value_col(self) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == "value")

    def copy_text(self, path: NodePath, col: int) -> str:
        """A cell as copied to the clipboard: as shown, except that 指标值 is the whole target as
        printed (``≥95%``), so pasting the copy (here or into a spreadsheet) keeps its meaning."""
        node = self.node(path)
        if self.columns[col].key == "value" and node.is_leaf:
            return printed_target(node.target)
        return self.text(path, col)

    def findings(self, path: NodePath, col: int) -> list[Finding]:
        key = self.columns[col].key
        found = list(self.findings_at(self.field_path(path, col))) if key != "suggested" else []
        if key == "name":
            found += self.findings_at(path)
            found += self.findings_at(path + ("target",))
        if key == "value":
            found += self.findings_at(path + ("target",))
        if key == "weight" and path[:-1] == self.root and len(self.nodes(None)) and path[-1] == 0:
            found += self.findings_at(self.root)  # I03 on the first 一级 row
        return found

    def cell_for(self, path: NodePath) -> tuple[NodePath, int] | None:
        """The cell where a finding at ``path`` is shown (the inverse of :meth:`findings`), for
        jumping to it from the findings list."""
        keys = [c.key for c in self.columns]
        if path == self.root:  # I03: the leaf weights as a whole, shown on the first 一级's 分值
            return (self.child_path(None, 0), keys.index("weight")) if self.nodes(None) else None
        node_path = row_path(path)
        if len(node_path) < len(self.root) + 1:
            return None
        field = path[len(node_path) :]
        if field[:1] == ("target",):
            key = field[1] if len(field) > 1 else "value"
        elif field[:1] == ("override_reason",):
            key = "score"  # the reason belongs to the score it explains
        else:
            key = field[0] if field else "name"
        return node_path, keys.index(key) if key in keys else keys.index("name")

    def apply_suggested(self, paths: list[NodePath]) -> int:
        """采用建议得分 for the given leaves (or all, when ``paths`` is empty). Returns how many."""
        from core.model.model import walk_indicators

        if not paths:
            paths = [p for p, n, _ in walk_indicators(self.doc.report.indicators) if n.is_leaf]
        todo = []
        for p in paths:
            node = self.node(p)
            figs = self.doc.totals.nodes.get(node.uid)  # a leaf left out as 不适用 has none
            if node.is_leaf and figs and figs.suggested is not None and node.score != figs.suggested:
                todo.append((p, figs.suggested))
        if todo:
            with self.doc.batch("采用建议得分" if len(todo) > 1 else f"采用 {self.node(todo[0][0]).label()} 建议得分"):
                for p, value in todo:
                    self.doc.set_value(p + ("score",), value)
        return len(todo)

    def paste(self, rows: list[NodePath], col: int, grid: list[list[str]]) -> list[str]:
        """Paste a block over the given visible rows from column ``col``; lines past the last row
        become new leaves beside it. Refused cells are reported and skipped. 指标值 cells are read
        as printed (:meth:`set_target_text`); a blank 单位 beside one that holds its unit keeps it."""
        errors: list[str] = []
        cells = sum(len(r) for r in grid)
        visible = self.visible_columns()
        start = visible.index(col) if col in visible else 0
        with self.doc.batch(f"粘贴 {cells} 个单元格"):
            for i, values in enumerate(grid):
                if i < len(rows):
                    path = rows[i]
                else:
                    path = self.add_sibling(path if rows else None)
                unit_given = False
                for j, value in enumerate(values):
                    if start + j >= len(visible):
                        break
                    c = visible[start + j]
                    if not self.columns[c].editable:
                        continue
                    key = self.columns[c].key
                    if key == "value":
                        cell = split_cell(value)
                        unit_given = cell is not None and cell[2] != ""
                    elif key == "unit" and unit_given and not value.strip():
                        continue  # the 指标值 cell gave the unit as printed (``≥95%``); a blank 单位 keeps it
                    try:
                        if self.editable(path, c):
                            self.set_text(path, c, value)
                    except InputError as exc:
                        errors.append(f"第 {i + 1} 行 {exc}")
        return errors


class SectionTable(TreeTable):
    root = ("narrative",)
    noun = "章节"
    factory = Section
    columns = [Column("title", "标题", width=20)]

    def text(self, path: NodePath, col: int = 0) -> str:
        return self.node(path).title or "（无标题）"

    def edit_text(self, path: NodePath, col: int = 0) -> str:
        return self.node(path).title

    def set_text(self, path: NodePath, col: int, text: str) -> bool:
        return self.doc.set_text(path + ("title",), text, f"重命名 {self.node(path).label()}")

    def editable(self, path: NodePath, col: int = 0) -> bool:
        return True

    def findings(self, path: NodePath, col: int = 0) -> list[Finding]:
        return list(self.findings_at(path + ("text",)))
