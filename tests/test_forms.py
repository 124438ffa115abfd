"""The printed forms of DOMAIN §7 (#22), read back as a user would see them: the PDF's text and
pages (tests/helpers/pdf.py) and the workbook's cells (openpyxl), from a fixture that fills every
field the forms have (tests/fixtures/forms_full.json)."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

import openpyxl
import pytest

from core.export.forms.workbook import export_form_xlsx
from core.export.pdf import export_pdf
from core.model.model import Indicator, Target
from core.store.jsonio import dumps, loads
from tests.conftest import FIXTURES
from tests.helpers import pdf

FULL = FIXTURES / "forms_full.json"
FORM_NAMES = ("mof-self", "evaluation-table", "report-annex3", "transfer")


def full():
    return loads(FULL.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each form of the full fixture as its own PDF."""
    folder = tmp_path_factory.mktemp("forms")
    out = {}
    for name in FORM_NAMES:
        out[name] = folder / f"{name}.pdf"
        assert export_pdf(full(), out[name], forms=[name]) == []
    return out


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("forms") / "forms.xlsx"
    assert export_form_xlsx(full(), out, forms=list(FORM_NAMES)) == []
    return openpyxl.load_workbook(out)


def cells(ws) -> str:
    """Every cell's text of a sheet, figures with 2 decimals (rates as 100.00%), without spaces."""
    out = []
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if v is None:
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = f"{Decimal(str(v)) * 100:.2f}%" if c.number_format == "0.00%" else f"{Decimal(str(v)):.2f}"
            out.append(str(v))
    return re.sub(r"\s+", "", "|".join(out))


# What every form prints of the fixture: the header, the funds, the goals, the indicators.
COMMON = (
    "2023年城乡居民基本医疗保险县级财政补助经费",
    "博湖县医疗保障局",
    "本年财政拨款",
    "上年结转资金",
    "668.40",
    "608.40",
    "100.00%",
    "为缴纳城乡居民基本医疗保险的居民给予财政补助",  # 年度总体目标, 预期
    "截至12月底，城乡居民基本医疗保险参保缴费人数35353人",  # 实际完成情况
    "决策",
    "产出数量",
    "实际完成率（城乡居民参保补助人数）",
)
TARGETS = ("≥36300人", "35353人")  # 年度指标值 and 实际完成值, on the forms that have them
FIELDS = {
    "mof-self": COMMON
    + TARGETS
    + (
        "项目支出绩效自评表",
        "（2023年度）",
        "项目名称",
        "主管部门",
        "实施单位",
        "项目资金（万元）",
        "年度资金总额",
        "其中：本年财政拨款",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "执行率",
        "年度总体目标",
        "预期目标",
        "实际完成情况",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "偏差原因分析及改进措施",
        "本年参保人数较往年有所下降",
        "9.74",
        "总分",
        "100.00",
        "98.74",
        "填报人：阿依古丽",
        "联系电话：0996-6623088",
        "（单位盖章）",
        "年月日",
    ),
    "evaluation-table": COMMON
    + (
        "绩效评价表",
        "项目实施单位",
        "项目负责人",
        "吐尔逊·买买提",
        "13899001234",
        "项目类型",
        "☑经常性项目□延续性项目□一次性项目",
        "资金来源",
        "合计",
        "20.00",  # the 一级 分值
        "评价等次",
        "☑优（90分及以上）□良",
        "问题和建议",
        "加强单位绩效工作人员对绩效管理工作方面的培训",  # from the 建议 section
        "评价人员",
        "李建国",
        "张红",
        "县医保中心主任",
        "签字",
        "填报人（签字）：阿依古丽",
        "评价组组长（签字）：李建国",
        "评价部门负责人（签字并盖章）：李建国",
    ),
    "report-annex3": COMMON
    + TARGETS
    + (
        "项目支出绩效自评报告",
        "□项目实施过程评价☑项目完成结果评价",
        "博湖县财政局（制）",  # project.issuing_bureau
        "一、项目基本概况",
        "吐尔逊·买买提",
        "13899001234",
        "项目地址",
        "新疆巴音郭楞蒙古自治州博湖县",
        "邮编",
        "841400",
        "项目起止时间",
        "2023年1月至2023年12月",
        "计划安排资金",
        "实际到位资金",
        "实际支出",
        "结余",
        "二、项目支出明细情况",
        "支出内容",
        "城乡居民医保财政补助（上半年）",
        "334.20",
        "会计凭证号",
        "记-2023-06-0118",
        "拨付医保基金专户",
        "支出合计",
        "三、项目绩效自评情况",
        "定性目标",
        "指标内容",
        "综合得分",
        "评价等次",
        "☑优",
        "四、评价人员",
        "李建国",
        "填报人（签名）：阿依古丽",
        "联系电话：0996-6623088",
        "五、评价报告综述",
        "一、基本情况",
        "七、其他需要说明的问题",
    ),
    "transfer": COMMON
    + TARGETS
    + (
        "转移支付绩效自评表",
        "全年预算数（A）",
        "全年执行数（B）",
        "执行率（B/A）",
        "资金管理情况",
        "情况说明",
        "存在问题和改进措施",
        "分配科学性",
        "按参保人数和补助标准测算分配，依据充分",  # funds.management
        "个别乡镇参保人数统计滞后",
        "执行准确性",
        "提高预算编制精准度",
        "总体目标完成情况",
        "全年实际完成情况",
        "未完成原因和改进措施",
        "本年参保人数较往年有所下降",
        "填报人：阿依古丽",
    ),
}
MANAGED = "按参保人数和补助标准测算分配"  # 资金管理情况: the 转移支付 form's alone
ABSENT = {  # fields these forms do not have are not invented
    "mof-self": ("13899001234", "吐尔逊·买买提", "841400", "记-2023-06-0118", MANAGED, "博湖县财政局"),
    "transfer": ("分值", "得分", "评价等次", "博湖县财政局"),
    "evaluation-table": ("记-2023-06-0118", "841400", MANAGED, "博湖县财政局"),
    "report-annex3": (MANAGED,),
}


@pytest.mark.parametrize("name", FORM_NAMES)
def test_the_pdf_prints_every_field_of_the_form(printed, name):
    text = pdf.compact(printed[name])
    missing = [f for f in FIELDS[name] if re.sub(r"\s+", "", f) not in text]
    assert missing == []
    assert [f for f in ABSENT.get(name, ()) if f in text] == []


SHEETS = {"evaluation-table": "评价表", "report-annex3": "自评报告表", "transfer": "转移支付自评表"}
# The 自评表 sheet (the 财政部 form) keeps its label texts; it has no signature line of its own
XLSX_SKIP = {"mof-self": {"（单位盖章）", "年月日", "填报人：阿依古丽", "联系电话：0996-6623088"}}


@pytest.mark.parametrize("name", FORM_NAMES)
def test_the_workbook_prints_every_field_of_the_form(book, name):
    ws = book[SHEETS.get(name, "自评表")]
    text = cells(ws)
    wanted = [f for f in FIELDS[name] if f not in XLSX_SKIP.get(name, ())]
    assert [f for f in wanted if re.sub(r"\s+", "", f) not in text] == []
    assert [f for f in ABSENT.get(name, ()) if f in text and name != "mof-self"] == []


def test_workbook_sheets_are_set_up_to_print_like_the_paper(book):
    assert book.sheetnames[:3] == ["评价表", "自评报告表", "转移支付自评表"]
    assert "自评表" in book.sheetnames  # the 财政部 form, as before
    for ws in book.worksheets:
        if ws.title in SHEETS.values() or ws.title == "自评表":
            assert ws.page_setup.orientation == "portrait"
        assert int(ws.page_setup.paperSize) == 9
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows
    ws = book["转移支付自评表"]
    [head] = [c for row in ws.iter_rows() for c in row if c.value == "未完成原因和改进措施"]
    assert ws.print_title_rows == f"${head.row}:${head.row}"  # the indicator table's head repeats
    # wrapped text gets rows tall enough to show it
    [goal] = [c for row in ws.iter_rows() for c in row if str(c.value or "").startswith("为缴纳城乡居民")]
    assert ws.row_dimensions[goal.row].height >= 40
    # the 自评表's fund labels are not cut: the label column is wide enough for 其中：本年财政拨款
    ws = book["自评表"]
    [label] = [c for row in ws.iter_rows() for c in row if c.value == "其中：本年财政拨款"]
    assert ws.column_dimensions[label.column_letter].width * 1 >= 2 * len("其中：本年财政拨款") - 2


@pytest.mark.parametrize("name", FORM_NAMES)
def test_pages_are_a4_portrait_and_the_mof_form_is_one_page(printed, name):
    sizes = pdf.page_sizes(printed[name])
    assert all(pdf.is_a4(size) for size in sizes)
    if name == "mof-self":
        assert len(sizes) == 1
    if name == "report-annex3":  # the cover, then the form
        assert len(sizes) >= 2 and "财政局（制）" in re.sub(r"\s+", "", pdf.page_texts(printed[name])[0])


def not_given():
    report = full()
    for src in report.funds.sources:
        src.received = None
        src.initial = None
        src.adjusted = src.spent + Decimal("10")
    return report


@pytest.mark.parametrize("name", (*FORM_NAMES, "narrative"))
def test_amounts_not_given_print_blank_never_zero(tmp_path, name):
    out = tmp_path / f"{name}.pdf"
    export_pdf(not_given(), out, forms=[name])
    words = [w.text for page in pdf.words(out) for w in page]
    assert "0.00" not in words and "0.00%" not in words
    assert "-" not in "".join(w for w in words if re.fullmatch(r"-?[\d.]+", w))  # no invented −xx 结余
    xlsx = tmp_path / f"{name}.xlsx"
    export_form_xlsx(not_given(), xlsx, forms=[name])
    ws = openpyxl.load_workbook(xlsx)[SHEETS.get(name, "自评表")]
    figures = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert 0 not in figures and all(v >= 0 for v in figures)


def long_report():
    report = full()
    leaves = [
        Indicator(
            name=f"第{i}项产出",
            weight=Decimal("1"),
            score=Decimal("1"),
            target=Target(">=", Decimal(100), "人"),
            actual=Decimal(100 + i),
        )
        for i in range(60)
    ]
    report.indicators = [Indicator(name="产出指标", children=[Indicator(name="数量指标", children=leaves)])]
    return report


@pytest.mark.parametrize("name", FORM_NAMES)
def test_a_long_table_repeats_its_head_and_the_level_names_on_the_next_page(tmp_path, name):
    out = tmp_path / f"{name}.pdf"
    export_pdf(long_report(), out, forms=[name])
    pages = [re.sub(r"\s+", "", t) for t in pdf.page_texts(out)]
    at = max(i for i, t in enumerate(pages) if "第59项产出" in t)
    first = min(i for i, t in enumerate(pages) if "第0项产出" in t)
    assert at > first  # the table runs onto a new page
    for page in pages[first + 1 : at + 1]:
        assert "一级指标" in page and "二级指标" in page  # the head
        assert "产出指标" in page and "数量指标" in page  # the names of the group going on


def test_the_reports_own_scoring_table_repeats_the_level_names_on_each_page(tmp_path):
    """The narrative report's 绩效指标评分表 (not only the attached forms): every page it runs onto
    starts with its head and the names of the 一级/二级 going on."""
    out = tmp_path / "narrative.pdf"
    export_pdf(long_report(), out, forms=["narrative"])
    pages = [re.sub(r"\s+", "", t) for t in pdf.page_texts(out)]
    own = [t for t in pages if "指标解释及完成情况" in t and re.search(r"第\d+项产出", t)]
    assert len(own) >= 2, len(own)  # the table runs onto a new page
    for page in own:
        assert "产出指标" in page and "数量指标" in page


def test_figures_are_never_split_and_fit_their_columns(tmp_path):
    report = full()
    report.funds.unit = "元"
    report.funds.sources[0].initial = Decimal("999999999.99")
    report.funds.sources[0].adjusted = Decimal("999999999.99")
    report.funds.sources[0].spent = Decimal("-387664.62")
    for name in (*FORM_NAMES, "narrative"):  # the narrative's own fund table too
        out = tmp_path / f"{name}.pdf"
        export_pdf(report, out, forms=[name])
        words = [w.text for page in pdf.words(out) for w in page]
        assert "999999999.99" in words and "-387664.62" in words, name
        assert not [w for w in words if re.fullmatch(r"-?\d{1,8}\.?\d?", w) and "3876" in w]


def test_several_forms_in_one_pdf_and_an_unknown_name(tmp_path, cli):
    src = tmp_path / "r.json"
    src.write_text(dumps(full()), encoding="utf-8")
    out = tmp_path / "two.pdf"
    r = cli("export", str(src), "--pdf", str(out), "--form", "mof-self,narrative")
    assert r.returncode == 0, r.stderr
    pages = [re.sub(r"\s+", "", t) for t in pdf.page_texts(out)]
    assert "项目支出绩效自评表" in pages[0] and "部门名称（公章）" in pages[1]  # the form, then the report
    r = cli("export", str(src), "--pdf", str(tmp_path / "x.pdf"), "--form", "mof-self,annual")
    assert r.returncode == 2 and "annual" in r.stderr and "Traceback" not in r.stderr
    for name in ("narrative", *FORM_NAMES):
        assert name in r.stderr
    assert not (tmp_path / "x.pdf").exists()
    # without --form: the report's own form (forms_full.json says mof-self)
    out = tmp_path / "own.pdf"
    assert cli("export", str(src), "--pdf", str(out)).returncode == 0
    assert pdf.page_count(out) == 1 and "项目支出绩效自评表" in pdf.compact(out)


def test_narrative_attaches_its_form_and_without_text_prints_only_the_form(tmp_path):
    report = full()
    report.form = "narrative"
    report.template = "framework"
    for section in report.narrative:
        section.text = section.text.replace("评分表", "").replace("附表", "")
        for child in section.children:
            child.text = child.text.replace("评分表", "").replace("附表", "")
    out = tmp_path / "n.pdf"
    export_pdf(report, out)
    pages = [re.sub(r"\s+", "", t) for t in pdf.page_texts(out)]
    assert "部门名称（公章）" in pages[0]
    assert any("附表" in p and "绩效评价表" in p and "评价等次" in p for p in pages)
    empty = copy.deepcopy(report)
    for section in empty.narrative:
        section.text = ""
        for child in section.children:
            child.text = ""
    out = tmp_path / "empty.pdf"
    export_pdf(empty, out)
    text = pdf.compact(out)
    alone = tmp_path / "alone.pdf"
    export_pdf(empty, alone, forms=["evaluation-table"])
    assert pdf.page_count(out) == pdf.page_count(alone) and "绩效评价表" in text
    assert "目录" not in text and "评价小组成员" not in text and "部门名称（公章）" not in text


def test_closing_line_never_puts_the_project_phone_beside_an_empty_preparer(tmp_path):
    report = full()
    report.form = "narrative"
    report.project.preparer = ""
    report.project.preparer_phone = ""
    out = tmp_path / "n.pdf"
    export_pdf(report, out)
    text = pdf.compact(out)
    assert "填报人：" in text and "0996-6623015" not in text and "13899001234" not in text
    report.project.preparer, report.project.preparer_phone = "阿依古丽", "0996-6623088"
    export_pdf(report, out)
    assert "填报人：阿依古丽联系电话：0996-6623088" in pdf.compact(out)


def test_the_window_names_the_default_form_and_exports_the_one_picked(window, qtbot, tmp_path, monkeypatch):
    window.show_default_form()
    assert "绩效自评报告（正文及附表）" in window.export_pdf_action.text()  # seed 000 prints the narrative
    window.fill_forms_menu()
    actions = {a.objectName(): a for a in window.forms_menu.actions() if a.objectName()}
    assert set(actions) == {f"form_{n}" for n in ("narrative", *FORM_NAMES)} | {"form_all"}
    assert "本报告默认" in actions["form_narrative"].text() and "本报告默认" not in actions["form_mof-self"].text()
    target = tmp_path / "自评表.pdf"
    monkeypatch.setattr("gui.file_actions.ask_save", lambda *args, **kw: target)
    actions["form_mof-self"].trigger()
    qtbot.waitUntil(lambda: window.last_export == target, timeout=30000)
    assert pdf.page_count(target) == 1 and "项目支出绩效自评表" in pdf.compact(target)


def test_long_names_and_texts_print_without_breaking_the_layout(tmp_path):
    report = full()
    top = report.indicators[0]
    top.name = "决" * 500  # names are cut in narrow cells (check P02 says so)
    top.children[0].name = "项" * 500
    report.funds.sources[0].source = "源" * 500
    report.team[0].unit = "单" * 500
    report.project.goal_actual = "完成情况。" * 2000  # longer than a page: goes on in rows below
    report.indicators[2].children[0].children[0].deviation = "偏差原因。" * 1500
    for name in FORM_NAMES:
        out = tmp_path / f"{name}.pdf"
        export_pdf(report, out, forms=[name])
        text = pdf.compact(out)
        assert "决" * 99 + "…" in text and "决" * 100 not in text
        assert text.count("完成情况。") == 2000, name


LONG_SHEETS = ("评价表", "自评报告表", "转移支付自评表", "自评表", "指标评分表")


def test_a_long_table_in_excel_breaks_its_pages_with_the_level_names_on_each(tmp_path):
    """The exporter breaks the pages itself (A4, its margins, fit to width) and splits the merged
    一级/二级 cells there, so each printed page of the table starts with the names (#22)."""
    out = tmp_path / "long.xlsx"
    export_form_xlsx(long_report(), out, forms=list(FORM_NAMES))
    book = openpyxl.load_workbook(out)
    for title in LONG_SHEETS:
        ws = book[title]
        [top] = [c for row in ws.iter_rows() for c in row if c.value == "一级指标"]
        [mid] = [c for row in ws.iter_rows() for c in row if c.value == "二级指标"]
        leaves = [c.row for row in ws.iter_rows() for c in row if str(c.value or "").endswith("项产出")]
        breaks = [b.id for b in ws.row_breaks.brk if leaves[0] <= b.id < leaves[-1]]
        assert breaks, title  # 60 leaves do not fit one page
        for b in breaks:
            assert ws.cell(b + 1, top.column).value == "产出指标", (title, b)
            assert ws.cell(b + 1, mid.column).value == "数量指标", (title, b)
        for merged in ws.merged_cells.ranges:  # no merged cell runs over a break
            assert not [b for b in breaks if merged.min_row <= b < merged.max_row], (title, str(merged))
        assert f"${top.row}:${top.row}" == ws.print_title_rows  # the head still repeats
    # a figure merged over the rows (the 评价表's 一级 分值) is printed once: the column still sums
    ws = book["评价表"]
    assert [c.value for row in ws.iter_rows() for c in row if c.value == 60] != []
    assert sum(1 for row in ws.iter_rows(min_col=2, max_col=2) for c in row if c.value == 60) == 1


def test_libreoffice_prints_the_level_names_on_each_page_of_a_long_excel_table(tmp_path):
    from tests.helpers.tools import convert_to_pdf, require

    soffice = require("libreoffice-calc-nogui", "soffice", "libreoffice")
    out = tmp_path / "long.xlsx"
    export_form_xlsx(long_report(), out, forms=["mof-self"])
    r = convert_to_pdf(soffice, out, tmp_path)
    printed = tmp_path / "long.pdf"
    assert r.returncode == 0 and printed.exists(), r.stderr
    # LibreOffice writes a merged cell's text even where the page clips it (above the page's top
    # on the continued page): only words inside the page count as printed
    height = pdf.page_sizes(printed)[0][1]
    pages = [[w.text for w in page if 0 <= w.y0 and w.y1 <= height] for page in pdf.words(printed)]
    table = [p for p in pages if any(w.endswith("项产出") for w in p)]  # the 自评表 and 指标评分表 pages
    assert len(table) >= 4
    for page in table:
        assert "一级指标" in page and "二级指标" in page  # the head
        assert "产出指标" in page and "数量指标" in page, page[:12]  # the names of the group going on


def test_the_one_page_form_in_excel_prints_on_one_page(tmp_path):
    """The 财政部 自评表 of a normal project is one page on paper: its sheet is set to print one page
    tall (shrunk a little where its texts run longer), never with its last rows alone on a page of
    their own; LibreOffice, where present, prints it so."""
    from tests.helpers.tools import convert_to_pdf, require

    out = tmp_path / "mof.xlsx"
    export_form_xlsx(full(), out, forms=["mof-self"])
    ws = openpyxl.load_workbook(out)["自评表"]
    assert ws.page_setup.fitToHeight == 1 and ws.page_setup.fitToWidth == 1 and not ws.row_breaks.brk
    soffice = require("libreoffice-calc-nogui", "soffice", "libreoffice")
    book = openpyxl.load_workbook(out)
    for title in book.sheetnames[1:]:  # the 自评表 alone
        del book[title]
    book.save(out)
    r = convert_to_pdf(soffice, out, tmp_path)
    printed = tmp_path / "mof.pdf"
    assert r.returncode == 0 and printed.exists(), r.stderr
    assert pdf.page_count(printed) == 1 and "总分" in pdf.compact(printed)
