"""The indicator block of a filled form (一级 | 二级 | 三级 | 指标值 | 实际完成值 | 分值 | 得分 | 偏差原因)
read into the indicator tree.

Columns are found by their head text, in any order and with any columns between. A 一级 or 二级
cell merged over several rows groups those rows; where a person did not merge, a blank cell or the
same name again continues the group above. A row naming a 二级 with no 三级 and no figures (or
``……``) is an empty row of the form: a 二级 with no children. A 分值 column right after 一级 (the
四类 评价表) is what the paper prints for that 一级; right after 二级 it is the 二级's weight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.model.cells import read_actual, read_target
from core.model.model import Indicator, PrintedLevel1
from core.rules.totals import LEFT_OUT
from core.store.xlsx_grid import Grid, cell_text, norm

ELLIPSIS = {"……", "…", "...", "......", "。。。", "···", "……。"}
_HEADS = (
    ("l1", ("一级指标", "一级")),
    ("l2", ("二级指标", "二级")),
    ("l3", ("三级指标", "三级", "指标内容", "绩效指标内容")),
    ("explanation", ("指标解释", "指标说明", "指标内涵")),
    ("target", ("年度指标值", "指标值", "年度目标值", "预期指标值", "目标值", "预期值")),
    ("actual", ("实际完成值", "全年实际值", "实际完成情况", "实际值", "完成值")),
    ("score", ("得分", "自评得分", "评价得分")),
    ("deviation", ("偏差原因分析及改进措施", "偏差原因", "未完成原因和改进措施", "未完成原因分析", "原因分析")),
)
_STOP = ("总分", "合计", "总计", "评价等级", "评价等次", "评价人员", "填报人", "问题和建议", "综合得分")


@dataclass
class Block:
    nodes: list[Indicator]
    columns: dict[str, int]
    scored: bool
    end: int  # the first row after the block
    level1: list[PrintedLevel1] = field(default_factory=list)


def _head(label: str) -> str | None:
    for key, names in _HEADS:
        for n in names:
            if (
                label == n
                or label.startswith(n + "(")
                or (label.startswith(n) and key in ("l1", "l2", "l3", "deviation"))
            ):
                return key
    return None


def _columns(g: Grid, hr: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    last = None
    for c in range(1, g.max_col + 1):
        if g.origin(hr, c)[1] != c or g.value(hr, c) is None:
            continue
        label = g.label(hr, c)
        key = _head(label)
        if label.startswith("分值") or label == "权重":
            key = {"l1": "l1_weight", "l2": "l2_weight"}.get(last, "weight")
        if key and key not in columns:
            columns[key] = c
            g.take(*g.origin(hr, c))
            last = key
    return columns


def _figure_text(g: Grid, r: int, c: int) -> str:
    o = g.origin(r, c)
    v = g.values.get(o)
    if isinstance(v, int | float) and not isinstance(v, bool) and "%" in g.formats.get(o, ""):
        number = Decimal(repr(v)) * 100 if isinstance(v, float) else Decimal(v) * 100
        return f"{number.normalize():f}%"
    return cell_text(v)


def _ends_above(key, r: int) -> bool:
    """Whether the merged cell ``key`` ends on the row above ``r``: a cell below it with the same
    name goes on with the same node (our export splits a 一级/二级 cell at each page break)."""
    return isinstance(key, tuple) and len(key) == 4 and key[2] == r - 1


class _Reader:
    def __init__(self, g: Grid, columns: dict[str, int], problems: list[str]):
        self.g, self.cols, self.problems = g, columns, problems
        self.nodes: list[Indicator] = []
        self.level1: list[PrintedLevel1] = []
        self.l1: Indicator | None = None
        self.l1_key = None
        self.l2: Indicator | None = None
        self.l2_key = None

    def own(self, r: int, key: str) -> bool:
        """Whether the cell of column ``key`` on row ``r`` is filled and starts on this row."""
        c = self.cols.get(key)
        if c is None:
            return False
        o = self.g.origin(r, c)
        return o[0] == r and o in self.g.values

    def group(self, r: int, key: str, current: Indicator | None, current_key):
        """The node a row's 一级/二级 cell belongs to: (node, key, is_new)."""
        c = self.cols[key]
        box = self.g.spans.get((r, c))
        text = self.g.text(r, c)
        if box is not None:
            if box == current_key and current is not None:
                return current, current_key, False
            if current is not None and text == current.name and _ends_above(current_key, r):
                self.g.take(r, c)  # printed again at the top of a new page (core/export/sheet_pages.py)
                return current, box, False
            return Indicator(name=text), box, True
        if current is not None and (not text or (text == current.name and current_key == ("row",))):
            if text:
                self.g.take(r, c)  # the name typed again on each row instead of merged
            return current, current_key, False
        if current is not None and text == current.name and _ends_above(current_key, r):
            self.g.take(r, c)  # a page's piece of one row
            return current, (r, c, r, c), False
        return Indicator(name=text), ("row",), True

    def row(self, r: int) -> None:
        g = self.g
        fields = [
            k for k in ("l3", "target", "actual", "weight", "score", "deviation", "explanation") if self.own(r, k)
        ]
        starts1 = self.own(r, "l1")
        starts2 = "l2" in self.cols and self.own(r, "l2")
        if not fields and not starts1 and not starts2:
            return  # a blank row, or one inside merged 一级/二级 cells only
        l1, self.l1_key, new1 = self.group(r, "l1", self.l1, self.l1_key)
        if new1:
            self.l1 = l1
            self.nodes.append(l1)
            self.l2, self.l2_key = None, None
            g.take(r, self.cols["l1"])
            if "l1_weight" in self.cols:
                weight = g.amount(r, self.cols["l1_weight"], "", self.problems)
                self.level1.append(PrintedLevel1(name=l1.name, weight=weight))
        parent = l1
        if "l2" in self.cols and (starts2 or self.l2 is not None or g.text(r, self.cols["l2"])):
            l2, self.l2_key, new2 = self.group(r, "l2", self.l2, self.l2_key)
            if new2:
                self.l2 = l2
                l1.children.append(l2)
                g.take(r, self.cols["l2"])
                if "l2_weight" in self.cols:
                    l2.weight = g.amount(r, self.cols["l2_weight"], "", self.problems)
            parent = l2
        l3 = g.text(r, self.cols["l3"]) if "l3" in fields else ""
        if l3 in ELLIPSIS or norm(l3) in ELLIPSIS:
            g.take(r, self.cols["l3"])
            fields.remove("l3")
            l3 = ""
            if not fields:
                return  # 二级 with a placeholder row: an empty row of the form
        if l3:
            g.take(r, self.cols["l3"])
            leaf = Indicator(name=l3)
            parent.children.append(leaf)
        elif not fields:
            return  # the row only names a 一级 or 二级
        elif parent.children:
            leaf = Indicator(name="")  # figures under a 二级 that already has 三级 rows
            parent.children.append(leaf)
        else:
            leaf = parent  # a 二级 (or 一级) that is itself the leaf
        self.fill(r, leaf)

    def left_out(self, r: int) -> bool:
        """Whether row ``r``'s 得分 cell reads 不适用 (taken when it does)."""
        origin = self.g.origin(r, self.cols["score"])
        if norm(cell_text(self.g.values.get(origin))) != LEFT_OUT:
            return False
        self.g.take(*origin)
        return True

    def fill(self, r: int, leaf: Indicator) -> None:
        g, cols = self.g, self.cols
        if self.own(r, "target"):
            g.take(r, cols["target"])
            leaf.target = read_target(_figure_text(g, r, cols["target"]))
        if self.own(r, "actual"):
            g.take(r, cols["actual"])
            leaf.actual = read_actual(_figure_text(g, r, cols["actual"]), leaf.target)
        if leaf.target is None and leaf.actual is not None:
            leaf.actual = read_actual(_figure_text(g, r, cols["actual"]), None)
        for key in ("weight", "score"):
            if key == "score" and self.own(r, key) and self.left_out(r):
                leaf.applicable = False  # 得分 printed 不适用: left out of the scoring (DOMAIN §6)
            elif self.own(r, key):
                setattr(leaf, key, g.amount(r, cols[key], "", self.problems))
        for key in ("deviation", "explanation"):
            if self.own(r, key):
                g.take(r, cols[key])
                setattr(leaf, key, g.text(r, cols[key]))


def read_indicator_block(g: Grid, problems: list[str], subtotals: bool = False) -> Block | None:
    heads = g.find(lambda s: s.startswith("一级指标") or s == "一级")
    if not heads:
        return None
    hr = heads[0][0]
    columns = _columns(g, hr)
    if "l1" not in columns or "l3" not in columns and "l2" not in columns:
        return None
    if "l3" not in columns:  # a form with two levels: its 二级 is the leaf name
        columns["l3"] = columns.pop("l2")
    for r, c in g.find(lambda s: s in ("绩效指标", "绩效指标完成情况", "绩效指标体系")):
        g.take(r, c)
    reader = _Reader(g, columns, problems)
    r = hr + 1
    while r <= g.max_row:
        first = [g.label(r, c) for c in range(1, g.max_col + 1) if g.origin(r, c) == (r, c) and (r, c) in g.values]
        if first and subtotals and first[0].endswith("小计"):
            name = first[0][: -len("小计")]
            weight = g.amount(r, columns["weight"], "", problems) if "weight" in columns else None
            score = g.amount(r, columns["score"], "", problems) if "score" in columns else None
            for c in range(1, g.max_col + 1):
                g.take(r, c)
            reader.level1.append(PrintedLevel1(name=name, weight=weight, score=score))
            r += 1
            continue
        if first and any(first[0].startswith(s) for s in _STOP):
            break
        reader.row(r)
        r += 1
    scored = "weight" in columns or "score" in columns
    return Block(reader.nodes, columns, scored, r, reader.level1)
