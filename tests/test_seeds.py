"""The three published reports, rebuilt as fixtures: their printed figures must come out."""

from decimal import Decimal

from core.document import Document
from core.model.model import walk_indicators
from core.model.numbers import fmt2, fmt_rate
from core.rules.checks import ERROR
from core.rules.placeholders import fill
from core.rules.scoring import completion_rate


def _doc(seed, name):
    return Document(seed(name))


def test_seed_000_long_term_care(seed):
    doc = _doc(seed, "000")
    t = doc.totals
    assert fmt_rate(t.funds.total.execution_rate) == "70.62%"
    assert fmt2(t.funds.total.adjusted) == "600.00"
    assert fmt2(t.funds.total.spent) == "423.69"
    assert fmt2(t.score) == "96.00" and t.grade == "优"
    assert [(x.name, fmt2(x.weight), fmt2(x.score)) for x in t.level1] == [
        ("项目决策", "20.00", "20.00"),
        ("项目管理", "20.00", "19.50"),
        ("项目绩效", "60.00", "56.50"),
    ]
    assert not [f for f in doc.findings if f.severity == ERROR]
    # The seed printed “70.62%%” because someone typed it: the placeholder cannot.
    text = fill(doc.report.narrative[0].children[2].text, doc.report, t)
    assert "预算执行率70.62%，" in text and "%%" not in text


def test_seed_001_multi_year_balance(seed):
    doc = _doc(seed, "001")
    t = doc.totals
    assert fmt2(t.funds.balance_closing) == "236.14"
    assert fmt2(t.funds.total.remaining) == "236.14"
    assert fmt2(t.score) == "99.00" and t.grade == "优"
    assert [(x.name, fmt2(x.score)) for x in t.level1] == [
        ("项目决策", "20.00"),
        ("项目管理", "19.00"),
        ("项目绩效", "60.00"),
    ]
    second = {
        n.name: (fmt2(t.nodes[n.uid].weight), fmt2(t.nodes[n.uid].score))
        for _, n, depth in walk_indicators(doc.report.indicators)
        if depth == 2
    }
    assert second["项目立项"] == ("8.00", "8.00") and second["项目目标"] == ("12.00", "12.00")
    assert second["投入管理"] == ("4.00", "3.00") and second["财务管理"] == ("6.00", "6.00")
    assert second["项目实施"] == ("10.00", "10.00")
    assert second["项目产出"] == ("30.00", "30.00") and second["项目效益"] == ("30.00", "30.00")
    assert not doc.findings


def test_seed_002_county_medical_insurance(seed):
    doc = _doc(seed, "002")
    t = doc.totals
    assert fmt2(t.funds.total.initial) == "660.00"
    assert fmt2(t.funds.total.adjusted) == "668.40"
    assert fmt_rate(t.funds.total.execution_rate) == "100.00%"
    leaf = doc.report.indicators[2].children[0].children[0]
    assert leaf.name == "实际完成率"
    assert fmt_rate(completion_rate(leaf)) == "97.39%"
    assert fmt2(t.nodes[leaf.uid].suggested) == "9.74"
    assert fmt2(t.score) == "98.74" and t.grade == "优"
    assert [(x.name, fmt2(x.score)) for x in t.level1] == [
        ("决策", "19.00"),
        ("过程", "20.00"),
        ("产出", "29.74"),
        ("效益", "30.00"),
    ]
    assert not doc.findings
    timely = doc.report.indicators[2].children[2].children[0]
    assert completion_rate(timely) == Decimal("111.11")
