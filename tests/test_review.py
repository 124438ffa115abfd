"""复核 (issue 16): the figures a handed-in table prints, recorded as printed and checked against
its rows (V01–V04, DOMAIN §5), headless, through the command line, a saved document and the real
window; and the header choices (项目类别, 项目属性, 项目类型, 评价类型) printed as boxes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from core.document import Document, InputError
from core.model.choices import boxes_text, header_boxes
from core.model.model import Project
from core.model.places import place_words
from core.presenters.review import AGREES, DIFFERS, NOT_RECORDED, ReviewTable
from core.store.jsonio import loads
from core.store.storage import DocumentFile
from core.store.storage_format import read_document_report, write_new_document


def _leaf(name: str, weight: str, score: str) -> dict:
    return {"name": name, "weight": weight, "score": score}


def table(level1: list[tuple[str, str, str]], sources=(("县级财政", "90", "90", "90", "90"),), printed=None) -> dict:
    """A report as a unit hands it in: each 一级 one leaf (its 分值 and 得分), the source rows, and
    what the paper prints for its totals."""
    data = {
        "format": "jixiao-ziping",
        "version": 1,
        "template": "blank",
        "project": {"name": "2023年农村道路养护", "year": 2023, "department": "某县交通运输局"},
        "funds": {
            "unit": "万元",
            "sources": [
                {"source": s, "initial": i, "adjusted": a, "received": r, "spent": sp} for s, i, a, r, sp in sources
            ],
        },
        "indicators": [{"name": n, "children": [_leaf(f"{n}指标", w, sc)]} for n, w, sc in level1],
    }
    if printed is not None:
        data["printed"] = printed
    return data


FOUR = [("决策", "20", "20"), ("过程", "20", "18"), ("产出", "30", "27"), ("效益", "30", "20")]  # 85 of 100

#: The real slips of DOMAIN §5, each a table as printed.
SLIPS = {
    # 一级 weights adding to 110 under a printed 总分 100
    "V01-weights": table(
        [("决策", "20", "20"), ("过程", "20", "20"), ("产出", "40", "30"), ("效益", "30", "30")],
        printed={"weight": "100", "score": "100"},
    ),
    # 120 points of scores under 总分 100
    "V01-scores": table(
        [("决策", "30", "40"), ("产出", "30", "40"), ("效益", "40", "40")],
        printed={"weight": "100", "score": "100"},
    ),
    # a 年度资金总额 row of 0/0/0 above a source row of 90
    "V03": table(FOUR, printed={"funds": {"initial": "0", "adjusted": "0", "spent": "0", "execution_rate": "100"}}),
    # grade 优 printed over a total of 85
    "V04": table(FOUR, printed={"score": "85", "grade": "优"}),
}


def doc_of(data: dict) -> Document:
    return Document(loads(json.dumps(data, ensure_ascii=False)))


def v_findings(doc: Document) -> list[tuple[str, str, str]]:
    return [(f.code, f.path_text, f.message) for f in doc.findings if f.code.startswith("V")]


# --- the checks, headless --------------------------------------------------------------------


def test_v01_weights_adding_to_110_under_a_printed_100():
    doc = doc_of(SLIPS["V01-weights"])
    assert v_findings(doc) == [("V01", "printed.weight", "表上总分值 100.00，按末级指标分值合计为 110.00")]
    assert doc.findings[-1].severity == "error"


def test_v01_scores_adding_to_120_under_a_printed_100():
    doc = doc_of(SLIPS["V01-scores"])
    assert v_findings(doc) == [("V01", "printed.score", "表上总分 100.00，按指标得分合计为 120.00")]


def test_v03_a_zero_total_row_above_a_source_of_90():
    doc = doc_of(SLIPS["V03"])
    found = v_findings(doc)
    assert [p for _c, p, _m in found] == ["printed.funds.initial", "printed.funds.adjusted", "printed.funds.spent"]
    assert found[0][2] == "表上年度资金总额 年初预算数 0.00 万元，按各资金来源合计为 90.00 万元"
    assert place_words(doc.findings[-1].path, doc.report) == "复核 › 表上资金合计 › 表上实际支出数"


def test_v04_grade_excellent_printed_over_85():
    doc = doc_of(SLIPS["V04"])
    assert v_findings(doc) == [("V04", "printed.grade", "表上评价等级“优”，按总分 85.00 应为“良”")]
    doc.set_printed_text(("printed", "grade"), "良好")  # how forms spell it
    assert v_findings(doc) == []


@pytest.mark.parametrize(
    ("printed", "slip"),
    [("70.6", False), ("70.62%", False), ("７０．６２％", False), ("71", False), ("75", True), ("70.60", True)],
)
def test_v03_execution_rate_is_compared_at_the_precision_printed(printed, slip):
    doc = doc_of(table(FOUR, sources=(("县级财政", "100", "100", "100", "70.62"),), printed={}))
    doc.set_printed_text(("printed", "funds", "execution_rate"), printed)
    found = [m for c, _p, m in v_findings(doc) if c == "V03"]
    assert bool(found) == slip
    if slip:
        assert "按资金来源计算为 70.62%（实际支出数 ÷ 全年预算数）" in found[0]


def test_v02_level1_rows_match_by_name_then_position_and_unmatched_is_flagged():
    printed = {
        "level1": [
            {"name": "效益", "weight": "30", "score": "20"},  # by name, though printed first
            {"name": "（二）过程指标", "weight": "20", "score": "20"},  # 过程 scores 18
            {"name": "项目产出", "weight": "30", "score": "27"},  # no such name: the 3rd 一级 by position
            {"name": "其他", "weight": "10", "score": "10"},  # nothing left to match
        ]
    }
    doc = doc_of(table(FOUR, printed=printed))
    assert v_findings(doc) == [
        ("V02", "printed.level1[1].score", "（二）过程指标：表上得分 20.00，按其下末级指标得分合计为 18.00"),
        ("V02", "printed.level1[3].name", "表上一级指标“其他”在报告的一级指标中找不到（按名称和位置都对不上）"),
    ]
    doc.set_printed_text(("printed", "level1", 0, "weight"), "35")
    assert ("V02", "printed.level1[0].weight") in [(c, p) for c, p, _m in v_findings(doc)]


def test_nothing_fires_when_nothing_is_printed_or_only_names_are_recorded():
    doc = doc_of(table(FOUR))
    assert doc.report.printed is None and v_findings(doc) == []
    assert doc.start_review()
    assert [row.name for row in doc.report.printed.level1] == ["决策", "过程", "产出", "效益"]
    assert v_findings(doc) == [] and doc.findings == Document(doc.report).findings
    table_ = ReviewTable(doc)
    assert {table_.status(r) for r in range(table_.row_count())} == {NOT_RECORDED}


# --- the document and the presenter ---------------------------------------------------------


def test_start_and_stop_review_are_one_undo_step_each():
    doc = doc_of(table(FOUR))
    doc.start_review()
    assert doc.undo_description() == "开始复核（记录表上数字）" and not doc.start_review()
    doc.set_printed_text(("printed", "score"), "90")
    doc.stop_review()
    assert doc.report.printed is None and doc.undo_description() == "停止复核（删除表上数字）"
    doc.undo()
    assert doc.report.printed.score == Decimal("90")
    doc.undo()
    doc.undo()
    assert doc.report.printed is None
    assert not doc.stop_review()
    with pytest.raises(InputError, match="尚未开始复核"):
        doc.set_printed_text(("printed", "score"), "90")


def test_review_rows_side_by_side_typed_as_printed():
    doc = doc_of(table(FOUR, printed={"level1": [{"name": "决策"}]}))  # a file's printed, no funds block
    t = ReviewTable(doc)
    rows = {t.text(r, 0): r for r in range(t.row_count())}
    assert list(rows)[:4] == ["总分值", "总分", "一级 决策 分值", "一级 决策 得分"]
    assert list(rows)[-6:] == [
        "年度资金总额 年初预算数",
        "年度资金总额 全年预算数",
        "年度资金总额 实际到位数",
        "年度资金总额 实际支出数",
        "执行率",
        "评价等级",
    ]
    assert t.set_text(rows["总分"], 1, "１,００0")  # full-width digits and a thousands separator
    r = rows["总分"]
    assert [t.text(r, c) for c in range(5)] == ["总分", "1000.00", "85.00", "+915.00", DIFFERS]
    assert t.emphasis(r, 1) == "bold" and [f.code for f in t.findings(r, 1)] == ["V01"]
    assert t.row_for(("printed", "score")) == r
    assert doc.undo_description() == "修改 表上总分"
    # the 合计 amounts: the block is made when first typed, in the same undo step
    spent = rows["年度资金总额 实际支出数"]
    assert t.set_text(spent, 1, "900000元")  # converted to the table's 万元
    assert [t.text(spent, c) for c in range(5)] == ["年度资金总额 实际支出数", "90.00", "90.00", "0.00", AGREES]
    doc.undo()
    assert doc.report.printed.funds is None
    with pytest.raises(InputError, match="不是数字"):
        t.set_text(rows["总分值"], 1, "一百")
    assert t.set_text(rows["执行率"], 1, "100%") and t.text(rows["执行率"], 1) == "100%"
    assert t.set_text(rows["总分"], 1, "") and t.status(rows["总分"]) == NOT_RECORDED  # blank = not recorded
    assert t.edit_text(rows["执行率"], 1) == "100" and not t.editable(rows["执行率"], 2)
    assert t.paste(rows["评价等级"], 1, [["优"]]) == [] and t.status(rows["评价等级"]) == DIFFERS


def test_a_level1_without_a_recorded_row_gets_one_when_its_figure_is_typed():
    doc = doc_of(table(FOUR, printed={"level1": [{"name": "决策", "weight": "20"}]}))  # a file's record
    t = ReviewTable(doc)
    rows = {t.text(r, 0): r for r in range(t.row_count())}
    r = rows["一级 效益 分值"]
    assert [t.text(r, c) for c in range(5)] == ["一级 效益 分值", "", "30.00", "", NOT_RECORDED]
    assert t.set_text(r, 1, "40")
    assert [(x.name, x.weight) for x in doc.report.printed.level1] == [("决策", Decimal("20")), ("效益", Decimal("40"))]
    assert [c for c, _p, _m in v_findings(doc)] == ["V02"] and doc.undo_description() == "修改 表上一级效益分值"
    rows = {t.text(r, 0): r for r in range(t.row_count())}
    assert t.status(rows["一级 效益 分值"]) == DIFFERS and t.row_for(("printed", "level1", 1, "weight")) is not None
    assert not t.set_text(rows["一级 过程 得分"], 1, "")  # blank: nothing added
    with pytest.raises(InputError, match="不是数字"):
        t.set_text(rows["一级 过程 得分"], 1, "很多")
    assert len(doc.report.printed.level1) == 2
    doc.undo()
    assert len(doc.report.printed.level1) == 1 and v_findings(doc) == []


# --- through the command line and a saved document -----------------------------------------


def test_check_json_gives_the_v_codes_and_exit_1(cli, tmp_path):
    for name, data in SLIPS.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        r = cli("check", str(path), "--json")
        assert r.returncode == 1, (name, r.stderr)
        issues = [i for i in json.loads(r.stdout)["issues"] if i["code"].startswith("V")]
        assert {i["code"] for i in issues} == {name[:3]}
        assert all(i["severity"] == "error" and i["path"].startswith("printed") for i in issues)


def test_printed_figures_in_a_saved_document_are_checked(cli, tmp_path):
    path = tmp_path / "复核.jxzp"
    write_new_document(path, loads(json.dumps(table(FOUR), ensure_ascii=False)))
    f = DocumentFile.open(path)
    f.document.start_review()
    f.document.set_printed_text(("printed", "grade"), "优")
    f.close()
    assert read_document_report(path).printed.grade == "优"
    r = cli("check", str(path), "--json")
    assert r.returncode == 1
    assert [(i["code"], i["path"]) for i in json.loads(r.stdout)["issues"] if i["code"][0] == "V"] == [
        ("V04", "printed.grade")
    ]
    text = cli("check", str(path))
    assert "[错误] V04 printed.grade：表上评价等级“优”，按总分 85.00 应为“良”" in text.stdout


# --- the real window ---------------------------------------------------------------------------


def test_review_tab_in_the_window_type_see_finding_jump_undo(window, qtbot, qtmodeltester):
    w = window
    tab_index = w.tabs.indexOf(w.review_tab)
    assert not w.tabs.isTabVisible(tab_index)  # a report the user writes: totals stay derived
    w.findChild(QAction, "review_start").trigger()
    assert w.tabs.isTabVisible(tab_index) and w.tabs.currentWidget() is w.review_tab
    assert not w.review_start_action.isEnabled() and w.review_stop_action.isEnabled()
    model = w.review_tab.model
    qtmodeltester.check(model)
    table_ = w.review_tab.table
    row = table_.row_for(("printed", "score"))
    assert model.data(model.index(row, 2)) == "96.00"  # seed 000's total
    assert model.setData(model.index(row, 1), "１００", Qt.ItemDataRole.EditRole)
    # the finding is in the dock, and the row is highlighted in colour and marked in words
    codes = [w.dock.list.topLevelItem(i).text(1) for i in range(w.dock.list.topLevelItemCount())]
    assert "V01" in codes
    assert model.data(model.index(row, 4)) == DIFFERS
    assert model.data(model.index(row, 1), Qt.ItemDataRole.BackgroundRole) is not None
    tip = model.data(model.index(row, 1), Qt.ItemDataRole.ToolTipRole)
    assert "V01：表上总分 100.00，按指标得分合计为 96.00" in tip
    # a double-click on the finding jumps to the row
    w.tabs.setCurrentWidget(w.project_tab)
    item = next(
        w.dock.list.topLevelItem(i)
        for i in range(w.dock.list.topLevelItemCount())
        if w.dock.list.topLevelItem(i).text(1) == "V01"
    )
    assert "复核 › 表上总分" in item.toolTip(2)
    w.dock.list.itemDoubleClicked.emit(item, 0)
    assert w.tabs.currentWidget() is w.review_tab
    assert w.review_tab.view.currentIndex().row() == row
    # undo: the figure goes, and with it the finding and the mark
    assert w.undo_action.text() == "撤销 修改 表上总分"
    w.undo_action.trigger()
    assert model.data(model.index(row, 4)) == NOT_RECORDED
    assert not [f for f in w.doc.findings if f.code == "V01"]
    w.undo_action.trigger()  # 开始复核 undone: the tab goes
    assert w.doc.report.printed is None and not w.tabs.isTabVisible(tab_index)
    assert w.review_start_action.isEnabled() and not w.review_stop_action.isEnabled()
    w.findChild(QAction, "review_start").trigger()
    w.review_tab.stop_button.click()
    assert w.doc.report.printed is None and not w.tabs.isTabVisible(tab_index)


# --- header choices ---------------------------------------------------------------------------


def test_header_boxes_one_list_for_every_exporter():
    p = Project(category="专项", attribute="新增性项目", project_type="continuing", evaluation_type="process")
    assert header_boxes(p) == [
        ("项目类别", [("部门预算项目", False), ("专项资金", True), ("转移支付", False)]),
        ("项目属性", [("持续性项目", False), ("新增性项目", True)]),
        ("项目类型", [("经常性项目", False), ("延续性项目", True), ("一次性项目", False)]),
        ("评价类型", [("项目实施过程评价", True), ("项目完成结果评价", False)]),
    ]
    other = Project(category="政府性基金项目")  # another province's box: kept, printed ticked
    assert boxes_text(header_boxes(other)[0][1]) == "□部门预算项目 □专项资金 □转移支付 ☑政府性基金项目"
    assert boxes_text(header_boxes(Project())[1][1]) == "□持续性项目 □新增性项目"


def test_header_choices_picked_in_the_window_are_saved_and_exported(window, cli, tmp_path):
    w = window
    path = w.session.file.path
    w.tabs.setCurrentWidget(w.project_tab)
    form = w.project_tab.form
    form.widget_for(("project", "category")).menu.actions()[1].trigger()  # 专项资金 from the list
    attribute = form.widget_for(("project", "attribute"))
    attribute.setText("新增性")  # typed, short
    attribute.editingFinished.emit()
    kind = form.widget_for(("project", "project_type"))
    kind.setCurrentIndex(kind.findData("continuing"))
    kind.activated.emit(kind.currentIndex())
    evaluation = form.widget_for(("project", "evaluation_type"))
    evaluation.setCurrentIndex(evaluation.findData("process"))
    evaluation.activated.emit(evaluation.currentIndex())
    phone = form.widget_for(("project", "leader_phone"))
    phone.setText("13800000000")
    phone.editingFinished.emit()
    p = w.doc.report.project
    assert (p.category, p.attribute, p.project_type, p.evaluation_type, p.leader_phone) == (
        "专项资金",
        "新增性",
        "continuing",
        "process",
        "13800000000",
    )
    assert [t for t, b in header_boxes(p)[1][1] if b] == ["新增性项目"]
    w.close()
    again = read_document_report(path).project
    assert (again.category, again.attribute, again.leader_phone) == ("专项资金", "新增性", "13800000000")
    out = tmp_path / "out.json"
    r = cli("export", str(path), "--json", str(out))
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))["project"]
    assert (data["category"], data["attribute"], data["project_type"], data["evaluation_type"]) == (
        "专项资金",
        "新增性",
        "continuing",
        "process",
    )
    assert data["leader_phone"] == "13800000000"
