"""The report model: plain dataclasses whose attribute names are the interchange JSON keys.

Nothing here changes a report on its own; all changes go through :class:`core.document.Document`.
Each field carries its kind (how typed text is read) and its Chinese label (for messages and
undo descriptions) in its metadata.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

# Field kinds: how a typed entry is read and how it is written to JSON.
LINE = "line"  # one line of text
TEXT = "text"  # multi-line text
AMOUNT = "amount"  # money in the table's unit, Decimal
NUMBER = "number"  # a weight or score, Decimal
YEAR = "year"  # an int
CHOICE = "choice"  # one of a fixed set of codes
MONTH = "month"  # "2024-05" (or a full date)
FIGURE = "figure"  # a target value or actual: Decimal for quantitative leaves, text otherwise
FLAG = "flag"  # true or false; written to JSON only when it differs from the default

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the 评价年度 a report may have, typed or read from JSON


def is_year(number: Decimal) -> bool:
    return number == number.to_integral() and FIRST_YEAR <= number <= LAST_YEAR


TEMPLATES = {
    "mof-self": "财政部自评表",
    "framework": "四类指标体系",
    "transfer": "转移支付绩效目标自评表",
    "blank": "空白",
    "mof-self-20": "自评表（预算执行 20 分）",
}
PROJECT_TYPES = {"": "", "recurring": "经常性项目", "continuing": "延续性项目", "one_off": "一次性项目"}
EVALUATION_TYPES = {"": "", "process": "项目实施过程评价", "result": "项目完成结果评价"}
EXECUTION_BASES = {"adjusted": "全年预算数", "received": "实际到位数", "initial": "年初预算数"}
FUND_UNITS = {"万元": "万元", "元": "元"}
OPS = {"": "", ">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "=": "＝", "qualitative": "定性"}
BANDS = {"": "", "full": "达成年度指标", "partial": "部分达成并具有一定效果", "none": "未达成且效果较差"}
ROLES = ("组长", "副组长", "成员")
#: The printed forms (DOMAIN §7) a report can be for; ``narrative`` (the GB/T 9704 report with its
#: tables attached) is what a report without ``form`` means.
FORMS = {
    "narrative": "绩效自评报告（正文及附表）",
    "mof-self": "财政部项目支出绩效自评表",
    "evaluation-table": "项目绩效评价表（四类指标体系）",
    "report-annex3": "项目绩效自评报告（附件3式）",
    "transfer": "转移支付绩效自评表",
}
#: The form boxes of the project header (DOMAIN §5), as printed: the stored value is the text of
#: the ticked box, so a form from another place can say something else and still be kept.
PROJECT_CATEGORIES = ("部门预算项目", "专项资金", "转移支付")
PROJECT_ATTRIBUTES = ("持续性项目", "新增性项目")
#: The 资金管理情况 rows of the 转移支付 自评表 (DOMAIN §7), in the form's order.
MANAGEMENT_ITEMS = ("分配科学性", "下达及时性", "拨付合规性", "使用规范性", "执行准确性")


def _f(kind: str, label: str, default: Any = "", choices: dict | None = None) -> Any:
    meta = {"kind": kind, "label": label}
    if choices is not None:
        meta["choices"] = choices
    return field(default=default, metadata=meta)


def _list(label: str) -> Any:
    return field(default_factory=list, metadata={"kind": "list", "label": label})


def _extra() -> Any:
    # Keys of the JSON this version does not know: kept so a newer file survives a round trip.
    return field(default_factory=dict, compare=False, repr=False, metadata={"kind": "extra"})


_uids = itertools.count(1)


def _uid() -> Any:
    # Identity for views (tree rows survive edits); never written, never compared.
    return field(default_factory=lambda: next(_uids), compare=False, repr=False, metadata={"kind": "uid"})


@dataclass
class Project:
    name: str = _f(LINE, "项目名称")
    year: int | None = _f(YEAR, "评价年度", None)
    code: str = _f(LINE, "项目编码")
    department: str = _f(LINE, "部门名称")
    implementing_unit: str = _f(LINE, "项目单位")
    supervisor: str = _f(LINE, "主管部门")
    leader: str = _f(LINE, "项目负责人")
    phone: str = _f(LINE, "联系电话")
    #: The leader's own phone where a form has both (联系电话 of the unit and of the leader).
    leader_phone: str = _f(LINE, "项目负责人电话")
    category: str = _f(LINE, "项目类别")  # one of PROJECT_CATEGORIES as printed, or what the form says
    attribute: str = _f(LINE, "项目属性")  # one of PROJECT_ATTRIBUTES as printed
    address: str = _f(LINE, "项目地址")
    postcode: str = _f(LINE, "邮编")
    project_type: str = _f(CHOICE, "项目类型", "", PROJECT_TYPES)
    period_start: str = _f(MONTH, "项目开始时间")
    period_end: str = _f(MONTH, "项目结束时间")
    evaluation_type: str = _f(CHOICE, "评价类型", "", EVALUATION_TYPES)
    evaluation_method: str = _f(LINE, "评价方式", "部门（单位）绩效自评")
    evaluation_body: str = _f(LINE, "评价机构", "部门（单位）评价组")
    evaluation_date: str = _f(MONTH, "绩效自评日期")
    report_date: str = _f(MONTH, "报告日期")
    preparer: str = _f(LINE, "填报人")
    preparer_phone: str = _f(LINE, "填报人电话")
    author: str = _f(LINE, "报告撰写人")
    evaluation_lead: str = _f(LINE, "评价工作负责人")
    goal_expected: str = _f(TEXT, "年度总体目标（预期目标）")
    goal_actual: str = _f(TEXT, "年度总体目标（实际完成情况）")
    #: The finance bureau that issues the form, printed on the annex-3 cover as “XX财政局（制）”.
    issuing_bureau: str = _f(LINE, "制表单位（财政局）")
    extra: dict = _extra()


@dataclass
class TeamMember:
    role: str = _f(LINE, "角色", "成员")
    name: str = _f(LINE, "姓名")
    title: str = _f(LINE, "职务/职称")
    unit: str = _f(LINE, "所属单位/处室")
    extra: dict = _extra()

    def label(self) -> str:
        return self.name or "评价人员"


@dataclass
class FundSource:
    source: str = _f(LINE, "资金来源")
    initial: Decimal | None = _f(AMOUNT, "年初预算数", None)
    #: 全年预算数; ``None`` means unchanged from 年初预算数.
    adjusted: Decimal | None = _f(AMOUNT, "全年预算数", None)
    received: Decimal | None = _f(AMOUNT, "实际到位数", None)
    spent: Decimal | None = _f(AMOUNT, "实际支出数", None)
    extra: dict = _extra()

    @property
    def effective_adjusted(self) -> Decimal | None:
        return self.adjusted if self.adjusted is not None else self.initial

    def label(self) -> str:
        return self.source or "资金来源"


#: The funds table's columns as the window, the PDF and the workbook head them: FundSource's fields
#: by their labels, then the figures derived from them (core/rules/totals.py).
FUND_COLUMNS = {f.name: f.metadata["label"] for f in fields(FundSource) if f.metadata.get("kind") != "extra"} | {
    "execution_rate": "执行率",
    "arrival_rate": "到位率",
    "remaining": "结余",
}


@dataclass
class Expenditure:
    content: str = _f(LINE, "支出内容")
    amount: Decimal | None = _f(AMOUNT, "金额", None)
    voucher: str = _f(LINE, "会计凭证号")
    note: str = _f(LINE, "备注")
    extra: dict = _extra()

    def label(self) -> str:
        return self.content or "支出明细"


@dataclass
class Balance:
    opening: Decimal | None = _f(AMOUNT, "上年结转结余", None)
    income: Decimal | None = _f(AMOUNT, "本年收入", None)
    spent: Decimal | None = _f(AMOUNT, "本年支出", None)
    closing: Decimal | None = _f(AMOUNT, "年末结转结余", None)
    extra: dict = _extra()

    def label(self) -> str:
        return "结转结余"


@dataclass
class ManagementRow:
    """One 资金管理情况 row of the 转移支付 自评表: the item (one of MANAGEMENT_ITEMS as printed, or
    what another form says), 情况说明 and 存在问题和改进措施."""

    item: str = _f(LINE, "管理事项")
    explanation: str = _f(TEXT, "情况说明")
    problems: str = _f(TEXT, "存在问题和改进措施")
    extra: dict = _extra()

    def label(self) -> str:
        return self.item or "资金管理情况"


@dataclass
class Funds:
    unit: str = _f(CHOICE, "金额单位", "万元", FUND_UNITS)
    execution_base: str = _f(CHOICE, "执行率计算口径", "adjusted", EXECUTION_BASES)
    approved_total: Decimal | None = _f(AMOUNT, "批复金额", None)
    sources: list[FundSource] = _list("资金来源")
    expenditures: list[Expenditure] = _list("支出明细")
    balance: Balance | None = field(default=None, metadata={"kind": "object", "label": "结转结余"})
    #: 资金管理情况 (转移支付 自评表); empty: the form prints its rows blank.
    management: list[ManagementRow] = _list("资金管理情况")
    extra: dict = _extra()


def management_rows(funds: Funds) -> list[tuple[str, int | None]]:
    """The 资金管理情况 rows as the form and the window show them: each of MANAGEMENT_ITEMS with
    the index of its row in ``funds.management`` (the first with that item; None: not written
    yet), then every other row the list holds (an item another form names, a repeat), in order."""
    out: list[tuple[str, int | None]] = []
    used: set[int] = set()
    for item in MANAGEMENT_ITEMS:
        index = next((i for i, row in enumerate(funds.management) if row.item == item), None)
        if index is not None:
            used.add(index)
        out.append((item, index))
    out += [(row.item, i) for i, row in enumerate(funds.management) if i not in used]
    return out


@dataclass
class Target:
    op: str = _f(CHOICE, "比较方式", "", OPS)
    value: Decimal | str | None = _f(FIGURE, "指标值", None)
    unit: str = _f(LINE, "计量单位")
    extra: dict = _extra()

    @property
    def quantitative(self) -> bool:
        return self.op not in ("", "qualitative")

    def label(self) -> str:
        return "年度指标值"


@dataclass
class Indicator:
    name: str = _f(LINE, "指标名称")
    explanation: str = _f(TEXT, "指标解释")
    weight: Decimal | None = _f(NUMBER, "分值", None)
    score: Decimal | None = _f(NUMBER, "得分", None)
    metric: str = _f(LINE, "指标内容")
    target: Target | None = field(default=None, metadata={"kind": "object", "label": "年度指标值"})
    actual: Decimal | str | None = _f(FIGURE, "实际完成值", None)
    band: str = _f(CHOICE, "完成档次", "", BANDS)
    deviation: str = _f(TEXT, "偏差原因分析及改进措施")
    override_reason: str = _f(TEXT, "调整得分理由")
    #: False: marked 不适用 for this project (INTERCHANGE "Additions", ``"applicable": false``); what
    #: that does is the rule set's ``not_applicable`` knob (DOMAIN §6). A mark on a parent covers
    #: every leaf below it.
    applicable: bool = field(default=True, metadata={"kind": FLAG, "label": "适用"})
    children: list[Indicator] = _list("下级指标")
    extra: dict = _extra()
    uid: int = _uid()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def quantitative(self) -> bool:
        return self.target is not None and self.target.quantitative

    @property
    def qualitative(self) -> bool:
        return self.target is not None and self.target.op == "qualitative"

    def label(self) -> str:
        return self.name or "指标"


@dataclass
class Section:
    title: str = _f(LINE, "标题")
    text: str = _f(TEXT, "正文")
    children: list[Section] = _list("下级标题")
    extra: dict = _extra()
    uid: int = _uid()

    def label(self) -> str:
        return self.title or "章节"


@dataclass
class PrintedLevel1:
    """One 一级 row's 分值/得分 as the paper prints them (复核)."""

    name: str = _f(LINE, "一级指标")
    weight: Decimal | None = _f(NUMBER, "表上分值", None)
    score: Decimal | None = _f(NUMBER, "表上得分", None)
    extra: dict = _extra()

    def label(self) -> str:
        return self.name or "一级指标"


@dataclass
class PrintedFunds:
    """The 年度资金总额 (合计) row and 执行率 as the paper prints them (复核)."""

    initial: Decimal | None = _f(AMOUNT, "表上年初预算数", None)
    adjusted: Decimal | None = _f(AMOUNT, "表上全年预算数", None)
    received: Decimal | None = _f(AMOUNT, "表上实际到位数", None)
    spent: Decimal | None = _f(AMOUNT, "表上实际支出数", None)
    execution_rate: Decimal | None = _f(NUMBER, "表上执行率", None)  # in %, without the sign
    extra: dict = _extra()

    def label(self) -> str:
        return "表上资金合计"


@dataclass
class Printed:
    """The figures a handed-in table prints for its totals (DOMAIN §5, INTERCHANGE ``printed``):
    recorded as printed when a report is checked (复核) and compared with what the rows give
    (checks V01–V04). Never used as a total; a report the user writes has none."""

    weight: Decimal | None = _f(NUMBER, "表上总分值", None)
    score: Decimal | None = _f(NUMBER, "表上总分", None)
    grade: str = _f(LINE, "表上评价等级")
    level1: list[PrintedLevel1] = _list("表上一级指标")
    funds: PrintedFunds | None = field(default=None, metadata={"kind": "object", "label": "表上资金合计"})
    extra: dict = _extra()

    def label(self) -> str:
        return "表上数字"


@dataclass
class Report:
    template: str = _f(CHOICE, "模板", "blank", TEMPLATES)
    #: The scoring rule set (DOMAIN §6): a preset name (``"national"``, ``"hubei"``…) or a
    #: ``core.rules.rulesets.RuleSet`` of custom knobs. Only stored here; read by core/rules.
    rules: Any = field(default="national", metadata={"kind": "rules", "label": "评分规则"})
    #: Which printed form (FORMS) exports print unless asked for another.
    form: str = _f(CHOICE, "打印表式", "narrative", FORMS)
    project: Project = field(default_factory=Project, metadata={"kind": "object", "label": "项目信息"})
    team: list[TeamMember] = _list("评价小组")
    funds: Funds = field(default_factory=Funds, metadata={"kind": "object", "label": "项目资金"})
    indicators: list[Indicator] = _list("绩效指标")
    narrative: list[Section] = _list("报告正文")
    #: What the paper prints for its totals, for 复核 (None: nothing recorded, totals are derived).
    printed: Printed | None = field(default=None, metadata={"kind": "object", "label": "表上数字"})
    extra: dict = _extra()

    @property
    def scored(self) -> bool:
        """Whether the template has 分值/得分 columns (转移支付 has none)."""
        return self.template != "transfer"


# --- paths -----------------------------------------------------------------------------------

NodePath = tuple  # ("funds", "sources", 1, "spent"): the JSON path as a tuple


def path_str(path: NodePath) -> str:
    """``("funds", "sources", 1, "spent")`` → ``"funds.sources[1].spent"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def parse_path(text: str) -> NodePath:
    """The inverse of :func:`path_str`."""
    parts: list = []
    for chunk in text.split("."):
        name, _, rest = chunk.partition("[")
        if name:
            parts.append(name)
        while rest:
            index, _, rest = rest.partition("]")
            parts.append(int(index))
            rest = rest.lstrip("[")
    return tuple(parts)


def row_path(path: NodePath) -> NodePath:
    """The row (list item) a path lies in: the path up to its last index.
    ``("indicators", 1, "children", 0, "target", "value")`` → ``("indicators", 1, "children", 0)``;
    ``()`` for a path in no list."""
    end = len(path)
    while end and not isinstance(path[end - 1], int):
        end -= 1
    return path[:end]


def resolve(root: Any, path: NodePath) -> Any:
    obj = root
    for part in path:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    return obj


_FIELD_CACHE: dict[type, dict[str, Any]] = {}


def field_meta(cls: type, name: str) -> dict:
    table = _FIELD_CACHE.get(cls)
    if table is None:
        table = _FIELD_CACHE[cls] = {f.name: f.metadata for f in fields(cls)}
    return table[name]


def field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls) if f.metadata.get("kind") not in ("extra", "uid")]


_AMOUNT_NAMES: dict[type, tuple[str, ...]] = {}


def amount_names(cls: type) -> tuple[str, ...]:
    """The money fields of a funds row type (年初预算数, 金额, 上年结转结余…)."""
    names = _AMOUNT_NAMES.get(cls)
    if names is None:
        names = _AMOUNT_NAMES[cls] = tuple(f.name for f in fields(cls) if f.metadata.get("kind") == AMOUNT)
    return names


def filled_amounts(funds: Funds) -> Iterator[tuple[NodePath, Any, str, Decimal]]:
    """Every amount the funds hold that is filled in, in report order: (path, the row or funds
    object holding it, field name, value). For the negative-amount check and unit changes."""
    rows: list[tuple[NodePath, Any]] = [(("funds",), funds)]
    rows += [(("funds", "sources", i), r) for i, r in enumerate(funds.sources)]
    rows += [(("funds", "expenditures", i), r) for i, r in enumerate(funds.expenditures)]
    if funds.balance is not None:
        rows.append((("funds", "balance"), funds.balance))
    for base, row in rows:
        for name in amount_names(type(row)):
            value = getattr(row, name)
            if value is not None:
                yield base + (name,), row, name, value


def walk_indicators(
    nodes: list[Indicator], prefix: NodePath = ("indicators",)
) -> Iterator[tuple[NodePath, Indicator, int]]:
    """Every indicator node, depth first, with its path and depth (1 = 一级)."""
    stack = [(prefix + (i,), node, 1) for i, node in reversed(list(enumerate(nodes)))]
    while stack:
        path, node, depth = stack.pop()
        yield path, node, depth
        for i in range(len(node.children) - 1, -1, -1):
            stack.append((path + ("children", i), node.children[i], depth + 1))


def walk_sections(nodes: list[Section], prefix: NodePath = ("narrative",)) -> Iterator[tuple[NodePath, Section, int]]:
    for i, node in enumerate(nodes):
        path = prefix + (i,)
        yield path, node, 1 if len(prefix) == 1 else (len(prefix) + 1) // 2
        yield from walk_sections(node.children, path + ("children",))
