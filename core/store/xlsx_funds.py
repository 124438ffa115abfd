"""The money blocks of a filled form: the 项目资金 block of the 自评表 (年度资金总额 and its 其中
rows, columns found by their heads, in 万元 or 元 as the heads or the title say) and the 资金明细
sheet of our own export (实际到位数, 批复金额, 项目支出明细, 结转结余)."""

from __future__ import annotations

import re

from core.model.model import Balance, Expenditure, FundSource, Printed, PrintedFunds, Report
from core.store.xlsx_grid import Grid, norm

FUND_HEADS = {
    "initial": ("年初预算数", "年初预算", "年初预算金额"),
    "adjusted": ("全年预算数", "调整后预算数", "全年预算", "预算数(A)", "全年预算数(A)"),
    "received": ("实际到位数", "到位数", "实际到位资金", "实际到位"),
    "spent": ("全年执行数", "实际支出数", "全年执行数(B)", "执行数", "实际支出", "执行数(B)"),
    "weight": ("分值",),
    "rate": ("执行率", "执行率(B/A)", "预算执行率"),
    "score": ("得分",),
}
TOTAL_ROWS = ("年度资金总额", "合计", "总计", "资金总额", "年度资金总额:")
STOP_FUNDS = ("年度总体目标", "总体目标", "绩效指标", "一级指标", "一级")
UNIT = re.compile(r"(万元|元)")


def _head_key(label: str) -> str | None:
    for key, names in FUND_HEADS.items():
        if any(label == norm(n) or label.startswith(norm(n) + "(") for n in names):
            return key
    return None


def read_funds(g: Grid, report: Report, printed: Printed, problems: list[str]) -> None:
    """The 项目资金 block: its head row (which column holds which figure, and the unit), then one
    row per source and the 年度资金总额 row, down to the next block."""
    heads = g.find(lambda s: _head_key(s) in ("initial", "adjusted"))
    if not heads:
        return
    hr = heads[0][0]
    columns = _fund_columns(g, hr, report)
    first_amount = min(columns.values())
    r = hr + 1
    total_seen = False
    while r <= g.max_row:
        labels = [(c, g.label(r, c)) for c in range(1, first_amount) if g.origin(r, c)[1] == c and g.label(r, c)]
        labels = [(c, s) for c, s in labels if not s.startswith("项目资金")]
        if any(s.startswith(stop) for _c, s in labels for stop in STOP_FUNDS):
            break
        has_figures = any(g.value(r, c) is not None for c in columns.values())
        if not labels and not has_figures:
            if total_seen and not any(g.value(r, c) is not None for c in range(1, g.max_col + 1)):
                break
            r += 1
            continue
        if not labels:
            break
        for c, _s in labels:
            g.take(r, c)
        _read_fund_row(g, r, labels[-1][0], columns, report, printed, problems)
        total_seen = True
        r += 1


def _fund_columns(g: Grid, hr: int, report: Report) -> dict[str, int]:
    """The 项目资金 head row at ``hr``: figure → column; the unit from a head or the block's title."""
    columns: dict[str, int] = {}
    for c in range(1, g.max_col + 1):
        if g.origin(hr, c) != (hr, c) or (hr, c) not in g.values:
            continue
        label = g.label(hr, c)
        key = _head_key(label)
        if key and key not in columns:
            columns[key] = c
            g.take(hr, c)
            if m := UNIT.search(label):
                report.funds.unit = m.group(1)
    for r, c in g.find(lambda s: s in ("资金来源", "资金来源/项目", "项目"), range(hr, hr + 1)):
        g.take(r, c)
    for r, c in g.find(lambda s: s.startswith("项目资金"), range(hr - 1, hr + 1)):
        g.take(r, c)
        if m := UNIT.search(g.text(r, c)):
            report.funds.unit = m.group(1)
    return columns


def _read_fund_row(
    g: Grid, r: int, c0: int, columns: dict[str, int], report: Report, printed: Printed, problems: list[str]
) -> None:
    """One row of the block, named in column ``c0``: the 年度资金总额 row gives the printed totals
    (and the 预算执行率 leaf's 分值/得分); any other row is a source."""
    name = re.sub(r"^其中\s*[:：]?\s*", "", g.text(r, c0).strip())
    unit = report.funds.unit
    figures = {
        k: g.amount(r, c, unit, problems)
        for k, c in columns.items()
        if k in ("initial", "adjusted", "received", "spent")
    }
    if norm(name) in {norm(x) for x in TOTAL_ROWS} or norm(name).startswith("年度资金总额"):
        pf = PrintedFunds(**figures)
        if "rate" in columns:
            pf.execution_rate = g.rate(r, columns["rate"], problems)
        if pf != PrintedFunds():
            printed.funds = pf
        weight = g.amount(r, columns["weight"], "", problems) if "weight" in columns else None
        score = g.amount(r, columns["score"], "", problems) if "score" in columns else None
        if weight is not None or score is not None:
            report.extra["_execution_leaf"] = (weight, score)
    else:
        report.funds.sources.append(FundSource(source=name, **figures))
        for k in ("rate", "weight", "score"):
            if k in columns:
                g.take(r, columns[k])  # derived on a source row (执行率) or blank: the rows decide


def read_fund_details(g: Grid, report: Report, problems: list[str]) -> None:
    """资金明细: 实际到位数 per source, 批复金额, 项目支出明细, 结转结余."""
    for r, c in g.find(lambda s: s.startswith("项目资金明细"), range(1, 3)):
        g.take(r, c)
        if m := UNIT.search(g.text(r, c)):
            report.funds.unit = m.group(1)
    _read_sources_detail(g, report, problems)
    _read_expenditures(g, report, problems)
    _read_balance(g, report, problems)


def _read_sources_detail(g: Grid, report: Report, problems: list[str]) -> None:
    """The 资金来源 table (实际到位数 and what the 自评表 sheet lacked) and 批复金额."""
    head = g.first("资金来源")
    if head is None:
        return
    unit = report.funds.unit
    hr = head[0]
    g.take(*head)
    cols = {}
    for c in range(head[1] + 1, g.max_col + 1):
        key = _head_key(g.label(hr, c))
        if (hr, c) in g.values:
            g.take(hr, c)  # derived columns (到位率, 结余) are read from the rows, not taken
        if key:
            cols[key] = c
    r = hr + 1
    i = 0
    while r <= g.max_row and (name := g.text(r, head[1])):
        if norm(name) in ("合计", "总计"):
            for c in range(head[1], g.max_col + 1):
                g.take(r, c)
            r += 1
            break
        if i < len(report.funds.sources) and report.funds.sources[i].source == name:
            src = report.funds.sources[i]
        else:
            src = FundSource(source=name)
            report.funds.sources.insert(i, src)
        for k in ("initial", "adjusted", "received", "spent"):
            if k in cols:
                value = g.amount(r, cols[k], unit, problems)
                if k == "received" or getattr(src, k) is None:
                    setattr(src, k, value)
        for c in range(head[1], g.max_col + 1):
            g.take(r, c)
        i += 1
        r += 1
    if (hit := g.first("批复金额", "计划安排资金")) is not None:
        g.take(*hit)
        right = g.right_of(*hit)
        if right is not None:
            report.funds.approved_total = g.amount(*right, unit, problems)


def _read_expenditures(g: Grid, report: Report, problems: list[str]) -> None:
    """项目支出明细: 支出内容, 金额, 会计凭证号, 备注, down to 合计."""
    if (hit := g.first("项目支出明细")) is None:
        return
    g.take(*hit)
    hr = hit[0] + 1
    content = g.first("支出内容", rows=range(hr, hr + 1))
    amount = g.first("金额", "实际支出数", rows=range(hr, hr + 1))
    voucher = g.first("会计凭证号", "凭证号", rows=range(hr, hr + 1))
    note = g.first("备注", rows=range(hr, hr + 1))
    for h in (content, amount, voucher, note):
        if h is not None:
            g.take(*h)
    if content is None:
        return
    r = hr + 1
    while r <= g.max_row and (text := g.text(r, content[1])):
        g.take(r, content[1])
        if norm(text) in ("合计", "支出合计"):
            if amount is not None:
                g.take(r, amount[1])
            break
        e = Expenditure(content=text)
        if amount is not None:
            e.amount = g.amount(r, amount[1], report.funds.unit, problems)
        for h, attr in ((voucher, "voucher"), (note, "note")):
            if h is not None and g.value(r, h[1]) is not None:
                g.take(r, h[1])
                setattr(e, attr, g.text(r, h[1]))
        report.funds.expenditures.append(e)
        r += 1


def _read_balance(g: Grid, report: Report, problems: list[str]) -> None:
    """结转结余: 上年结转结余, 本年收入, 本年支出, 年末结转结余 under their heads."""
    if (hit := g.first("结转结余")) is None:
        return
    g.take(*hit)
    hr = hit[0] + 1
    names = {"opening": "上年结转结余", "income": "本年收入", "spent": "本年支出", "closing": "年末结转结余"}
    balance = Balance()
    for attr, label in names.items():
        h = g.first(label, rows=range(hr, hr + 1))
        if h is not None:
            g.take(*h)
            setattr(balance, attr, g.amount(hr + 1, h[1], report.funds.unit, problems))
    if (h := g.first("按公式计算", rows=range(hr, hr + 1))) is not None:
        g.take(*h)
        g.take(hr + 1, h[1])  # derived
    report.funds.balance = balance
