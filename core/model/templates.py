"""The five starting templates of DOMAIN §1.3 and the default narrative outline of §1.4."""

from __future__ import annotations

from decimal import Decimal

from core.model.model import Indicator, Report, Section, Target


def _n(
    name: str,
    weight: str | None = None,
    children: list | None = None,
    explanation: str = "",
    target: Target | None = None,
    metric: str = "",
) -> Indicator:
    return Indicator(
        name=name,
        weight=Decimal(weight) if weight is not None else None,
        children=children or [],
        explanation=explanation,
        target=target,
        metric=metric,
    )


def _mof_self() -> list[Indicator]:
    """财政部自评表 (财预〔2020〕10号 annex 1): 预算执行率 10 · 产出 50 · 效益 30 · 满意度 10."""
    return [
        _n("预算执行率", "10", explanation="实际支出数 ÷ 全年预算数，得分 = 分值 × 执行率（不超过分值）"),
        _n("产出指标", "50", [_n("数量指标"), _n("质量指标"), _n("时效指标"), _n("成本指标")]),
        _n("效益指标", "30", [_n("经济效益指标"), _n("社会效益指标"), _n("生态效益指标"), _n("可持续影响指标")]),
        _n("满意度指标", "10", [_n("服务对象满意度指标")]),
    ]


def _mof_self_20() -> list[Indicator]:
    """The 20-point 自评表 of 湖北 and some 云南 forms (DOMAIN §6): 预算执行情况 20 · 年度绩效目标 80
    (产出指标 · 效益指标 · 满意度指标). The 预算执行情况 leaf counts 预算执行率 (its 指标内容), so it is
    scored from the funds like the 财政部 table's. The 20 is the ``hubei`` rule set's
    ``execution_weight`` (tests/test_rulesets.py keeps the two equal)."""
    return [
        _n(
            "预算执行情况",
            "20",
            explanation="实际支出数 ÷ 全年预算数，得分 = 分值 × 执行率（不超过分值）",
            metric="预算执行率",
        ),
        _n("年度绩效目标", "80", [_n("产出指标"), _n("效益指标"), _n("满意度指标")]),
    ]


_EXPLAIN = {
    "立项依据充分性": "项目立项是否符合法律法规、相关政策、发展规划以及部门职责，用以反映和考核项目立项依据情况。",
    "立项程序规范性": "项目申请、设立过程是否符合相关要求，用以反映和考核项目立项的规范情况。",
    "绩效目标合理性": "项目所设定的绩效目标是否依据充分，是否符合客观实际，用以反映和考核项目绩效目标与项目实施的相符情况。",
    "绩效指标明确性": "依据绩效目标设定的绩效指标是否清晰、细化、可衡量等，用以反映和考核项目绩效目标的明细化情况。",
    "预算编制科学性": "项目预算编制是否经过科学论证、有明确标准，资金额度与年度目标是否相适应，用以反映和考核项目预算编制的科学性、合理性情况。",
    "资金分配合理性": "项目预算资金分配是否有测算依据，与补助单位或地方实际是否相适应，用以反映和考核项目预算资金分配的科学性、合理性情况。",
    "资金到位率": "实际到位资金与预算资金的比率，用以反映和考核资金落实情况对项目实施的总体保障程度。",
    "预算执行率": "项目预算资金是否按照计划执行，用以反映或考核项目预算执行情况。",
    "资金使用合规性": "项目资金使用是否符合相关的财务管理制度规定，用以反映和考核项目资金的规范运行情况。",
    "管理制度健全性": "项目实施单位的财务和业务管理制度是否健全，用以反映和考核财务和业务管理制度对项目顺利实施的保障情况。",
    "制度执行有效性": "项目实施是否符合相关管理规定，用以反映和考核相关管理制度的有效执行情况。",
    "实际完成率": "项目实施的实际产出数与计划产出数的比率，用以反映和考核项目产出数量目标的实现程度。",
    "质量达标率": "项目完成的质量达标产出数与实际产出数的比率，用以反映和考核项目产出质量目标的实现程度。",
    "完成及时性": "项目实际完成时间与计划完成时间的比较，用以反映和考核项目产出时效目标的实现程度。",
    "成本节约率": "完成项目计划工作目标的实际节约成本与计划成本的比率，用以反映和考核项目的成本节约程度。",
    "实施效益": "项目实施所产生的效益。",
    "满意度": "社会公众或服务对象对项目实施效果的满意程度。",
}


def _leaf(name: str, weight: str) -> Indicator:
    return _n(name, weight, explanation=_EXPLAIN.get(name, ""))


def _framework() -> list[Indicator]:
    """四类指标体系 (评价指标体系框架) with the weights of seed 002: 20/20/30/30."""
    return [
        _n(
            "决策",
            "20",
            [
                _n("项目立项", children=[_leaf("立项依据充分性", "3"), _leaf("立项程序规范性", "2")]),
                _n("绩效目标", children=[_leaf("绩效目标合理性", "5"), _leaf("绩效指标明确性", "5")]),
                _n("资金投入", children=[_leaf("预算编制科学性", "3"), _leaf("资金分配合理性", "2")]),
            ],
        ),
        _n(
            "过程",
            "20",
            [
                _n(
                    "资金管理",
                    children=[_leaf("资金到位率", "3"), _leaf("预算执行率", "4"), _leaf("资金使用合规性", "3")],
                ),
                _n("组织实施", children=[_leaf("管理制度健全性", "5"), _leaf("制度执行有效性", "5")]),
            ],
        ),
        _n(
            "产出",
            "30",
            [
                _n("产出数量", children=[_leaf("实际完成率", "10")]),
                _n("产出质量", children=[_leaf("质量达标率", "10")]),
                _n("产出时效", children=[_leaf("完成及时性", "5")]),
                _n("产出成本", children=[_leaf("成本节约率", "5")]),
            ],
        ),
        _n(
            "效益",
            "30",
            [
                _n("项目效益", children=[_leaf("实施效益", "15"), _leaf("满意度", "15")]),
            ],
        ),
    ]


def _transfer() -> list[Indicator]:
    """转移支付绩效目标自评表: targets, actuals and reasons; no 分值/得分."""
    return [
        _n("产出指标", children=[_n("数量指标"), _n("质量指标"), _n("时效指标"), _n("成本指标")]),
        _n("效益指标", children=[_n("经济效益指标"), _n("社会效益指标"), _n("生态效益指标"), _n("可持续影响指标")]),
        _n("满意度指标", children=[_n("服务对象满意度指标")]),
    ]


#: 10号文 annex 3 outline, as in seed 002.
OUTLINE = [
    ("一、基本情况", ["（一）项目概况", "（二）项目绩效目标"]),
    (
        "二、绩效评价工作开展情况",
        [
            "（一）绩效评价目的、对象和范围",
            "（二）绩效评价原则、评价指标体系、评价方法、评价标准",
            "（三）绩效评价工作过程",
        ],
    ),
    ("三、综合评价情况及评价结论", []),
    ("四、绩效评价指标分析", ["（一）项目决策情况", "（二）项目过程情况", "（三）项目产出情况", "（四）项目效益情况"]),
    ("五、主要经验及做法、存在的问题及原因分析", []),
    ("六、有关建议", []),
    ("七、其他需要说明的问题", []),
]
CONCLUSION_TEXT = (
    "本项目评价指标总分{总分值}分，经评价组考评打分，综合得分为{总得分}分，评价等级为“{评价等级}”。相关评分表附后。"
)


def default_outline() -> list[Section]:
    sections = [Section(title=title, children=[Section(title=c) for c in children]) for title, children in OUTLINE]
    sections[2].text = CONCLUSION_TEXT
    return sections


_BUILDERS = {
    "mof-self": _mof_self,
    "framework": _framework,
    "transfer": _transfer,
    "blank": list,
    "mof-self-20": _mof_self_20,
}
#: The rule set (core/rules/rulesets.py PRESETS) a new report from a template starts with; national
#: when not named. Every preset's default 执行率 base is the model's default (全年预算数), which
#: tests/test_rulesets.py checks, so a new report needs no other setting from its rule set.
TEMPLATE_RULES = {"mof-self-20": "hubei"}
# What the 新建报告 dialog says of each template after its first-level weights.
_NOTES = {
    "mof-self": "（财预〔2020〕10号附件1）",
    "framework": "，含标准三级指标及指标解释",
    "transfer": "只填年度指标值、实际完成值和偏差原因，不打分",
    "blank": "从空白开始，自行搭建指标体系",
    "mof-self-20": "（湖北等地 20 分制，按湖北式评分规则）",
}


def description(template: str) -> str:
    """One line for choosing a template: its first-level indicators with their weights, then a note."""
    weights = " · ".join(f"{n.name} {n.weight}" for n in _BUILDERS[template]() if n.weight is not None)
    return weights + _NOTES[template]


def new_report(template: str, rules: object = None) -> Report:
    """A fresh report from one of the five templates, with the default outline, under ``rules``
    (a preset name or custom rule set; by default the template's own, :data:`TEMPLATE_RULES`)."""
    report = Report(template=template, indicators=_BUILDERS[template](), narrative=default_outline())
    report.rules = rules if rules is not None else TEMPLATE_RULES.get(template, "national")
    base = getattr(report.rules, "execution_base", None)  # a custom RuleSet names its default base
    if base is not None:
        report.funds.execution_base = base
    return report
