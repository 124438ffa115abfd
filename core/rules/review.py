"""复核: the figures a handed-in table prints for its totals, compared with what its rows give
(DOMAIN §5, checks V01–V04; INTERCHANGE ``printed``).

A finance bureau checking a unit's table records what the paper says (``Report.printed``) beside
the rows it entered. :func:`compare` lines every printed figure up with the figure the rows give,
in the order the 复核 tab shows them; a comparison that differs is a finding (:func:`review_findings`,
wired into ``core/rules/checks.py``). Nothing is compared when nothing is printed, and a printed
figure is never used as a total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.model.model import EXECUTION_BASES, FUND_COLUMNS, NodePath, PrintedLevel1, Report
from core.model.numbers import fmt2, fmt_plain, round2
from core.rules.totals import Level1, Totals

#: code → (severity, short Chinese title), merged into ``core.rules.checks.CODES``.
REVIEW_CODES = {
    "V01": ("error", "表上总分（总分值）与指标合计不符"),
    "V02": ("error", "表上一级指标分值或得分与其下指标合计不符"),
    "V03": ("error", "表上资金合计或执行率与资金来源不符"),
    "V04": ("error", "表上评价等级与总分不符"),
}
#: The 合计 amounts a form prints on its 年度资金总额 row, in the order of the columns.
FUND_FIELDS = ("initial", "adjusted", "received", "spent")
#: How forms spell the grades; the first character is the grade (优秀 → 优, 较差 → 差).
_GRADE_WORDS = {"优": "优", "良": "良", "中": "中", "差": "差", "较差": "差", "一般": "中", "合格": "中"}

SCORE, AMOUNT, RATE, GRADE, NAME = "score", "amount", "rate", "grade", "name"


@dataclass(frozen=True)
class Comparison:
    """One printed figure beside what the rows give. ``printed`` and ``derived`` are Decimals (or
    text, for the grade and the 一级 name), None when not recorded / not derivable; ``diff`` is
    printed − derived at the precision compared; ``differs`` only when both are there and differ
    (or a printed 一级 matches none of the report's)."""

    what: str  # 总分, 一级 决策 分值, 年度资金总额 年初预算数…
    code: str
    path: NodePath  # of the printed figure
    kind: str  # SCORE, AMOUNT, RATE, GRADE or NAME
    printed: Decimal | str | None
    derived: Decimal | str | None
    diff: Decimal | None = None
    differs: bool = False
    message: str = ""
    #: A report 一级 the record has no row for yet (added after 复核 began, or left out of a
    #: file): its name, so that typing its printed figure adds the row. ``path`` then points one
    #: past the recorded rows.
    missing_level1: str = ""


def _name_key(name: str) -> str:
    # 一、决策 / （一）决策指标 / 决策 (20分) all name the same 一级.
    text = re.sub(r"\s+", "", name or "")
    text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?", "", text)
    text = re.sub(r"[（(][^）)]*分[）)]$", "", text)
    return text.removesuffix("指标")


def match_level1(printed: list[PrintedLevel1], level1: list[Level1]) -> list[int | None]:
    """For each printed 一级 row, the index of the report's 一级 it stands for: the one of the
    same name first, then the one at the same position; None when neither is left."""
    taken: set[int] = set()
    out: list[int | None] = [None] * len(printed)
    keys = [_name_key(x.name) for x in level1]
    for i, row in enumerate(printed):
        key = _name_key(row.name)
        if not key:
            continue
        j = next((j for j, k in enumerate(keys) if k == key and j not in taken), None)
        if j is not None:
            out[i] = j
            taken.add(j)
    for i, row in enumerate(printed):
        if out[i] is None and i < len(level1) and i not in taken:
            if _name_key(row.name) and _name_key(row.name) in keys:
                continue  # its name belongs to another 一级 (already matched): not this one
            out[i] = i
            taken.add(i)
    return out


def grade_word(text: str) -> str:
    """A printed 评价等级 as one of 优/良/中/差, or the text itself when it is none of them."""
    s = re.sub(r"\s+", "", text or "")
    if s in _GRADE_WORDS:
        return _GRADE_WORDS[s]
    s2 = s.removesuffix("等").removesuffix("级")
    if s2 and s2[0] in "优良中差" and s2[1:] in ("", "秀", "好", "等"):
        return s2[0]
    return _GRADE_WORDS.get(s2, s)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _at(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _figure(what, code, path, kind, printed, derived, message) -> Comparison:
    if printed is None or derived is None:
        return Comparison(what, code, path, kind, printed, derived)
    diff = round2(printed) - round2(derived)
    differs = diff != 0
    return Comparison(what, code, path, kind, printed, derived, diff, differs, message if differs else "")


def _scores(report: Report, totals: Totals) -> list[Comparison]:
    printed = report.printed
    out = [
        _figure(
            "总分值",
            "V01",
            ("printed", "weight"),
            SCORE,
            printed.weight,
            totals.weight,
            f"表上总分值 {fmt2(printed.weight)}，按末级指标分值合计为 {fmt2(totals.weight)}",
        )
    ]
    score = totals.score
    capped = totals.capped_score
    if printed.score is not None and score is not None and capped != score and equal_at(printed.score, capped):
        score = capped  # the table prints the total after the 执行率 cap (DOMAIN §6): not a slip
    out.append(
        _figure(
            "总分",
            "V01",
            ("printed", "score"),
            SCORE,
            printed.score,
            score,
            f"表上总分 {fmt2(printed.score)}，按指标得分{'折算（剔除不适用指标）' if totals.left_out else '合计'}为 "
            f"{fmt2(score)}",
        )
    )
    matches = match_level1(printed.level1, totals.level1)
    for i, (row, j) in enumerate(zip(printed.level1, matches, strict=True)):
        base = ("printed", "level1", i)
        name = row.name or f"第 {i + 1} 个一级指标"
        if j is None:
            if row.name.strip() or row.weight is not None or row.score is not None:
                out.append(
                    Comparison(
                        f"一级 {name}",
                        "V02",
                        base + ("name",),
                        NAME,
                        row.name,
                        None,
                        differs=True,
                        message=f"表上一级指标“{name}”在报告的一级指标中找不到（按名称和位置都对不上）",
                    )
                )
            out.append(Comparison(f"一级 {name} 分值", "V02", base + ("weight",), SCORE, row.weight, None))
            out.append(Comparison(f"一级 {name} 得分", "V02", base + ("score",), SCORE, row.score, None))
            continue
        mine = totals.level1[j]
        out.append(
            _figure(
                f"一级 {name} 分值",
                "V02",
                base + ("weight",),
                SCORE,
                row.weight,
                mine.weight,
                f"{name}：表上分值 {fmt2(row.weight)}，按其下末级指标分值合计为 {fmt2(mine.weight)}",
            )
        )
        out.append(
            _figure(
                f"一级 {name} 得分",
                "V02",
                base + ("score",),
                SCORE,
                row.score,
                mine.score,
                f"{name}：表上得分 {fmt2(row.score)}，按其下末级指标得分合计为 {fmt2(mine.score)}",
            )
        )
    matched = {j for j in matches if j is not None}
    extra = len(printed.level1)
    for mine in totals.level1:
        if mine.index in matched:
            continue
        name = mine.name or f"第 {mine.index + 1} 个一级指标"
        for field, label, derived in (("weight", "分值", mine.weight), ("score", "得分", mine.score)):
            path = ("printed", "level1", extra, field)
            out.append(Comparison(f"一级 {name} {label}", "V02", path, SCORE, None, derived, missing_level1=name))
        extra += 1
    return out


def equal_at(printed: Decimal, derived: Decimal | None) -> bool:
    return derived is not None and round2(printed) == round2(derived)


def _funds(report: Report, totals: Totals) -> list[Comparison]:
    pf = report.printed.funds
    unit = report.funds.unit
    total = totals.funds.total
    out = []
    for name in FUND_FIELDS:
        label = FUND_COLUMNS[name]
        printed = getattr(pf, name) if pf is not None else None
        derived = getattr(total, name, None)
        out.append(
            _figure(
                f"年度资金总额 {label}",
                "V03",
                ("printed", "funds", name),
                AMOUNT,
                printed,
                derived,
                f"表上年度资金总额 {label} {fmt2(printed)} {unit}，按各资金来源合计为 {fmt2(derived)} {unit}",
            )
        )
    out.append(_rate(report, totals))
    return out


def _rate(report: Report, totals: Totals) -> Comparison:
    pf = report.printed.funds
    printed = pf.execution_rate if pf is not None else None
    ratio = totals.funds.execution_ratio
    derived = None if ratio is None else ratio * 100
    what, path = "执行率", ("printed", "funds", "execution_rate")
    if printed is None or derived is None:
        return Comparison(what, "V03", path, RATE, printed, None if derived is None else round2(derived))
    # Compared at the precision printed: 70.6 over 70.62 is the same figure; 75 is not.
    places = _places(printed)
    diff = printed - _at(derived, places)
    base = EXECUTION_BASES[report.funds.execution_base]
    message = (
        f"表上执行率 {fmt_plain(printed)}%，按资金来源计算为 {fmt2(derived)}%（实际支出数 ÷ {base}）" if diff else ""
    )
    return Comparison(what, "V03", path, RATE, printed, round2(derived), diff, diff != 0, message)


def _grade(report: Report, totals: Totals) -> Comparison:
    printed = report.printed.grade.strip()
    derived = totals.grade
    path = ("printed", "grade")
    if not printed or derived is None:
        return Comparison("评价等级", "V04", path, GRADE, printed or None, derived)
    differs = grade_word(printed) != derived
    message = ""
    if differs:
        message = f"表上评价等级“{printed}”，按总分 {fmt2(totals.capped_score)} 应为“{derived}”"
    return Comparison("评价等级", "V04", path, GRADE, printed, derived, None, differs, message)


def compare(report: Report, totals: Totals) -> list[Comparison]:
    """Every printed figure beside what the rows give, in the 复核 tab's order: 总分值, 总分, each
    一级's 分值/得分, the 合计 amounts, 执行率, 评价等级. Empty when nothing is printed; a 转移支付
    report (no scores) compares only the funds."""
    if report.printed is None:
        return []
    out: list[Comparison] = []
    if report.scored:
        out += _scores(report, totals)
    out += _funds(report, totals)
    if report.scored:
        out.append(_grade(report, totals))
    return out


def review_findings(report: Report, totals: Totals) -> list[tuple[str, NodePath, str]]:
    """V01–V04 as (code, path, message): one for each printed figure that differs from the rows."""
    return [(c.code, c.path, c.message) for c in compare(report, totals) if c.differs]
