"""Excel export: read back with openpyxl (values, formats, merges, print set-up), never a formula
from user text, atomic writes, and proof that a real spreadsheet program opens it."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from core.export.xlsx import CELL_LIMIT, CUT_MARK, export_xlsx
from core.model.model import Indicator
from tests.conftest import ROOT, SEEDS, load_seed
from tests.helpers import pdf as pdf_text
from tests.helpers.tools import convert_to_pdf, require


def num(value) -> Decimal:
    """openpyxl reads numbers back as float or int; compare them as the decimals they print as."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def cells(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def find(ws, value):
    return [c for c in cells(ws) if c.value == value]


@pytest.fixture
def seed002_book(tmp_path):
    out = tmp_path / "002.xlsx"
    assert export_xlsx(load_seed("002"), out) == []
    return openpyxl.load_workbook(out)


def test_sheets_and_self_evaluation_table(seed002_book):
    wb = seed002_book
    assert wb.sheetnames == ["自评表", "指标评分表", "资金明细"]
    ws = wb["自评表"]
    assert find(ws, "项目支出绩效自评表") and find(ws, "（2023年度）")
    assert find(ws, "2023年城乡居民基本医疗保险县级财政补助经费")
    # the funds block: figures are numbers with 2 decimals, the rate a percentage
    [total_label] = find(ws, "年度资金总额")
    row = total_label.row
    assert [num(ws.cell(row, c).value) for c in (3, 4, 5)] == [Decimal("660.00"), Decimal("668.40"), Decimal("668.40")]
    assert ws.cell(row, 3).number_format == "0.00"
    assert ws.cell(row, 7).value == 1 and ws.cell(row, 7).number_format == "0.00%"
    assert find(ws, "其中：县级财政")
    # the indicator block, with the metric, target, actual, score and reason
    [leaf] = find(ws, "实际完成率（城乡居民参保补助人数）")
    r = leaf.row
    assert ws.cell(r, 4).value == "≥36300人" and ws.cell(r, 5).value == "35353人"
    assert num(ws.cell(r, 6).value) == 10 and num(ws.cell(r, 7).value) == Decimal("9.74")
    assert ws.cell(r, 8).value.startswith("本年参保人数较往年有所下降")
    [total] = find(ws, "总分")
    assert num(ws.cell(total.row, 7).value) == Decimal("98.74") and ws.cell(total.row, 8).value == "评价等级：优"
    assert find(ws, "签字")
    # 一级/二级 spans are merged cells, as on paper
    merged = {str(m) for m in ws.merged_cells.ranges}
    [decision] = find(ws, "决策")
    assert any(m.startswith(f"A{decision.row}:A") for m in merged)


def test_scoring_table_with_subtotals(seed002_book):
    ws = seed002_book["指标评分表"]
    headers = [c.value for c in ws[2]]
    assert headers == ["一级指标", "二级指标", "三级指标", "指标解释", "分值", "得分"]
    subtotals = {c.value: num(ws.cell(c.row, 6).value) for c in cells(ws) if str(c.value).endswith("小计")}
    assert subtotals == {"决策 小计": 19, "过程 小计": 20, "产出 小计": Decimal("29.74"), "效益 小计": 30}
    [total] = find(ws, "总分")
    assert num(ws.cell(total.row, 5).value) == 100 and num(ws.cell(total.row, 6).value) == Decimal("98.74")
    assert find(ws, "项目实施的实际产出数与计划产出数的比率，用以反映和考核项目产出数量目标的实现程度。")


def test_fund_details_and_balance(tmp_path):
    out = tmp_path / "001.xlsx"
    export_xlsx(load_seed("001"), out)
    ws = openpyxl.load_workbook(out)["资金明细"]
    [total] = find(ws, "合计")
    assert num(ws.cell(total.row, 8).value) == Decimal("236.14")  # 结余
    assert ws.cell(total.row, 6).number_format == "0.00%"
    [closing] = find(ws, "年末结转结余")
    assert num(ws.cell(closing.row + 1, 4).value) == Decimal("236.14")
    assert num(ws.cell(closing.row + 1, 5).value) == Decimal("236.14")  # by the formula


def test_print_setup(seed002_book):
    for ws in seed002_book.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        # One page wide; a sheet hardly longer than a page (each of seed 002's) one page tall too
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight in (0, 1)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.page_margins.left == 0.5


def test_user_text_is_never_a_formula_and_is_cleaned(tmp_path):
    report = load_seed("002")
    leaf = report.indicators[2].children[0].children[0]
    leaf.deviation = '=HYPERLINK("http://x","点我")'
    leaf.explanation = "+1-1 从Word粘贴\x07的\x0b文字\x1f"
    report.project.name = "@SUM(A1)"
    report.indicators[0].name = "-2+3"
    report.team[0].name = "=1+1"
    out = tmp_path / "x.xlsx"
    export_xlsx(report, out)
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        for c in cells(ws):
            assert c.data_type != "f", f"{ws.title}!{c.coordinate} became a formula"
    ws = wb["自评表"]
    assert find(ws, '=HYPERLINK("http://x","点我")')[0].data_type == "s"
    assert find(wb["指标评分表"], "+1-1 从Word粘贴的文字")
    assert find(ws, "@SUM(A1)") and find(ws, "=1+1")


def test_over_long_text_is_cut_with_a_marker_and_a_warning(tmp_path):
    report = load_seed("002")
    report.indicators[0].children[0].children[0].explanation = "很长" * 20000
    out = tmp_path / "long.xlsx"
    warnings = export_xlsx(report, out)
    assert len(warnings) == 1 and "指标评分表" in warnings[0] and "截断" in warnings[0]
    ws = openpyxl.load_workbook(out)["指标评分表"]
    [cell] = [c for c in cells(ws) if isinstance(c.value, str) and c.value.startswith("很长很长")]
    assert len(cell.value) == CELL_LIMIT and cell.value.endswith(CUT_MARK)


def test_transfer_template_has_no_score_columns(tmp_path, cli):
    report = load_seed("002")
    report.template = "transfer"
    out = tmp_path / "t.xlsx"
    export_xlsx(report, out)
    ws = openpyxl.load_workbook(out)["自评表"]
    [header] = find(ws, "一级指标")
    row = [c.value for c in ws[header.row] if c.value]
    assert row == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"]
    assert not find(ws, "总分")


def test_large_report_and_deep_tree(tmp_path):
    from bench.reports import synthetic_report

    report = synthetic_report(500)
    report.indicators[0].children[0].children[0].children = [Indicator(name="四级指标", weight=Decimal("0"))]
    out = tmp_path / "big.xlsx"
    export_xlsx(report, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["指标评分表"]
    leaves = [c for c in cells(ws) if c.column == 3 and c.row > 2]
    assert len(leaves) == 500
    assert any(" / 四级指标" in c.value for c in leaves)


def test_cli_xlsx_and_atomic_failure_keeps_old_file(tmp_path, cli):
    out = tmp_path / "报告.xlsx"
    r = cli("export", str(SEEDS["000"]), "--xlsx", str(out))
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out)["自评表"]
    assert find(ws, "长期护理保险财政补助资金")
    before = out.read_bytes()

    def small_files():  # the disk "fills up" while the workbook is written
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", str(SEEDS["002"]), "--xlsx", str(out)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=small_files,
    )
    assert r.returncode == 3 and "无法写入" in r.stderr and "Traceback" not in r.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.xlsx"]  # no temporary file left
    r = cli("export", str(SEEDS["000"]), "--xlsx", str(tmp_path))  # a folder, not a file
    assert r.returncode == 3 and "文件夹" in r.stderr


def test_libreoffice_opens_it_and_prints_the_figures(tmp_path):
    soffice = require("libreoffice-calc-nogui", "soffice", "libreoffice")
    out = tmp_path / "seed002.xlsx"
    export_xlsx(load_seed("002"), out)
    r = convert_to_pdf(soffice, out, tmp_path)
    pdf = tmp_path / "seed002.pdf"
    assert r.returncode == 0 and pdf.exists(), r.stderr
    compact = pdf_text.compact(pdf)
    # 3 pages, one a sheet: each of seed 002's sheets is hardly longer than a page at Excel's
    # fit-to-width scale, so it is set to print on one page (core/export/sheet_pages.py ONE_PAGE)
    # rather than leave its last rows alone on a second
    for figure in ("项目支出绩效自评表", "668.40", "100.00%", "9.74", "98.74", "评价等级：优", "第1页共3页"):
        assert figure in compact, figure


def test_exported_files_get_ordinary_permissions(tmp_path):
    out = tmp_path / "perm.xlsx"
    export_xlsx(load_seed("000"), out)
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_mof_table_shows_the_execution_score_with_the_funds(tmp_path):
    from core.document import Document
    from core.model.model import FundSource
    from core.model.templates import new_report

    doc = Document(new_report("mof-self"))
    doc.insert(
        ("funds", "sources"),
        0,
        FundSource("中央财政", Decimal("600"), None, Decimal("600"), Decimal("423.69")),
        "添加资金来源",
    )
    doc.set_value(("indicators", 0, "score"), doc.totals.nodes[doc.report.indicators[0].uid].suggested)
    assert doc.report.indicators[0].score == Decimal("7.06")  # 10 × 70.62 %
    out = tmp_path / "mof.xlsx"
    export_xlsx(doc.report, out)
    ws = openpyxl.load_workbook(out)["自评表"]
    [row] = find(ws, "年度资金总额")
    assert num(ws.cell(row.row, 6).value) == 10 and num(ws.cell(row.row, 8).value) == Decimal("7.06")
    assert num(ws.cell(row.row, 7).value * 100) == Decimal("70.62")
    [header] = find(ws, "一级指标")
    assert "预算执行率" not in [ws.cell(r, 1).value for r in range(header.row + 1, ws.max_row + 1)]
