"""Synthetic but realistic reports of any size, for the benchmark and the tests."""

from __future__ import annotations

import random
from decimal import Decimal

from core.model.model import FundSource, Indicator, Report, Section, Target, TeamMember
from core.model.templates import new_report

SOURCES = ("中央财政", "省级财政", "市级财政", "县（区）级财政", "其他资金", "上年结转资金", "彩票公益金")
LEVEL1 = (("决策", "20"), ("过程", "20"), ("产出", "30"), ("效益", "30"))
PARAGRAPH = (
    "根据区财政年初批复的年度经费预算确认项目具体工作安排，相关科室负责开展项目具体工作，"
    "及时上报工作开展情况。项目完成后，组织评价小组对项目开展评价工作，预算执行率为{执行率}，"
    "实际支出{实际支出数}万元。我局按照相应的规定进行了规范的会计核算，资金支付的审批手续及附件齐全，"
    "项目按照相关的管理制度执行，未发现截留、挤占、挪用等情况。"
)  # about 160 characters


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` split into ``parts`` weights with 2 decimals that add up exactly."""
    base = (total / parts).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    out = [base] * parts
    out[-1] = total - base * (parts - 1)
    return out


def synthetic_report(leaves: int = 500, sources: int = 20, pages: int = 10, seed: int = 1) -> Report:
    """A scored report with ``leaves`` leaves over 4 一级 × ~8 二级, ``sources`` fund rows and
    about ``pages`` A4 pages of narrative (a GB/T 9704 page holds about 600 characters)."""
    rnd = random.Random(seed)
    report = new_report("framework")
    p = report.project
    p.name, p.year = f"合成测试项目（{leaves} 项指标）", 2024
    p.department = p.implementing_unit = "某县医疗保障局"
    p.supervisor = "某县医疗保障局"
    p.evaluation_date = p.report_date = "2025-04"
    report.team = [
        TeamMember(role="组长" if i == 0 else "成员", name=f"评价员{i + 1}", title="科长", unit="某县医疗保障局")
        for i in range(5)
    ]
    for i in range(sources):
        budget = Decimal(rnd.randint(10000, 900000)) / 100
        spent = (budget * Decimal(rnd.randint(70, 100)) / 100).quantize(Decimal("0.01"))
        report.funds.sources.append(
            FundSource(
                source=f"{SOURCES[i % len(SOURCES)]}{i // len(SOURCES) or ''}",
                initial=budget,
                adjusted=budget,
                received=budget,
                spent=spent,
            )
        )
    report.funds.approved_total = sum((s.adjusted for s in report.funds.sources), Decimal(0))
    indicators = []
    per_level1 = _split(Decimal(leaves), 4)  # leaves per 一级 (as whole numbers below)
    counts = [int(x) for x in per_level1]
    counts[-1] = leaves - sum(counts[:-1])
    for (name, weight), count in zip(LEVEL1, counts, strict=True):
        groups = max(1, min(8, count))
        weights = _split(Decimal(weight), max(count, 1))
        children, k = [], 0
        for g in range(groups):
            n = count // groups + (1 if g < count % groups else 0)
            leaves_here = []
            for _ in range(n):
                w = weights[k]
                k += 1
                target = Decimal(rnd.randint(50, 5000))
                actual = target * Decimal(rnd.randint(80, 120)) / 100
                leaf = Indicator(
                    name=f"{name}指标{k}",
                    weight=w,
                    metric=f"{name}完成数量{k}",
                    explanation="用以反映和考核项目实施的实际产出与计划产出的比率。",
                    target=Target(op=">=", value=target, unit="人"),
                    actual=actual.quantize(Decimal("1")),
                )
                leaf.score = w if leaf.actual >= target else (w * leaf.actual / target).quantize(Decimal("0.01"))
                if leaf.actual < target:
                    leaf.deviation = "受外出务工人员增加影响，参保人数较上年略有下降，下一步将加强宣传。"
                leaves_here.append(leaf)
            children.append(Indicator(name=f"{name}二级{g + 1}", children=leaves_here))
        indicators.append(Indicator(name=name, weight=Decimal(weight), children=children))
    report.indicators = indicators
    chars = pages * 600
    paragraphs = max(1, chars // len(PARAGRAPH))
    per_section = max(1, paragraphs // 12)
    sections, made = [], 0
    for top in report.narrative:
        for target in top.children or [top]:
            if made < paragraphs:
                target.text = "\n".join([PARAGRAPH] * min(per_section, paragraphs - made))
                made += per_section
    while made < paragraphs:
        sections.append(
            Section(
                title=f"（{len(sections) + 1}）补充说明",
                text="\n".join([PARAGRAPH] * min(per_section, paragraphs - made)),
            )
        )
        made += per_section
    if sections:
        report.narrative[-1].children.extend(sections)
    return report
