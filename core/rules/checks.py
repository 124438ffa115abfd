"""The live checks of DOMAIN §3. Each finding names its code, severity, JSON path and a message."""

from __future__ import annotations

from dataclasses import dataclass

from core.model.limits import FILLED_CHARS, PRINTED_NAME_CHARS
from core.model.model import (
    BANDS,
    Funds,
    FundSource,
    Indicator,
    NodePath,
    Report,
    field_meta,
    filled_amounts,
    path_str,
    walk_indicators,
    walk_sections,
)
from core.model.numbers import HUNDRED, ZERO, equal2, fmt2, fmt_rate, round2
from core.rules.empty_rows import is_empty_row
from core.rules.leaf_memo import LeafFindings, LeafMemo
from core.rules.placeholders import CUT_WARNING, filled_length, unfilled_names, unknown_names
from core.rules.review import REVIEW_CODES, review_findings
from core.rules.rulesets import LOW_EXECUTION, label_of
from core.rules.scoring import band_range, figure, figure_text, is_execution_leaf, needs_deviation, target_text
from core.rules.totals import FundTotals, NodeFigures, Totals

ERROR = "error"
WARNING = "warning"
#: How a severity is named wherever a finding is shown: the check dock, cell tooltips, the command line.
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}

#: code → (severity, short Chinese title), for legends and the check dock.
CODES = {
    "F01": (ERROR, "资金来源合计与批复金额不符"),
    "F02": (WARNING, "实际支出超过实际到位"),
    "F03": (WARNING, "实际到位超过全年预算"),
    "F04": (ERROR, "支出明细合计与实际支出不符"),
    "F05": (ERROR, "结转结余不平衡"),
    "F06": (ERROR, "金额为负数"),
    "I01": (ERROR, "得分超出分值范围"),
    "I02": (ERROR, "下级分值合计与设定分值不符"),
    "I03": (ERROR, "末级指标分值合计不是 100"),
    "I04": (WARNING, "得分与建议得分不同且未说明理由"),
    "I05": (WARNING, "偏离年度指标值未说明原因"),
    "I06": (WARNING, "预算执行率得分与资金执行率不符"),
    "I07": (ERROR, "末级指标缺少分值或得分"),
    "I08": (WARNING, "指标值或实际完成值不是数字"),
    "I09": (ERROR, "定性指标得分超出所选档次"),
    "I10": (WARNING, "产出与效益分值合计低于 60"),
    "I11": (WARNING, "标为不适用，但评分规则不允许剔除指标"),
    "I12": (ERROR, "没有可计分的指标，无法折算总分"),
    "N01": (WARNING, "正文中有无法识别或无法填入（所需金额未填写）的占位符"),
    "N02": (WARNING, "正文中出现重复的百分号"),
    "N03": (WARNING, "正文填入占位符后过长"),
    "P01": (WARNING, "必填项目信息未填写"),
    "P02": (WARNING, "名称过长，PDF 表格中印不下"),
    "T01": (WARNING, "有 PDF 字体无法打印的字"),
    **REVIEW_CODES,  # V01–V04: the figures the paper prints (复核), core/rules/review.py
}
REQUIRED_PROJECT = ("name", "year", "department", "implementing_unit", "supervisor")
#: The project's names printed in the cover's table (check P02).
PRINTED_PROJECT = ("name", "department", "implementing_unit", "supervisor")


@dataclass(frozen=True)
class Finding:
    code: str
    path: NodePath
    message: str

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def path_text(self) -> str:
        return path_str(self.path)

    def as_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "path": self.path_text, "message": self.message}


def _funds(report: Report, totals: Totals, out: list[Finding]) -> None:
    """F01–F06, in the order of the funds table: each source, the 合计 row, 结转结余, then every
    negative amount wherever it stands."""
    for i, src in enumerate(report.funds.sources):
        _f02_f03_source(src, ("funds", "sources", i), report.funds.unit, out)
    _f01_f04_totals(report.funds, totals.funds, out)
    _f05_balance(report.funds, totals.funds, out)
    _f06_negative_amounts(report.funds, out)


def _f02_f03_source(src: FundSource, base: NodePath, unit: str, out: list[Finding]) -> None:
    name = src.label()
    if src.spent is not None and src.received is not None and round2(src.spent) > round2(src.received):
        out.append(
            Finding(
                "F02",
                base + ("spent",),
                f"{name}：实际支出数 {fmt2(src.spent)} {unit} 超过实际到位数 {fmt2(src.received)} {unit}",
            )
        )
    adjusted = src.effective_adjusted
    if src.received is not None and adjusted is not None and round2(src.received) > round2(adjusted):
        out.append(
            Finding(
                "F03",
                base + ("received",),
                f"{name}：实际到位数 {fmt2(src.received)} {unit} 超过全年预算数 {fmt2(adjusted)} {unit}",
            )
        )


def _f01_f04_totals(funds: Funds, ft: FundTotals, out: list[Finding]) -> None:
    # A check on the 合计 row compares only a column every row with figures gives: a blank 全年预算数
    # or 实际支出数 is not given, and counting it as 0 would report a slip nobody made.
    unit = funds.unit
    adjusted_given = ft.total.adjusted is not None and "adjusted" not in ft.partial
    spent_given = ft.total.spent is not None and "spent" not in ft.partial
    if funds.approved_total is not None and adjusted_given and not equal2(funds.approved_total, ft.total.adjusted):
        diff = round2(ft.total.adjusted) - round2(funds.approved_total)
        out.append(
            Finding(
                "F01",
                ("funds", "approved_total"),
                f"各资金来源全年预算数合计 {fmt2(ft.total.adjusted)} {unit}，与批复金额 "
                f"{fmt2(funds.approved_total)} {unit} 不符（相差 {fmt2(diff)}）",
            )
        )
    if ft.expenditure_total is not None and spent_given and not equal2(ft.expenditure_total, ft.total.spent):
        out.append(
            Finding(
                "F04",
                ("funds", "expenditures"),
                f"支出明细合计 {fmt2(ft.expenditure_total)} {unit}，与实际支出数合计 "
                f"{fmt2(ft.total.spent)} {unit} 不符",
            )
        )


def _f05_balance(funds: Funds, ft: FundTotals, out: list[Finding]) -> None:
    b = funds.balance
    closing = ft.balance_closing  # None unless opening, income and spent are all given
    if b is not None and b.closing is not None and closing is not None and not equal2(closing, b.closing):
        out.append(
            Finding(
                "F05",
                ("funds", "balance", "closing"),
                f"结转结余：{fmt2(b.opening)} + {fmt2(b.income)} − "
                f"{fmt2(b.spent)} = {fmt2(closing)} {funds.unit}，"
                f"与年末结转结余 {fmt2(b.closing)} {funds.unit} 不符",
            )
        )


def _f06_negative_amounts(funds: Funds, out: list[Finding]) -> None:
    for path, row, name, value in filled_amounts(funds):
        if value < 0:
            label = field_meta(type(row), name)["label"]
            where = f"{row.label()}：" if hasattr(row, "label") else ""
            out.append(Finding("F06", path, f"{where}{label}为负数（{fmt2(value)}）"))


# The indicator checks, one function per code. A leaf check is given the leaf, its path, its label,
# its derived figures and the report's totals, and returns its finding or None.


def _i02_children_add_up(node: Indicator, path: NodePath, name: str, nodes: dict[int, NodeFigures]) -> Finding | None:
    if node.weight is None:
        return None
    children = sum(
        (c.weight if c.weight is not None and not c.is_leaf else nodes[c.uid].weight for c in node.children),
        ZERO,
    )
    if equal2(children, node.weight):
        return None
    return Finding("I02", path, f"{name}：下级分值合计 {fmt2(children)}，与设定分值 {fmt2(node.weight)} 不符")


def _i07_weight_and_score_given(
    node: Indicator, path: NodePath, name: str, figs: NodeFigures, totals: Totals
) -> Finding | None:
    weight = node.weight
    if weight is None or weight == 0:
        return Finding("I07", path + ("weight",), f"{name}：末级指标未设分值")
    if weight < 0:
        return Finding("I07", path + ("weight",), f"{name}：分值不能为负数（{fmt2(weight)}）")
    if node.score is None:
        return Finding("I07", path + ("score",), f"{name}：尚未评分")
    return None


def _score_out_of_range(node: Indicator) -> bool:
    score, weight = node.score, node.weight
    return score < 0 or (weight is not None and score > weight and round2(score) > round2(weight))


def _i01_score_in_range(
    node: Indicator, path: NodePath, name: str, figs: NodeFigures, totals: Totals
) -> Finding | None:
    if node.score is None or not _score_out_of_range(node):
        return None
    return Finding(
        "I01", path + ("score",), f"{name}：得分 {fmt2(node.score)} 超出 0～{fmt2(node.weight or ZERO)} 分的范围"
    )


def _i09_score_in_band(node: Indicator, path: NodePath, name: str, figs: NodeFigures, totals: Totals) -> Finding | None:
    score = node.score
    if score is None or not node.weight or _score_out_of_range(node):  # out of range is I01's
        return None
    band = band_range(node, totals.rules)
    if band is None or band[0] <= round2(score) <= band[1]:
        return None
    return Finding(
        "I09",
        path + ("score",),
        f"{name}：选择“{BANDS[node.band]}”时得分应在 {fmt2(band[0])}～{fmt2(band[1])} 分之间，现为 {fmt2(score)}",
    )


def _differs_from_suggested(node: Indicator, figs: NodeFigures) -> bool:
    return node.score is not None and figs.suggested is not None and not equal2(node.score, figs.suggested)


def _i06_execution_score(
    node: Indicator, path: NodePath, name: str, figs: NodeFigures, totals: Totals
) -> Finding | None:
    if not is_execution_leaf(node) or not _differs_from_suggested(node, figs):
        return None
    return Finding(
        "I06",
        path + ("score",),
        f"{name}：得分 {fmt2(node.score)} 与预算执行率 {fmt_rate(totals.funds.total.execution_rate)} 不符，"
        f"按分值×执行率应为 {fmt2(figs.suggested)}",
    )


def _i04_override_explained(
    node: Indicator, path: NodePath, name: str, figs: NodeFigures, totals: Totals
) -> Finding | None:
    if not _differs_from_suggested(node, figs) or not node.quantitative:
        return None
    if node.override_reason.strip() or is_execution_leaf(node):  # that leaf: I06
        return None
    return Finding(
        "I04",
        path + ("score",),
        f"{name}：得分 {fmt2(node.score)} 与建议得分 {fmt2(figs.suggested)} 不同，请填写调整理由",
    )


def _i08_figures_are_numbers(
    node: Indicator, path: NodePath, name: str, figs: NodeFigures, totals: Totals
) -> Finding | None:
    target = node.target
    if not isinstance(node.actual, str) and (target is None or not isinstance(target.value, str)):
        return None  # numbers or nothing: the common case, asked on every recheck
    if not node.quantitative:
        return None
    unit = target.unit
    bad = [
        label
        for label, value in (("年度指标值", node.target.value), ("实际完成值", node.actual))
        if isinstance(value, str) and value.strip() and figure(value, unit) is None
    ]
    if not bad:
        return None
    return Finding(
        "I08",
        path + ("target" if bad[0] == "年度指标值" else "actual",),
        f"{name}：{'、'.join(bad)}不是数字，无法计算完成率和建议得分",
    )


def _i05_deviation_explained(
    node: Indicator, path: NodePath, name: str, figs: NodeFigures, totals: Totals
) -> Finding | None:
    kind = needs_deviation(node, figs.completion, totals.rules, totals.funds.total.execution_rate)
    if not kind or node.deviation.strip():
        return None
    if kind == "low_execution":
        rate = fmt_rate(totals.funds.total.execution_rate)
        msg = f"{name}：资金执行率 {rate} 低于 {LOW_EXECUTION}%，请填写偏差原因分析及改进措施"
    elif node.qualitative:
        msg = f"{name}：完成档次为“{BANDS[node.band]}”，请填写偏差原因分析及改进措施"
    else:
        actual = figure_text(node.actual)
        how = "未达到" if kind == "missed" else "超出"
        extra = "" if kind == "missed" else " 30% 以上"
        msg = (
            f"{name}：实际完成值 {actual}{node.target.unit} {how}年度指标值 {target_text(node)}"
            f"{extra}（完成率 {fmt_rate(figs.completion)}），请填写偏差原因分析及改进措施"
        )
    return Finding("I05", path + ("deviation",), msg)


def _i10_outputs_and_outcomes_weigh_60(totals: Totals) -> Finding | None:
    # 评价指标体系框架: 产出 and 效益 together carry at least 60 of the 100 points.
    parts = [x for x in totals.level1 if "产出" in x.name or "效益" in x.name]
    if not parts or sum((x.weight for x in parts), ZERO) >= 60:
        return None
    names = "、".join(x.name for x in parts)
    total = fmt2(sum((x.weight for x in parts), ZERO))
    return Finding("I10", ("indicators",), f"{names}分值合计 {total}，按评价指标体系框架应不低于 60")


def _i03_leaf_weights_make_100(report: Report, totals: Totals) -> Finding | None:
    if equal2(totals.weight, HUNDRED):
        return None
    msg = (
        "尚未设置绩效指标，末级指标分值合计应为 100.00"
        if not report.indicators
        else f"末级指标分值合计 {fmt2(totals.weight)}，应为 100.00"
    )
    return Finding("I03", ("indicators",), msg)


def _i11_left_out_allowed(report: Report, node: Indicator, path: NodePath, name: str, totals: Totals) -> Finding | None:
    # DOMAIN §6: leaving indicators out and scaling the rest to 100 is some provinces' rule, not the
    # national one; under a rule set that does not allow it the mark changes no figure.
    if node.applicable or totals.rules.not_applicable == "rescale":
        return None
    return Finding(
        "I11",
        path,
        f"{name}：标为“不适用”，但评分规则“{label_of(report.rules)}”不允许剔除指标，该指标仍按分值计分；"
        "请评分并取消“不适用”，或改用允许折算的评分规则",
    )


def _i12_something_left_to_score(totals: Totals) -> Finding | None:
    if not totals.left_out or totals.counted_weight > 0:
        return None
    return Finding(
        "I12",
        ("indicators",),
        f"{len(totals.left_out)} 个末级指标均标为“不适用”（或其余指标分值合计为 0），没有可计分的指标，无法折算总分",
    )


# In the order their findings are listed for one leaf.
_SCORED_LEAF_CHECKS = (
    _i07_weight_and_score_given,
    _i01_score_in_range,
    _i09_score_in_band,
    _i06_execution_score,
    _i04_override_explained,
)
_LEAF_CHECKS = (_i08_figures_are_numbers, _i05_deviation_explained)


def _indicators(
    report: Report, totals: Totals, out: list[Finding], names: list[Finding], memo: LeafMemo | None = None
) -> None:
    """The indicator checks into ``out``, and P02 for names too long to print into ``names`` (one
    walk over the tree serves both: a recheck runs on every edit). A leaf's findings come from
    ``memo`` when it holds them for the same place and figures (core/rules/leaf_memo.py)."""
    scored = report.scored
    nodes = totals.nodes
    leaf_checks = _SCORED_LEAF_CHECKS + _LEAF_CHECKS if scored else _LEAF_CHECKS
    kept = memo.findings if memo is not None else None
    for path, node, depth in walk_indicators(report.indicators):
        if node.is_leaf:
            figs = nodes[node.uid]
            leaf = kept.get(node.uid) if kept is not None else None
            if leaf is None or leaf.figures is not figs or leaf.path != path:
                leaf = _leaf_findings(report, node, path, depth, figs, totals, leaf_checks)
                if kept is not None:
                    kept[node.uid] = leaf
            out += leaf.findings
            names += leaf.names
            continue
        name = _name_and_mark(report, node, path, totals, out, names)
        if scored and (finding := _i02_children_add_up(node, path, name, nodes)) is not None:
            out.append(finding)
    if report.template == "framework" and (finding := _i10_outputs_and_outcomes_weigh_60(totals)) is not None:
        out.append(finding)
    if scored and (finding := _i03_leaf_weights_make_100(report, totals)) is not None:
        out.append(finding)
    if scored and (finding := _i12_something_left_to_score(totals)) is not None:
        out.append(finding)


def _name_and_mark(
    report: Report, node: Indicator, path: NodePath, totals: Totals, out: list[Finding], names: list[Finding]
) -> str:
    """What every node is asked, leaf or parent: P02 for its name into ``names``, I11 for its
    不适用 mark into ``out``. Returns its label, for the findings that follow."""
    _p02_name_fits_a_cell(node.name, path + ("name",), "指标名称", names)
    name = node.label()
    if not node.applicable and (finding := _i11_left_out_allowed(report, node, path, name, totals)) is not None:
        out.append(finding)
    return name


def _leaf_findings(
    report: Report, node: Indicator, path: NodePath, depth: int, figs: NodeFigures, totals: Totals, leaf_checks: tuple
) -> LeafFindings:
    out: list[Finding] = []
    names: list[Finding] = []
    name = _name_and_mark(report, node, path, totals, out, names)
    # An empty row of the form (core/rules/empty_rows.py) has nothing to ask of it; a leaf left
    # out as 不适用 has no score and no 偏差原因 to ask for.
    if figs.counted and not is_empty_row(node, depth):
        for check in leaf_checks:
            if (finding := check(node, path, name, figs, totals)) is not None:
                out.append(finding)
    return LeafFindings(path, figs, tuple(out), tuple(names))


def _project(report: Report, out: list[Finding]) -> None:
    p = report.project
    for name in REQUIRED_PROJECT:
        value = getattr(p, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = field_meta(type(p), name)["label"]
            out.append(Finding("P01", ("project", name), f"{label}未填写"))
    for name in PRINTED_PROJECT:
        _p02_name_fits_a_cell(getattr(p, name), ("project", name), field_meta(type(p), name)["label"], out)


def _p02_name_fits_a_cell(text: str, path: NodePath, label: str, out: list[Finding]) -> None:
    """A name printed in a narrow table cell of the PDF; longer than PRINTED_NAME_CHARS it would make
    a row taller than a page, so the PDF cuts it (core/export/pdf.py)."""
    if len(text) > PRINTED_NAME_CHARS:
        out.append(
            Finding(
                "P02",
                path,
                f"{label}“{text[:20]}…”有 {len(text):,} 字，PDF 表格中只印出前 {PRINTED_NAME_CHARS} 字，建议缩短",
            )
        )


def _printed_names(rows: list, list_path: NodePath, field: str, out: list[Finding]) -> None:
    for i, row in enumerate(rows):
        _p02_name_fits_a_cell(getattr(row, field), list_path + (i, field), field_meta(type(row), field)["label"], out)


def _narrative(report: Report, totals: Totals, out: list[Finding]) -> None:
    for path, section, _depth in walk_sections(report.narrative):
        text = section.text
        if "{" in text:
            names = unknown_names(text)
            if names:
                shown = "、".join("{" + n + "}" for n in dict.fromkeys(names))
                out.append(
                    Finding("N01", path + ("text",), f"{section.label()}：占位符 {shown} 无法识别，导出时将原样保留")
                )
            names = unfilled_names(text, totals)
            if names:
                shown = "、".join("{" + n + "}" for n in dict.fromkeys(names))
                out.append(
                    Finding(
                        "N01",
                        path + ("text",),
                        f"{section.label()}：占位符 {shown} 所需的金额未填写（不是 0），无法填入，导出时将原样保留",
                    )
                )
        if "%%" in text or "%％" in text or "％％" in text:
            out.append(Finding("N02", path + ("text",), f"{section.label()}：正文中出现“%%”"))
        if "{" in text and filled_length(text, report, totals) > FILLED_CHARS:
            out.append(Finding("N03", path + ("text",), f"{section.label()}：正文{CUT_WARNING}"))


def run_checks(report: Report, totals: Totals, memo: LeafMemo | None = None) -> list[Finding]:
    """Every finding, in the order of the report: project, funds, indicators, narrative, and the
    printed figures of 复核 last. ``memo``: the one ``totals`` were computed with, if any."""
    out: list[Finding] = []
    _project(report, out)
    _funds(report, totals, out)
    _printed_names(report.funds.sources, ("funds", "sources"), "source", out)
    names: list[Finding] = []
    _indicators(report, totals, out, names, memo)
    out += names
    _narrative(report, totals, out)
    out.extend(Finding(code, path, message) for code, path, message in review_findings(report, totals))
    return out
