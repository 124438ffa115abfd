"""One cell as printed (DOMAIN §5, issue 16): 指标值 and 实际完成值 written the way tables print
them, through the parser, the grid, paste, JSON, the document file and the exports."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.model.cells import printed_target, read_actual, read_number, read_target
from core.model.model import Target
from tests.test_window import type_cell

# Every pattern of DOMAIN §5 (and a few more), with the comparison, value and unit it must give.
TARGETS = [
    ("≥90%", ">=", Decimal(90), "%"),
    ("=100%", "=", Decimal(100), "%"),
    ("≤150元/人", "<=", Decimal(150), "元/人"),
    ("100%", ">=", Decimal(100), "%"),  # no sign: ≥ (see core/model/cells.py)
    ("≥120米", ">=", Decimal(120), "米"),
    ("不低于95%", ">=", Decimal(95), "%"),
    ("达到", "qualitative", "达到", ""),
    ("无", "qualitative", "无", ""),
    ("完成", "qualitative", "完成", ""),
    ("/", "qualitative", "/", ""),
    ("≥９５％", ">=", Decimal(95), "%"),  # full-width digits and sign
    ("1,000人", ">=", Decimal(1000), "人"),
    ("显著提升", "qualitative", "显著提升", ""),
]
MORE_TARGETS = [
    ("＞＝５", ">=", Decimal(5), ""),
    ("> 3 个", ">", Decimal(3), "个"),
    ("＜2次", "<", Decimal(2), "次"),
    ("＝0起", "=", Decimal(0), "起"),
    ("0起", "=", Decimal(0), "起"),  # a bare zero: "no accidents" is = 0, not ≥ 0
    ("不少于36,300人", ">=", Decimal(36300), "人"),
    ("不超过5天", "<=", Decimal(5), "天"),
    ("不高于150元/人", "<=", Decimal(150), "元/人"),
    ("至多3次", "<=", Decimal(3), "次"),
    ("高于90%", ">", Decimal(90), "%"),
    ("超过80%", ">", Decimal(80), "%"),
    ("低于5%", "<", Decimal(5), "%"),
    ("等于100%", "=", Decimal(100), "%"),
    ("达到95%", ">=", Decimal(95), "%"),  # 达到 a level: at least
    ("大于等于90%", ">=", Decimal(90), "%"),
    ("小于等于2%", "<=", Decimal(2), "%"),
    ("95%以上", ">=", Decimal(95), "%"),
    ("3天以内", "<=", Decimal(3), "天"),
    ("≥100㎡", ">=", Decimal(100), "㎡"),
    ("≥ 12.5 %", ">=", Decimal("12.5"), "%"),
    ("90%-95%", "qualitative", "90%-95%", ""),  # a range is not one number: kept as typed
    ("95%的群众满意", "qualitative", "95%的群众满意", ""),
    ("较上年有所提高", "qualitative", "较上年有所提高", ""),
]


@pytest.mark.parametrize(("text", "op", "value", "unit"), TARGETS + MORE_TARGETS)
def test_read_target_as_printed(text, op, value, unit):
    target = read_target(text)
    assert (target.op, target.value, target.unit) == (op, value, unit)
    assert type(target.value) is type(value)
    again = read_target(printed_target(target))  # the printed form reads back to the same target
    assert (again.op, again.value, again.unit) == (op, value, unit)


def test_printed_target_forms():
    assert printed_target(read_target("≥９５％")) == "≥95%"
    assert printed_target(read_target("1,000人")) == "≥1000人"
    assert printed_target(read_target("=100%")) == "＝100%"
    assert printed_target(read_target("无")) == "无"
    assert printed_target(Target(op=">=", value=Decimal("12.50"), unit="%")) == "≥12.50%"
    assert printed_target(Target(op=">=", value="约九成", unit="%")) == "约九成"  # I08 text, as typed
    assert printed_target(None) == printed_target(Target()) == ""
    assert read_target("") == read_target("  ") == Target()


ACTUALS = [
    ("≥120米", "≥100米", Decimal(120)),  # repeats the sign and the unit: the number
    ("120米", "≥100米", Decimal(120)),
    ("96%", "≥95%", Decimal(96)),
    ("９６％", "≥95%", Decimal(96)),
    ("≤140元/人", "≤150元/人", Decimal(140)),
    ("1,020人", "1,000人", Decimal(1020)),
    ("100", "=100%", Decimal(100)),
    ("98%", "≥95", Decimal(98)),  # the target has no unit: any unit written is taken
    ("无", "≥95%", "无"),  # no number: kept as typed (check I08)
    ("完成", "≥95%", "完成"),
    ("/", "≥95%", "/"),
    ("120公里", "≥100米", "120公里"),  # another unit: kept, never converted
    ("达成目标", "达到", "达成目标"),  # a 定性 leaf's actual is words
    ("100%", "完成", "100%"),  # ... even when they are figures
    ("", "≥95%", None),
]


@pytest.mark.parametrize(("text", "target", "value"), ACTUALS)
def test_read_actual_as_printed(text, target, value):
    got = read_actual(text, read_target(target))
    assert got == value and type(got) is type(value)


def test_read_number_never_raises():
    for text in ("abc", "1e400", "9" * 80, "≥", "%", "-", "（5）", "≥1,00", "\x00≥5"):
        read_number(text, "%")
        read_target(text)
    assert read_number("≥5", "%") == Decimal(5)


# --- the grid (core/presenters: what the window's 绩效指标 grid does) ---------------------------


def _grid(target: Target | None = None, leaves: int = 1):
    from core.document import Document
    from core.model.model import Indicator, Report
    from core.presenters.tree_tables import IndicatorTable

    report = Report(template="blank")
    children = [Indicator(name=f"指标{i + 1}", weight=Decimal(10), target=target) for i in range(leaves)]
    report.indicators.append(Indicator(name="产出", children=[Indicator(name="数量", children=children)]))
    doc = Document(report)
    table = IndicatorTable(doc)
    paths = [("indicators", 0, "children", 0, "children", i) for i in range(leaves)]
    return doc, table, paths


def _col(table, key: str) -> int:
    return next(i for i, c in enumerate(table.columns) if c.key == key)


def _target(table, path) -> tuple:
    t = table.node(path).target
    return (t.op, t.value, t.unit)


@pytest.mark.parametrize(("text", "op", "value", "unit"), TARGETS)
def test_typed_into_the_grid_in_one_undoable_step(text, op, value, unit):
    doc, table, (path,) = _grid()
    value_col = _col(table, "value")
    assert table.set_text(path, value_col, text)
    assert _target(table, path) == (op, value, unit)
    shown = {k: table.text(path, _col(table, k)) for k in ("op", "value", "unit")}
    assert shown["op"] == ("定性" if op == "qualitative" else {">=": "≥", "=": "＝", "<=": "≤"}[op])
    assert shown["unit"] == unit
    # copied back out, the cell is the target as printed, and pasting the copy reproduces it
    copied = table.copy_text(path, value_col)
    assert read_target(copied) == read_target(text)
    doc.undo()  # one step
    assert table.node(path).target is None
    doc.redo()
    assert _target(table, path) == (op, value, unit)


def test_typed_on_a_leaf_that_has_a_comparison():
    doc, table, (path,) = _grid(Target(op="<=", value=Decimal(150), unit="元/人"))
    value_col = _col(table, "value")
    table.set_text(path, value_col, "140")  # a bare number keeps the comparison and the unit
    assert _target(table, path) == ("<=", Decimal(140), "元/人")
    assert table.copy_text(path, value_col) == "≤140元/人"
    table.set_text(path, value_col, "≥95%")  # a sign and a unit: all three at once
    assert _target(table, path) == (">=", Decimal(95), "%")
    assert doc.undo_description() == "修改 指标1 指标值"
    table.set_text(path, value_col, "≥96")  # no unit written: the leaf's unit stays
    assert _target(table, path) == (">=", Decimal(96), "%")
    table.set_text(path, value_col, "100%")
    assert _target(table, path) == (">=", Decimal(100), "%")
    table.set_text(path, value_col, "无")  # words on a quantitative leaf: kept as typed, I08
    assert _target(table, path) == (">=", "无", "%")
    assert any(f.code == "I08" for f in doc.findings)
    assert table.text(path, _col(table, "suggested")) == ""
    table.set_text(path, value_col, "")
    assert _target(table, path) == (">=", None, "%")


def test_typed_on_a_qualitative_leaf():
    doc, table, (path,) = _grid(Target(op="qualitative", value="有效减轻"))
    value_col = _col(table, "value")
    table.set_text(path, value_col, "显著提升")
    assert _target(table, path) == ("qualitative", "显著提升", "")
    table.set_text(path, value_col, "≥95%")
    assert _target(table, path) == (">=", Decimal(95), "%")


def test_actual_typed_as_printed():
    doc, table, (path,) = _grid(Target(op=">=", value=Decimal(100), unit="米"))
    actual = _col(table, "actual")
    for text, value in (("≥120米", Decimal(120)), ("96", Decimal(96)), ("无", "无"), ("/", "/")):
        table.set_text(path, actual, text)
        assert table.node(path).actual == value
    assert any(f.code == "I08" and f.path == path + ("actual",) for f in doc.findings)
    table.set_text(path, actual, "120米")
    assert table.text(path, _col(table, "suggested")) == "10.00"
    assert not any(f.code == "I08" for f in doc.findings)


def test_an_actual_typed_first_becomes_the_number_when_the_target_is_typed():
    doc, table, (path,) = _grid(Target(op="qualitative", value="完成"))
    table.set_text(path, _col(table, "actual"), "≥120米")
    assert table.node(path).actual == "≥120米"
    table.set_text(path, _col(table, "value"), "≥100米")
    assert table.node(path).actual == Decimal(120)
    doc.undo()
    assert table.node(path).actual == "≥120米" and table.node(path).target.op == "qualitative"


@pytest.mark.parametrize(("text", "op", "value", "unit"), TARGETS)
def test_pasted_into_the_grid(text, op, value, unit):
    from core.presenters.tables import parse_clipboard

    doc, table, paths = _grid(leaves=2)
    value_col = _col(table, "value")
    assert table.paste([paths[0]], value_col, parse_clipboard(f"{text}\t\t96\r\n")) == []
    assert _target(table, paths[0]) == (op, value, unit)
    # a whole row copied and pasted over another gives the same target
    visible = table.visible_columns()
    row = [table.copy_text(paths[0], c) for c in visible]
    assert row[visible.index(value_col)] == printed_target(table.node(paths[0]).target)
    assert table.paste([paths[1]], visible[0], [row]) == []
    assert _target(table, paths[1]) == (op, value, unit)
    assert table.node(paths[1]).actual == table.node(paths[0]).actual


def test_typed_into_the_real_grid_and_copied_back_out(request, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    w = request.getfixturevalue("window")  # tests/conftest.py's: the window on seed 000
    tab = w.indicator_tab
    w.tabs.setCurrentWidget(tab)
    table, view = tab.table, tab.view
    leaf = ("indicators", 2, "children", 0, "children", 1)  # 补助资金上划准确率: = 100 %, actual 100
    value_col = _col(table, "value")
    assert _target(table, leaf) == ("=", Decimal(100), "%")
    tab.select(leaf, value_col)
    type_cell(qtbot, view, view.currentIndex(), "不低于９５％")
    assert _target(table, leaf) == (">=", Decimal(95), "%")
    assert w.undo_action.text() == "撤销 修改 补助资金上划准确率 指标值"
    tab.select(leaf, value_col)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "≥95%\r\n"
    other = ("indicators", 2, "children", 0, "children", 0)
    tab.select(other, value_col)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _target(table, other) == (">=", Decimal(95), "%")
    w.undo_action.trigger()
    w.undo_action.trigger()  # the typed target was one step
    assert _target(table, leaf) == ("=", Decimal(100), "%")


# --- JSON, the document file and the exports ------------------------------------------------

# An actual for each target above, as a table would print it.
ACTUAL_FOR = {
    "≥90%": ("≥92%", Decimal(92)),
    "=100%": ("100%", Decimal(100)),
    "≤150元/人": ("≤140元/人", Decimal(140)),
    "100%": ("１００％", Decimal(100)),
    "≥120米": ("≥120米", Decimal(120)),
    "不低于95%": ("96%", Decimal(96)),
    "达到": ("达到", "达到"),
    "无": ("无", "无"),
    "完成": ("完成", "完成"),
    "/": ("/", "/"),
    "≥９５％": ("无", "无"),  # no number under a quantitative target: text, I08
    "1,000人": ("1,020人", Decimal(1020)),
    "显著提升": ("有所提升", "有所提升"),
}


def _printed_report_data() -> dict:
    leaves = [
        {"name": f"指标{i + 1}", "weight": "5", "target": text, "actual": ACTUAL_FOR[text][0]}
        for i, (text, *_rest) in enumerate(TARGETS)
    ]
    return {
        "format": "jixiao-ziping",
        "version": 1,
        "project": {"name": "照表录入", "year": 2023},
        "indicators": [{"name": "产出", "children": [{"name": "产出数量", "children": leaves}]}],
    }


def _check_printed(report) -> None:
    leaves = report.indicators[0].children[0].children
    assert len(leaves) == len(TARGETS)
    for leaf, (text, op, value, unit) in zip(leaves, TARGETS, strict=True):
        assert (leaf.target.op, leaf.target.value, leaf.target.unit) == (op, value, unit), text
        assert leaf.actual == ACTUAL_FOR[text][1] and type(leaf.actual) is type(ACTUAL_FOR[text][1]), text


def test_json_target_as_printed_is_read_and_written_back_as_the_object():
    from core.rules.checks import run_checks
    from core.rules.totals import compute_totals
    from core.store.jsonio import dumps, loads

    report = loads(json.dumps(_printed_report_data(), ensure_ascii=False))
    _check_printed(report)
    data = json.loads(dumps(report))
    written = data["indicators"][0]["children"][0]["children"]
    assert written[0]["target"] == {"op": ">=", "value": "90", "unit": "%"} and written[0]["actual"] == "92"
    assert written[6]["target"] == {"op": "qualitative", "value": "达到", "unit": ""}
    assert written[10]["actual"] == "无"
    _check_printed(loads(dumps(report)))
    findings = run_checks(report, compute_totals(report))
    i08 = [f.path[-1] for f in findings if f.code == "I08"]
    assert i08 == ["actual"]  # only 无 under ≥95%
    totals = compute_totals(report)
    by_name = {leaf.name: leaf for leaf in report.indicators[0].children[0].children}
    assert totals.nodes[by_name["指标11"].uid].suggested is None  # no number: no suggested score
    assert totals.nodes[by_name["指标1"].uid].suggested == Decimal(5)


def test_json_actual_text_and_object_targets_never_make_a_file_unreadable():
    from core.store.jsonio import loads

    data = _printed_report_data()
    leaves = data["indicators"][0]["children"][0]["children"]
    leaves[0]["target"] = {"op": ">=", "value": "≥90%", "unit": "%"}  # the sign repeated in the object
    leaves[1]["target"] = {"op": ">=", "value": "约九成", "unit": "%"}  # text: kept, I08
    leaves[2]["target"] = ""
    leaves[3]["actual"] = 98
    report = loads(json.dumps(data, ensure_ascii=False))
    got = [leaf.target for leaf in report.indicators[0].children[0].children[:3]]
    assert got[0].value == Decimal(90) and got[1].value == "约九成" and got[2] == Target()
    assert report.indicators[0].children[0].children[3].actual == Decimal(98)


def test_a_report_of_every_pattern_saves_reopens_and_exports(tmp_path):
    from core.export.pdf import export_pdf
    from core.export.xlsx import export_xlsx
    from core.store.jsonio import loads
    from core.store.storage_format import read_document_report, write_new_document

    report = loads(json.dumps(_printed_report_data(), ensure_ascii=False))
    path = tmp_path / "照表录入.jxzp"
    write_new_document(path, report)
    again = read_document_report(path)
    _check_printed(again)
    export_xlsx(again, tmp_path / "照表录入.xlsx")
    export_pdf(again, tmp_path / "照表录入.pdf")
    assert (tmp_path / "照表录入.xlsx").stat().st_size > 0
    assert (tmp_path / "照表录入.pdf").read_bytes().startswith(b"%PDF")
