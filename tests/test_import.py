"""Importing a filled 自评表 workbook (issue 16): our own export read back exactly, the official
layouts as people fill them by hand, and a corpus of workbooks that must be refused cleanly."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core.export.xlsx import export_xlsx
from core.model.model import Indicator
from core.model.templates import new_report
from core.store.storage_format import LoadError
from core.store.xlsx_import import import_workbook
from tests.conftest import SEEDS, load_seed


def _values(path: Path) -> dict:
    wb = load_workbook(path)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _variants():
    """Every fixture, and the shapes they do not cover: 转移支付 (no 分值/得分), each template as
    new, a 四级 indicator and amounts in 元, a rule set other than the national one."""
    out = [(f"seed {name}", load_seed(name)) for name in SEEDS]
    transfer = load_seed("000")
    transfer.template = "transfer"
    out.append(("transfer", transfer))
    out += [(f"new {t}", new_report(t)) for t in ("mof-self", "framework", "blank", "mof-self-20")]
    deep = load_seed("002")
    deep.funds.unit = "元"
    deep.indicators[0].children[0].children[0].children = [
        Indicator(name="四级甲", weight=D(1)),
        Indicator(name="四级乙", weight=D(2)),
    ]
    out.append(("四级, 元", deep))
    hubei = load_seed("001")
    hubei.rules = "hubei"
    out.append(("湖北 rules", hubei))
    return out


@pytest.mark.parametrize("name,report", _variants(), ids=[n for n, _ in _variants()])
def test_our_own_export_reads_back_to_the_same_workbook(name, report, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_xlsx(report, first)
    imported = import_workbook(first)
    assert imported.unplaced == []
    export_xlsx(imported.report, second)
    assert _values(second) == _values(first)


def test_own_export_keeps_what_only_the_other_sheets_print(tmp_path):
    report = load_seed("001")
    path = tmp_path / "a.xlsx"
    export_xlsx(report, path)
    got = import_workbook(path).report
    assert [s.received for s in got.funds.sources] == [s.received for s in report.funds.sources]
    assert got.funds.balance == report.funds.balance
    assert [e.amount for e in got.funds.expenditures] == [e.amount for e in report.funds.expenditures]
    assert got.project.name == report.project.name and got.project.year == report.project.year
    assert got.form == report.form  # our own workbook does not say which form: left as it was


# --- hand-made workbooks in the official layouts ---------------------------------------------------


def _put(ws, cells: dict, merges=()):
    for address, value in cells.items():
        ws[address] = value
    for rng in merges:
        ws.merge_cells(rng)


def _mof_workbook(path: Path, *, yuan: bool = False) -> Path:
    """The 财政部 项目支出绩效自评表 (10号文 annex 1) as a unit fills it in Excel by hand."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    k = 10000 if yuan else 1
    _put(
        ws,
        {
            "A1": "项目支出绩效自评表",
            "A2": "（2023年度）",
            "H2": "单位：元" if yuan else "单位：万元",
            "A3": "项目 名称：",
            "C3": "乡村道路养护",
            "A4": "主管部门",
            "C4": "县交通运输局",
            "F4": "实施\n单位",
            "G4": "县公路管理段",
            "A5": "项目资金" if yuan else "项目资金\n（万元）",
            "D5": "年初预算数",
            "E5": "全年预算数",
            "F5": "全年执行数",
            "G5": "分值",
            "H5": "执行率",
            "I5": "得分",
            "B6": "年度资金总额",
            "D6": f"{100 * k:,.2f}",  # amounts as text, as pasted from a budget system
            "E6": f"{100 * k:,.2f}",
            "F6": f"{90 * k:,.2f}",
            "G6": 10,
            "H6": "90%",
            "I6": 9,
            "B7": "其中：当年财政拨款",
            "D7": 80 * k,
            "E7": 80 * k,
            "F7": 72 * k,
            "B8": "上年结转资金",
            "D8": "20" if not yuan else "200000",
            "E8": 20 * k,
            "F8": 18 * k,
            "B9": "其他资金",
            "A10": "年度总体目标",
            "B10": "预期目标",
            "F10": "实际完成情况",
            "B11": "完成全县农村公路日常养护120公里。",
            "F11": "完成日常养护118公里。",
            "A12": "绩效指标",
            "B12": "一级指标",
            "C12": "二级指标",
            "D12": "三级指标",
            "E12": "年度\n指标值",
            "F12": "实际完成值",
            "G12": "分值",
            "H12": "得分",
            "I12": "偏差原因分析及改进措施",
            "B13": "产出指标",
            "C13": "数量指标",
            "D13": "养护里程",
            "E13": "≥120公里",
            "F13": "118公里",
            "G13": "20",
            "H13": "19.67",
            "I13": "两段道路改建，暂停养护",
            "D14": "养护路段数",
            "E14": "≥12个",
            "F14": 12,
            "G14": 10,
            "H14": 10,
            # row 15 left blank, as people leave rows
            "C16": "质量指标",
            "D16": "路况合格率",
            "E16": "≥95%",
            "F16": "96%",
            "G16": 20,
            "H16": 20,
            "B17": "效益指标",
            "C17": "经济效益指标",
            "D17": "……",
            "C18": "社会效益指标",
            "D18": "群众出行条件",
            "E18": "有效改善",
            "F18": "有效改善",
            "G18": 30,
            "H18": 28,
            "B19": "满意度指标",
            "C19": "服务对象满意度指标",
            "D19": "群众满意度",
            "E19": "≥90%",
            "F19": "≥92%",
            "G19": 10,
            "H19": 10,
            "A20": "总分",
            "G20": 100,
            "H20": 100,  # printed over rows that give 9 + 19.67 + 10 + 20 + 28 + 10 = 96.67
            "A22": "注：本表请于次年3月底前报县财政局。",
        },
        [
            "A1:I1",
            "A2:G2",
            "A3:B3",
            "C3:I3",
            "A4:B4",
            "C4:E4",
            "G4:I4",
            "A5:A9",
            "B5:C5",
            "B6:C6",
            "B7:C7",
            "B8:C8",
            "B9:C9",
            "A10:A11",
            "B10:E10",
            "F10:I10",
            "B11:E11",
            "F11:I11",
            "A12:A19",
            "B13:B16",
            "C13:C15",
            "B17:B18",
            "A20:F20",
        ],
    )
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "金额保留两位小数"
    wb.save(path)
    return path


def _leaves(nodes):
    for n in nodes:
        if n.children:
            yield from _leaves(n.children)
        else:
            yield n


def test_official_mof_table_filled_by_hand(tmp_path):
    got = import_workbook(_mof_workbook(tmp_path / "自评表.xlsx"))
    r = got.report
    assert r.project.name == "乡村道路养护" and r.project.year == 2023
    assert r.project.supervisor == "县交通运输局" and r.project.implementing_unit == "县公路管理段"
    assert r.project.goal_expected.startswith("完成全县") and r.project.goal_actual == "完成日常养护118公里。"
    assert r.funds.unit == "万元"
    assert [(s.source, s.initial, s.adjusted, s.received, s.spent) for s in r.funds.sources] == [
        ("当年财政拨款", D(80), D(80), None, D(72)),  # no 实际到位数 column: not given, never 0
        ("上年结转资金", D(20), D(20), None, D(18)),
        ("其他资金", None, None, None, None),
    ]
    assert (r.template, r.form) == ("mof-self", "mof-self")  # printed again as the form it came on
    # the tree: 预算执行率 from the fund block, then the indicator block with its merged cells
    assert [n.name for n in r.indicators] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert (r.indicators[0].weight, r.indicators[0].score) == (D(10), D(9))
    output = r.indicators[1]
    assert [c.name for c in output.children] == ["数量指标", "质量指标"]
    assert [leaf.name for leaf in output.children[0].children] == ["养护里程", "养护路段数"]
    mileage = output.children[0].children[0]
    assert (mileage.target.op, mileage.target.value, mileage.target.unit) == (">=", D(120), "公里")
    assert mileage.actual == D(118) and mileage.score == D("19.67") and mileage.deviation.startswith("两段")
    rate = output.children[1].children[0]
    assert (rate.target.op, rate.target.value, rate.target.unit, rate.actual) == (">=", D(95), "%", D(96))
    benefit = r.indicators[2]
    assert benefit.children[0].name == "经济效益指标" and benefit.children[0].children == []  # an empty row
    assert benefit.children[1].children[0].target.op == "qualitative"
    assert r.indicators[3].children[0].children[0].actual == D(92)  # ≥92% against ≥90%: the number
    # what the paper prints for its totals: recorded, not taken as the truth
    assert r.printed.score == D(100) and r.printed.weight == D(100)
    assert r.printed.funds.initial == D(100) and r.printed.funds.spent == D(90)
    assert r.printed.funds.execution_rate == D(90) and r.printed.funds.received is None
    assert sum(leaf.score for leaf in _leaves(r.indicators) if leaf.score is not None) == D("96.67")
    # what could not be placed is listed with its sheet, address and text
    assert got.unplaced == ["Sheet1!A22“注：本表请于次年3月底前报县财政局。”", "填表说明!A1“金额保留两位小数”"]


def test_official_mof_table_in_yuan_reads_in_yuan(tmp_path):
    r = import_workbook(_mof_workbook(tmp_path / "元.xlsx", yuan=True)).report
    assert r.funds.unit == "元"
    assert [s.initial for s in r.funds.sources] == [D(800000), D(200000), None]
    assert r.printed.funds.initial == D(1000000)  # "1,000,000.00" as text


def _framework_workbook(path: Path) -> Path:
    """The 四类 评价表 (Yunnan style): 一级 | 分值 | 二级 | 分值 | 三级 | 分值 | 得分, 评价等次 boxes,
    names typed on every row instead of merged, a blank column before the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "评价表"
    rows = [
        ["", "项目支出绩效评价表"],
        [],
        ["", "项目名称", "学生营养改善计划", "", "主管部门", "县教育体育局"],
        ["", "项目实施单位", "县第一中学", "", "项目负责人", "王小红"],
        ["", "联系电话", "0871-1234567", "", "项目类型", "☑经常性项目 □一次性项目"],
        ["", "资金来源", "年初预算数（元）", "全年预算数（元）", "实际到位数（元）", "实际支出数（元）", "执行率"],
        ["", "合计", 500000, 500000, 480000, 450000, "90.00%"],
        ["", "中央财政", 300000, 300000, 300000, 280000, None],
        ["", "县级财政", 200000, 200000, 180000, 170000, None],
        ["", "年度总体目标", "预期目标", "", "", "实际完成情况"],
        ["", "", "保障2000名学生营养餐", "", "", "保障1980名学生"],
        ["", "一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分"],
        ["", "决策", 20, "项目立项", 10, "立项依据充分性", 5, 5],
        ["", "决策", None, "项目立项", None, "立项程序规范性", 5, 4],
        ["", "决策", None, "绩效目标", 10, "绩效目标合理性", 10, 10],
        ["", "过程", 30, "资金管理", 30, "预算执行率", 30, 27],  # 一级 weights add to 110
        ["", "产出", 40, "产出数量", 40, "受益学生数", 40, 40],
        ["", "效益", 20, "满意度", 20, "学生满意度", 20, 19],
        ["", "总分", 100, "", "", "", 100, 95],
        ["", "评价等次", "☑优  □良  □中  □差"],
        ["", "评价人员", "姓名", "职务/职称", "单位", "签字"],
        ["", "", "李明", "科长", "县教育体育局", ""],
        ["", "", "赵刚", "会计", "县第一中学", ""],
        [],
        ["", "填报人：王小红    联系电话：13800000000    填报日期：2024年3月1日"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("B1:H1")
    ws.merge_cells("B21:B23")
    wb.save(path)
    return path


def test_official_framework_table_filled_by_hand(tmp_path):
    got = import_workbook(_framework_workbook(tmp_path / "评价表.xlsx"))
    r = got.report
    p = r.project
    assert (p.name, p.supervisor, p.implementing_unit, p.leader, p.phone) == (
        "学生营养改善计划",
        "县教育体育局",
        "县第一中学",
        "王小红",
        "0871-1234567",
    )
    assert p.project_type == "recurring"
    assert r.funds.unit == "元"  # from the column heads “（元）”
    assert [(s.source, s.received, s.spent) for s in r.funds.sources] == [
        ("中央财政", D(300000), D(280000)),
        ("县级财政", D(180000), D(170000)),
    ]
    assert r.printed.funds.received == D(480000) and r.printed.funds.execution_rate == D(90)
    assert (r.template, r.form) == ("framework", "evaluation-table")
    assert [n.name for n in r.indicators] == ["决策", "过程", "产出", "效益"]
    decision = r.indicators[0]
    assert [(c.name, c.weight) for c in decision.children] == [("项目立项", D(10)), ("绩效目标", D(10))]
    assert [(leaf.name, leaf.weight, leaf.score) for leaf in decision.children[0].children] == [
        ("立项依据充分性", D(5), D(5)),
        ("立项程序规范性", D(5), D(4)),
    ]
    assert [(x.name, x.weight) for x in r.printed.level1] == [
        ("决策", D(20)),
        ("过程", D(30)),
        ("产出", D(40)),
        ("效益", D(20)),
    ]
    assert (r.printed.weight, r.printed.score, r.printed.grade) == (D(100), D(95), "优")
    assert [(m.name, m.title, m.unit, m.role) for m in r.team] == [
        ("李明", "科长", "县教育体育局", "成员"),
        ("赵刚", "会计", "县第一中学", "成员"),
    ]
    assert (p.preparer, p.preparer_phone) == ("王小红", "13800000000")
    assert got.unplaced == []


def test_official_transfer_table_without_scores(tmp_path):
    """The 转移支付 自评表: no 分值/得分, 全年预算数（A）/全年执行数（B）/执行率（B/A）, 未完成原因."""
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    rows = [
        ["转移支付区域绩效目标自评表"],
        ["（2023年度）"],
        ["专项名称", "义务教育薄弱环节改善"],
        ["中央主管部门", "教育部", "", "地方主管部门", "县教育局"],
        ["项目资金（万元）", "", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）"],
        ["", "年度资金总额", "1000", "950", "95%"],
        ["", "其中：中央财政", 800, 780, None],
        ["", "地方资金", 200, 170, None],
        ["年度总体目标", "预期目标", "", "实际完成情况"],
        ["", "改善办学条件", "", "已改善"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "未完成原因和改进措施"],
        ["", "产出指标", "数量指标", "改造学校数", "≥10所", "10所", ""],
        ["", "", "质量指标", "验收合格率", "", "98%", "一所整改中"],
        ["", "效益指标", "社会效益指标", "入学率", "≥99%", "99.5%", ""],
    ]
    for row in rows:
        ws.append(row)
    ws["E13"].value = "=100%"
    ws["E13"].data_type = "s"  # typed as text, as WPS keeps it
    ws.merge_cells("B12:B13")
    path = tmp_path / "转移支付.xlsx"
    wb.save(path)
    got = import_workbook(path)
    r = got.report
    assert (r.template, r.form) == ("transfer", "transfer")
    assert r.project.name == "义务教育薄弱环节改善" and r.project.supervisor == "县教育局"
    assert [(s.source, s.adjusted, s.spent) for s in r.funds.sources] == [
        ("中央财政", D(800), D(780)),
        ("地方资金", D(200), D(170)),
    ]
    # The paper's 合计 row (1000, 950) and 执行率 95% agree with its rows: nothing is recorded for
    # 复核, so editing this table later raises no V03 (a slip keeps the record: the 财政部 test).
    assert r.printed is None
    quality = r.indicators[0].children[1].children[0]
    assert (quality.target.op, quality.target.value, quality.target.unit) == ("=", D(100), "%")
    assert quality.actual == D(98) and quality.deviation == "一所整改中" and quality.weight is None
    assert got.unplaced == ["自评表!A4“中央主管部门”", "自评表!B4“教育部”"]


def test_a_formula_whose_result_was_not_saved_is_listed_not_read_as_blank(tmp_path):
    path = _mof_workbook(tmp_path / "公式.xlsx")
    wb = load_workbook(path)
    wb["Sheet1"]["D6"] = "=SUM(D7:D9)"  # a program wrote it; no Excel has computed it yet
    wb.save(path)
    got = import_workbook(path)
    assert got.report.printed.funds.initial is None
    assert any(x.startswith("Sheet1!D6“=SUM(D7:D9)”：公式的计算结果未保存") for x in got.unplaced)


# --- the command line -------------------------------------------------------------------------------


def test_cli_import_writes_json_and_document_and_warns_of_unplaced_cells(cli, tmp_path):
    table = _mof_workbook(tmp_path / "自评表.xlsx")
    out, doc = tmp_path / "out.json", tmp_path / "out.jxzp"
    result = cli("import", str(table), "--json", str(out), "--save", str(doc))
    assert result.returncode == 0, result.stderr
    assert "Sheet1!A22" in result.stderr and "填表说明!A1" in result.stderr and "Traceback" not in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["project"]["name"] == "乡村道路养护" and data["printed"]["score"] == "100"
    assert data["funds"]["sources"][0].get("received") is None
    check = cli("check", str(doc), "--json")
    assert json.loads(check.stdout)["totals"]["score"] == "96.67"


def test_cli_import_output_not_written_is_exit_3(cli, tmp_path):
    table = _mof_workbook(tmp_path / "自评表.xlsx")
    nothing = cli("import", str(table))
    assert nothing.returncode == 2 and "--json" in nothing.stderr and "Traceback" not in nothing.stderr
    result = cli("import", str(table), "--json", str(tmp_path / "无此文件夹" / "out.json"))
    assert result.returncode == 3 and "Traceback" not in result.stderr


# --- workbooks that must be refused --------------------------------------------------------------


def _no_self_sheet(path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "工资表"
    wb.active["B2"] = 3000
    wb.save(path)


def _truncated(path: Path) -> None:
    export_xlsx(load_seed("000"), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole(path: Path, *streams: str) -> None:
    body = b"".join(s.encode("utf-16-le") + b"\0\0" for s in streams)
    path.write_bytes(OLE + b"\0" * 504 + body + b"\0" * 1024)


def _entity_bomb(path: Path) -> None:
    """A real workbook whose shared strings declare the "billion laughs" entities."""
    export_xlsx(load_seed("000"), path)
    bomb = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    src = zipfile.ZipFile(path)
    items = {n: src.read(n) for n in src.namelist()}
    src.close()
    sheet = items["xl/worksheets/sheet1.xml"].decode("utf-8")
    sheet = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    items["xl/worksheets/sheet1.xml"] = (bomb + sheet.replace("项目名称", "&lol3;", 1)).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items.items():
            z.writestr(name, data)


def _huge_dimension(path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "一级指标"
    wb.active["B1"] = "二级指标"
    wb.active["XFD1048576"] = "x"
    wb.save(path)


def _many_cells(path: Path) -> None:
    """A sheet whose stated dimension is small but which holds a million cells."""
    _huge_dimension(path)
    src = zipfile.ZipFile(path)
    items = {n: src.read(n) for n in src.namelist()}
    src.close()
    cells = '<c r="A1"><v>1</v></c>' * 250_000
    items["xl/worksheets/sheet1.xml"] = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:B2"/><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items.items():
            z.writestr(name, data)


CORPUS = {
    "empty": (lambda p: p.write_bytes(b""), "空"),
    "random bytes": (lambda p: p.write_bytes(bytes(range(256)) * 8), "不是 Excel 工作簿"),
    "truncated zip": (_truncated, "损坏"),
    "docx renamed": (_docx, "Word 文档"),
    "xls": (lambda p: _ole(p, "Workbook", "SummaryInformation"), ".xls"),
    "encrypted": (lambda p: _ole(p, "EncryptionInfo", "EncryptedPackage"), "密码"),
    "no 自评表": (_no_self_sheet, "没有找到自评表"),
    "entity bomb": (_entity_bomb, "实体"),
    "huge sheet": (_huge_dimension, "大得不合常理"),
    "many cells": (_many_cells, "多得不合常理"),
}


@pytest.mark.parametrize("kind", list(CORPUS))
def test_bad_workbooks_are_refused_with_a_reason(kind, tmp_path, cli):
    make, words = CORPUS[kind]
    path = tmp_path / "报送.xlsx"
    make(path)
    with pytest.raises(LoadError) as caught:
        import_workbook(path)
    message = str(caught.value)
    assert "报送.xlsx" in message and words in message
    if kind in ("xls", "truncated zip", "encrypted"):
        assert ".xlsx" in message  # says what to do: save as .xlsx
    result = cli("import", str(path), "--json", str(tmp_path / "out.json"))
    assert result.returncode == 2
    assert result.stderr.strip() == message and "Traceback" not in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_a_wps_et_file_is_named_as_such(tmp_path):
    path = tmp_path / "报送.et"
    _ole(path, "Workbook")
    with pytest.raises(LoadError, match="WPS"):
        import_workbook(path)


# --- the window ---------------------------------------------------------------------------------


def test_window_imports_a_table_into_a_new_document_and_lists_what_it_could_not_place(
    window, qtbot, tmp_path, monkeypatch
):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QPlainTextEdit

    table = _mof_workbook(tmp_path / "自评表.xlsx")
    old_path = window.session.file.path
    asked = []
    monkeypatch.setattr("gui.file_actions.ask_open", lambda *a, **k: table)
    monkeypatch.setattr("gui.file_actions.ask_save", lambda *a, **k: asked.append(a[4]) or tmp_path / "导入.jxzp")
    action = window.findChild(QAction, "import_xlsx")
    assert any(action in m.actions() for m in window.menuBar().findChildren(QMenu))
    action.trigger()
    qtbot.waitUntil(lambda: asked == ["自评表.jxzp"])  # read off the GUI thread, then asked where
    assert window.session.file.path == tmp_path / "导入.jxzp" and old_path.exists()
    report = window.doc.report
    assert report.project.name == "乡村道路养护" and report.printed.score == D(100)
    assert not window.doc.can_undo()  # a new document, as 打开 a JSON makes one
    dialog = window.unplaced_dialog
    qtbot.waitUntil(dialog.isVisible)
    listed = dialog.findChild(QPlainTextEdit, "unplaced_list").toPlainText().splitlines()
    assert listed == ["Sheet1!A22“注：本表请于次年3月底前报县财政局。”", "填表说明!A1“金额保留两位小数”"]
    dialog.close()


def test_window_refuses_a_bad_workbook_and_keeps_the_open_document(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    bad = tmp_path / "旧表.xls"
    _ole(bad, "Workbook")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    old_path = window.session.file.path
    window.import_xlsx_path(bad)
    qtbot.waitUntil(lambda: bool(shown))
    assert len(shown) == 1 and "旧表.xls" in shown[0] and ".xlsx" in shown[0]
    assert window.session.file.path == old_path


@pytest.mark.parametrize("form", ["evaluation-table", "report-annex3", "transfer"])
def test_our_export_with_a_printed_form_keeps_its_form_and_reads_back(form, tmp_path):
    """A workbook exported for a printed form (core/export/forms) starts with that form's sheet; the
    import names the form from it, and what only that sheet prints is listed, not dropped."""
    from core.export.forms.workbook import export_form_xlsx

    report = load_seed("002")
    report.form = form
    if form == "transfer":
        report.template = "transfer"
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_form_xlsx(report, first)
    imported = import_workbook(first)
    assert imported.report.form == form
    export_form_xlsx(imported.report, second)
    a, b = _values(first), _values(second)
    assert list(a) == list(b)
    for title in ("自评表", "指标评分表", "资金明细"):
        assert a[title] == b[title]
    if form == "evaluation-table":
        assert any("问题和建议" in x for x in imported.unplaced)  # from the narrative: said, not dropped


def test_a_table_our_export_broke_over_pages_reads_back_as_one_group(tmp_path):
    """The export splits a 一级/二级 cell at each page break and prints the name again in each piece
    (core/export/sheet_pages.py); read back, the pieces are one node, as before."""
    report = load_seed("002")
    report.indicators[2].children[0].children = [
        Indicator(name=f"第{i}项产出", weight=D(1), score=D(1)) for i in range(60)
    ]
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_xlsx(report, first)
    ws = load_workbook(first)["自评表"]
    inside = [b.id + 1 for b in ws.row_breaks.brk if str(ws.cell(b.id + 1, 3).value).endswith("项产出")]
    assert inside  # the group runs over a page break, its names printed again there
    assert all(ws.cell(r, 1).value == "产出" and ws.cell(r, 2).value == "产出数量" for r in inside)
    imported = import_workbook(first)
    assert imported.unplaced == []
    assert [n.name for n in imported.report.indicators] == ["决策", "过程", "产出", "效益"]
    assert len(imported.report.indicators[2].children[0].children) == 60
    export_xlsx(imported.report, second)
    assert _values(second) == _values(first)
