"""The document: named actions, undo/redo, and what listeners are told."""

from decimal import Decimal

import pytest

from core.document import Document, InputError, parse_month
from core.model.model import FundSource, Indicator
from core.model.numbers import fmt2
from core.model.templates import new_report

SPENT = ("funds", "sources", 0, "spent")


def test_edit_undo_redo_with_chinese_descriptions(seed):
    doc = Document(seed("000"))
    doc.report.funds.sources[0].source = "中央财政"
    assert doc.set_text(SPENT, "450")
    assert doc.undo_description() == "修改 中央财政 实际支出数"
    assert fmt2(doc.totals.funds.total.execution_rate) == "75.00"
    assert doc.undo() == "修改 中央财政 实际支出数"
    assert fmt2(doc.totals.funds.total.execution_rate) == "70.62"
    assert doc.redo_description() == "修改 中央财政 实际支出数"
    doc.redo()
    assert fmt2(doc.totals.funds.total.execution_rate) == "75.00"
    assert not doc.can_redo()


def test_same_value_is_not_an_action(seed):
    doc = Document(seed("000"))
    assert not doc.set_text(SPENT, "423.69")
    assert not doc.can_undo()


def test_refused_entry_names_field_and_keeps_value(seed):
    doc = Document(seed("000"))
    with pytest.raises(InputError) as info:
        doc.set_text(SPENT, "四百")
    assert str(info.value) == "区级财政 实际支出数：“四百”不是数字"
    assert doc.report.funds.sources[0].spent == Decimal("423.69")
    assert not doc.can_undo()


def test_listeners_hear_paths(seed):
    doc = Document(seed("000"))
    heard = []
    doc.subscribe(lambda changes, how: heard.append((how, [(c.kind, c.path) for c in changes])))
    doc.set_text(SPENT, "1")
    doc.undo()
    doc.insert(("team",), 0, doc.report.team[0].__class__(name="新成员"), "添加评价人员")
    assert heard == [("do", [("value", SPENT)]), ("undo", [("value", SPENT)]), ("do", [("insert", ("team",))])]


def test_batch_is_one_undo_step(seed):
    doc = Document(seed("002"))
    with doc.batch("粘贴 2 个单元格"):
        doc.set_text(("funds", "sources", 0, "received"), "600")
        doc.set_text(SPENT, "500")
    assert fmt2(doc.totals.funds.total.spent) == "500.00"
    assert doc.undo() == "粘贴 2 个单元格"
    assert fmt2(doc.totals.funds.total.spent) == "668.40"
    assert fmt2(doc.totals.funds.total.received) == "668.40"


def test_tree_moves_and_their_undo(seed):
    doc = Document(seed("002"))
    before = doc.totals.score
    level2 = ("indicators", 0, "children", 1)  # 绩效目标 under 决策
    new = doc.indent(level2)
    assert new == ("indicators", 0, "children", 0, "children", 2)
    assert doc.get(new).name == "绩效目标"
    assert doc.totals.score == before
    back = doc.outdent(new)
    assert back == ("indicators", 0, "children", 1)
    doc.move(("indicators",), 3, 0, "上移 效益")
    assert [x.name for x in doc.totals.level1] == ["效益", "决策", "过程", "产出"]
    doc.undo()
    doc.undo()
    doc.undo()
    assert doc.get(level2).name == "绩效目标" and not doc.can_undo()


def test_remove_and_undo_restores_totals(seed):
    doc = Document(seed("002"))
    doc.remove(("indicators",), 2, "删除 产出")
    assert fmt2(doc.totals.score) == "69.00"
    assert "I03" in [f.code for f in doc.findings]
    doc.undo()
    assert fmt2(doc.totals.score) == "98.74" and doc.findings == []


def test_set_op_converts_figures(seed):
    doc = Document(seed("002"))
    leaf = ("indicators", 2, "children", 0, "children", 0)
    doc.set_op(leaf, "qualitative")
    assert doc.get(leaf).actual == "35353"
    doc.set_op(leaf, ">=")
    assert doc.get(leaf).actual == Decimal("35353")
    assert doc.undo() == "修改 实际完成率 比较方式"


def test_quantitative_actual_is_parsed_with_its_unit(seed):
    doc = Document(seed("002"))
    leaf = ("indicators", 2, "children", 3, "children", 0)
    doc.set_text(leaf + ("actual",), "１８０元/人·年")
    assert doc.get(leaf).actual == Decimal("180")
    # As printed (DOMAIN §5): words are kept as typed and flagged (I08), never refused.
    doc.set_text(leaf + ("actual",), "基本持平")
    assert doc.get(leaf).actual == "基本持平"
    assert any(f.code == "I08" and f.path == leaf + ("actual",) for f in doc.findings)


def test_amounts_in_yuan_table(seed):
    doc = Document(new_report("blank"))
    doc.set_value(("funds", "unit"), "元")
    doc.insert(("funds", "sources"), 0, FundSource("中央财政"), "添加资金来源")
    doc.set_text(("funds", "sources", 0, "initial"), "1.5万元")
    assert doc.report.funds.sources[0].initial == Decimal("15000")


def test_replace_report_is_undoable(seed):
    doc = Document(seed("000"))
    doc.replace_report(seed("002"), "导入 JSON")
    assert fmt2(doc.totals.score) == "98.74"
    doc.undo()
    assert fmt2(doc.totals.score) == "96.00"
    doc.redo()
    assert fmt2(doc.totals.score) == "98.74"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-05", "2024-05"),
        ("2024年5月", "2024-05"),
        ("2024.5", "2024-05"),
        ("２０２４／０５", "2024-05"),
        ("2024-05-20", "2024-05-20"),
        ("2024年5月20日", "2024-05-20"),
        ("", ""),
    ],
)
def test_dates(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["2024-13", "五月", "2024"])
def test_bad_dates(text):
    with pytest.raises(InputError):
        parse_month(text)


def test_templates_start_right():
    mof = Document(new_report("mof-self"))
    assert [x.name for x in mof.totals.level1] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert [mof.report.indicators[i].weight for i in range(4)] == [10, 50, 30, 10]
    framework = Document(new_report("framework"))
    assert framework.totals.weight == Decimal("100.00")
    assert [x.weight for x in framework.totals.level1] == [20, 20, 30, 30]
    transfer = Document(new_report("transfer"))
    assert transfer.totals.score is None and transfer.totals.grade is None
    assert not [f for f in transfer.findings if f.code.startswith("I")]
    blank = new_report("blank")
    assert blank.indicators == [] and [s.title for s in blank.narrative][2] == "三、综合评价情况及评价结论"
    assert isinstance(framework.report.indicators[0].children[0], Indicator)


def test_changing_the_unit_converts_amounts_in_one_step(seed):
    doc = Document(seed("001"))
    doc.set_funds_unit("元", convert=True)
    f = doc.report.funds
    assert f.unit == "元" and f.sources[0].initial == Decimal("5910400") and f.balance.closing == Decimal("2361400")
    assert fmt2(doc.totals.funds.total.remaining) == "2361400.00" and doc.findings == []
    assert doc.undo() == "金额单位改为元（金额已换算）"
    assert f.sources[0].initial == Decimal("591.04") and doc.report.funds.unit == "万元"
    doc.set_funds_unit("元", convert=False)
    assert doc.report.funds.sources[0].initial == Decimal("591.04")
    doc.set_funds_unit("万元", convert=True)
    assert doc.report.funds.sources[0].initial == Decimal("0.059104")


@pytest.mark.parametrize("text, year", [("2023", 2023), ("２０２３年", 2023), (" 2023年度 ", 2023), ("", None)])
def test_year_as_people_write_it(seed, text, year):
    doc = Document(seed("000"))
    doc.set_text(("project", "year"), text)
    assert doc.report.project.year == year


def test_changing_the_unit_converts_the_printed_amounts_of_review_too(seed):
    """A 复核 record of 600 万元 printed is 6,000,000 元 once the table is changed to 元 with
    conversion; the printed 执行率 is a percentage and stays."""
    doc = Document(seed("001"))
    doc.start_review()
    doc.set_printed_text(("printed", "funds", "initial"), "591.04")
    doc.set_printed_text(("printed", "funds", "execution_rate"), "60.05%")
    doc.set_funds_unit("元", convert=True)
    printed = doc.report.printed.funds
    assert printed.initial == Decimal("5910400") and printed.execution_rate == Decimal("60.05")
    assert not [f for f in doc.findings if f.code == "V03" and "initial" in f.path]
    doc.undo()
    assert doc.report.printed.funds.initial == Decimal("591.04")
