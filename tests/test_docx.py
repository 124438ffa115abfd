"""Word export (.docx): read back with python-docx (headings as Word's Heading styles, the tables'
figures, the total and grade, the 公文 font names, A4 margins, page numbers), written by the command
line and by the window, and converted to PDF by LibreOffice Writer where it is installed."""

from __future__ import annotations

import re
import resource
import signal
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Length

from core.export.docx import export_docx
from core.model.model import Section
from tests.conftest import SEEDS, load_seed
from tests.helpers import pdf as pdf_text
from tests.helpers.tools import REQUIRED, convert_to_pdf, require


def _east_asia(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def _table_texts(document) -> list[list[str]]:
    return [[cell.text for row in table.rows for cell in row.cells] for table in document.tables]


@pytest.fixture
def seed002_docx(tmp_path) -> Path:
    report = load_seed("002")
    # a placeholder in the narrative is filled as in the PDF
    report.narrative[2].text += "\n本项目执行率为{执行率}，总得分{总得分}分，评价等级为{评价等级}。"
    out = tmp_path / "报告.docx"
    assert export_docx(report, out) == []
    return out


def test_headings_are_word_headings_and_tables_hold_the_figures(seed002_docx):
    doc = WordDocument(seed002_docx)
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Heading 1"][:3] == ["一、基本情况", "二、绩效评价工作开展情况", "三、综合评价情况及评价结论"]
    assert "（一）项目概况" in by_style["Heading 2"]
    assert any("项目支出绩效自评报告" in t for t in by_style["Title"])
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "本项目执行率为100.00%，总得分98.74分，评价等级为优。" in body and "{执行率}" not in body
    assert "综合得分 98.74 分，评价等级：优。" in body
    assert "填报人：" in body and "（公章）" in body
    tables = _table_texts(doc)
    team, funds = tables[1], tables[2]
    scores = [text for table in tables[3:] for text in table]  # a table per printed page
    assert "签字" in team and "县医保中心主任" in team
    assert {"县级财政", "合计", "660.00", "668.40", "100.00%"} <= set(funds)
    assert {"一级指标", "决策", "总分", "100.00", "98.74", "评价等级", "优"} <= set(scores)


def test_fonts_page_and_table_layout_as_word_expects(seed002_docx):
    doc = WordDocument(seed002_docx)
    styles = doc.styles
    assert _east_asia(styles["Normal"]) == "仿宋_GB2312"
    assert _east_asia(styles["Heading 1"]) == "黑体"
    assert _east_asia(styles["Heading 2"]) == "楷体_GB2312"
    assert styles["Normal"].font.size.pt == 16  # 3号
    assert 28 <= styles["Normal"].paragraph_format.line_spacing.pt <= 29
    # no theme font left to override the named ones
    xml = styles.element.xml
    assert "majorEastAsia" not in xml.split('w:styleId="Heading1"')[1].split("</w:style>")[0]
    for section in doc.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
        assert round(Length(section.page_width - section.left_margin - section.right_margin).mm) == 156
    cover, body = doc.sections
    assert not cover.footer.paragraphs or not cover.footer.paragraphs[0].text
    footer_xml = body.footer._element.xml
    assert "PAGE" in footer_xml and "— " in body.footer.paragraphs[0].text
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    scores = doc.tables[3]
    header = scores.rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    # 一级 and 二级 cells are Word merges (w:vMerge), not blank cells
    first_column = [row.cells[0] for row in scores.rows[1:4]]
    assert first_column[0]._tc is first_column[1]._tc is first_column[2]._tc
    assert first_column[0].text == "决策"
    assert round(scores.rows[1].cells[0].width.mm) == 18


def test_a_word_table_of_contents_after_the_team_page_filled_with_the_headings(seed002_docx):
    """The 目录 is Word's own TOC field (标题 1-2), its result already the headings' titles, and Word
    is asked to update it (page numbers) when it opens the file."""
    doc = WordDocument(seed002_docx)
    body = doc.element.body
    instructions = [i.text for i in body.iter(qn("w:instrText"))]
    assert ' TOC \\o "1-2" \\h \\z \\u ' in instructions
    # the field's runs in order: begin, its instruction, separate, the lines, end
    kinds = [c.get(qn("w:fldCharType")) for c in body.iter(qn("w:fldChar"))]
    assert kinds[:3] == ["begin", "separate", "end"]
    paragraphs = doc.paragraphs
    [title] = [i for i, p in enumerate(paragraphs) if p.text == "目　录"]
    assert paragraphs[title].paragraph_format.page_break_before
    lines = []
    for p in paragraphs[title + 1 :]:
        if not p.style.name.startswith("toc "):
            break
        lines.append((p.style.name, p.text))
    headings = [
        ("toc 1" if p.style.name == "Heading 1" else "toc 2", p.text)
        for p in paragraphs
        if p.style.name in ("Heading 1", "Heading 2")
    ]
    assert lines == headings and ("toc 1", "一、基本情况") in lines and ("toc 2", "（一）项目概况") in lines
    assert doc.styles["toc 1"].style_id == "TOC1" and _east_asia(doc.styles["toc 1"]) == "黑体"
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    # in the front section, before the body's first page (which is numbered 1)
    front_end = next(
        i for i, p in enumerate(paragraphs) if p._p.find(qn("w:pPr")) is not None and p._p.pPr.sectPr is not None
    )
    assert title < front_end


def long_table_report():
    """Seed 002 with one 一级 产出, one 二级 产出数量 and 90 leaves: a scoring table of 3 pages."""
    from core.model.model import Indicator

    report = load_seed("002")
    leaves = [
        Indicator(name=f"第{i}项产出", weight=Decimal(1), score=Decimal(1), explanation="反映补助对象的覆盖程度。")
        for i in range(90)
    ]
    report.indicators = [Indicator(name="产出", children=[Indicator(name="产出数量", children=leaves)])]
    return report


@pytest.fixture
def long_docx(tmp_path) -> Path:
    out = tmp_path / "长表.docx"
    export_docx(long_table_report(), out)
    return out


def test_a_long_scoring_table_is_a_table_per_page_each_starting_with_the_names(long_docx):
    """Word lays out pages itself and prints a merged 一级/二级 name once: the exporter reckons the
    rows' heights (the PDF's font metrics) and puts one table on each page, its head row repeated
    and the names of the group going on in its first row, merged over the group's rows there."""
    doc = WordDocument(long_docx)
    pieces = [t for t in doc.tables if t.rows[0].cells[0].text == "一级指标"]
    assert len(pieces) >= 3
    leaves = []
    for table in pieces:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        leaves += [r[2] for r in rows if r[2].endswith("项产出")]
        produced = [i for i, r in enumerate(rows, start=1) if r[2].endswith("项产出")]
        if produced and produced[0] == 1:  # a page that goes on with 产出: the names on its first row
            assert rows[0][:2] == ["产出", "产出数量"]
            column = [table.rows[i].cells[0]._tc for i in produced]
            assert all(tc is column[0] for tc in column)  # one merged cell over the page's rows
    assert leaves == [f"第{i}项产出" for i in range(90)]  # each once, in order
    # each table after the first starts a page
    body = list(doc.element.body.iterchildren())
    for table in pieces[1:]:
        between = body[body.index(table._tbl) - 1]
        assert between.tag == qn("w:p") and between.pPr.find(qn("w:pageBreakBefore")) is not None
    assert "评价等级" in [c.text for c in pieces[-1].rows[-1].cells]


def test_libreoffice_prints_the_level_names_on_each_page_of_a_long_word_table(long_docx, tmp_path):
    soffice = require("libreoffice-writer-nogui", "soffice", "libreoffice")
    _writer_present(soffice)
    r = convert_to_pdf(soffice, long_docx, tmp_path)
    pdf = tmp_path / "长表.pdf"
    assert r.returncode == 0 and pdf.exists(), r.stderr
    height = pdf_text.page_sizes(pdf)[0][1]
    pages = [[w.text for w in page if 0 <= w.y0 and w.y1 <= height] for page in pdf_text.words(pdf)]
    texts = [re.sub(r"\s+", "", text) for text in pdf_text.page_texts(pdf)]
    table = [words for words, text in zip(pages, texts, strict=True) if re.search(r"第\d+项产出", text)]
    assert len(table) >= 3
    for page in table:
        assert "一级指标" in page and "二级指标" in page  # the head
        assert "产出" in page and "产出数量" in page, page[:12]  # the names of the group going on


def test_long_amounts_print_on_one_line(tmp_path):
    report = load_seed("002")
    out = tmp_path / "大.docx"
    report.funds.sources[0].spent = report.funds.sources[0].initial = Decimal("999999999.99")
    export_docx(report, out)
    cell = WordDocument(out).tables[2].rows[1].cells[1]
    assert cell.text == "999999999.99"
    assert cell.paragraphs[0].runs[0].font.size.pt < 10.5  # smaller, so it does not wrap


def test_cli_writes_it_and_refuses_an_unwritable_path(cli, tmp_path):
    out = tmp_path / "报告.docx"
    r = cli("export", str(SEEDS["000"]), "--docx", str(out))
    assert r.returncode == 0, r.stderr
    assert WordDocument(out).paragraphs
    before = out.read_bytes()

    def small_files():  # the disk "fills up" while the file is written
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    r = cli("export", str(SEEDS["002"]), "--docx", str(out), preexec_fn=small_files)
    assert r.returncode == 3 and "无法写入" in r.stderr and "Traceback" not in r.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]  # no temporary file left
    r = cli("export", str(SEEDS["000"]), "--docx", str(tmp_path / "没有" / "报告.docx"))
    assert r.returncode == 3 and "无法写入" in r.stderr
    r = cli("export", str(SEEDS["000"]), "--docx", str(tmp_path))  # a folder, not a file
    assert r.returncode == 3 and "Traceback" not in r.stderr


def test_export_word_from_the_window_menu(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QAction

    target = tmp_path / "窗口导出.docx"
    monkeypatch.setattr("gui.file_actions.ask_save", lambda *args: target)  # the file dialog's answer
    window.doc.insert(("narrative",), 0, Section(title="前言", text="总得分{总得分}分。"), "添加")
    action = window.findChild(QAction, "export_docx")
    assert action.text() == "导出 Word…"
    action.trigger()
    qtbot.waitUntil(lambda: window.last_export == target, timeout=20000)
    doc = WordDocument(target)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "前言"
    total = window.doc.totals.score
    assert any(p.text == f"总得分{total:.2f}分。" for p in doc.paragraphs)
    assert any(v.reason == "export" for v in window.session.file.versions())


def _writer_present(soffice: str) -> None:
    """LibreOffice without Writer (libreoffice-calc-nogui alone) cannot load a .docx."""
    program = Path(soffice).resolve().parent
    if any(program.glob("libswlo.so")) or any(program.glob("swlo.dll")):
        return
    message = "LibreOffice Writer is not installed (Debian package: libreoffice-writer-nogui)"
    if REQUIRED:
        pytest.fail(f"{message}, and JXZP_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)


def test_libreoffice_converts_it_to_pdf(seed002_docx, tmp_path):
    soffice = require("libreoffice-writer-nogui", "soffice", "libreoffice")
    _writer_present(soffice)
    r = convert_to_pdf(soffice, seed002_docx, tmp_path)
    pdf = tmp_path / "报告.pdf"
    assert r.returncode == 0 and pdf.exists(), r.stderr
    sizes = pdf_text.page_sizes(pdf)
    assert len(sizes) >= 6 and all(pdf_text.is_a4(size) for size in sizes)
    compact = pdf_text.compact(pdf)
    for figure in ("一、基本情况", "668.40", "100.00%", "98.74", "评价等级：优", "—1—"):
        assert figure in compact, figure
    # the cover, the 评价小组 page and the 目录 carry no number; the body counts from 1
    pages = pdf_text.page_texts(pdf)
    assert "—" not in pages[0]
    contents = re.sub(r"\s+", "", pages[2])
    assert contents.startswith("目录") and "一、基本情况" in contents and "（一）项目概况" in contents
    assert "—" not in contents


def test_an_amount_not_given_prints_blank_not_zero(tmp_path):
    from core.model.model import Balance

    report = load_seed("002")
    report.funds.balance = Balance(opening=None, income=Decimal("668.40"), spent=Decimal("668.40"), closing=None)
    out = tmp_path / "结转.docx"
    export_docx(report, out)
    table = WordDocument(out).tables[3]  # 结转结余, after the fund table
    assert [c.text for c in table.rows[0].cells][:4] == ["上年结转结余", "本年收入", "本年支出", "年末结转结余"]
    assert [c.text for c in table.rows[1].cells][:4] == ["", "668.40", "668.40", ""]
