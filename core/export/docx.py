"""The narrative report as a Word file (.docx), for units that must hand in an editable report.

The same report as the PDF (core/export/pdf.py), laid out after GB/T 9704-2012 the way Word does
it: A4 with the 公文 margins (top 37 mm, left 28 mm, text block 156 × 225 mm), body 仿宋_GB2312
3号 on a 28.9 pt line, the 公文 levels 一、 and （一） as Word's own 标题 1 / 标题 2 (黑体, 楷体_GB2312),
tables as Word tables (merged 一级/二级 cells, header rows repeated on each page), page numbers
“— 1 —” in the footer from the first body page (a PAGE field; odd pages right, even pages left).
Cover, 评价小组 page and 目录 carry no number. The 目录 is Word's own (a TOC field over 标题 1-2),
filled with the headings' titles; Word asks on opening to update it, which adds the page numbers
of its layout.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt

from core.export import docx_pages, word
from core.export.forms.common import month_text
from core.export.rows import indicator_rows, leaf_detail, score_text
from core.model.model import FUND_COLUMNS, Report, walk_sections
from core.model.numbers import fmt2, fmt_rate
from core.rules.placeholders import fill
from core.rules.scoring import actual_text, target_text
from core.rules.summary import score_notes
from core.rules.totals import Totals, compute_totals
from core.store.fileutil import write_atomic

TABLE_REFERENCE = re.compile(r"评分表|附表")
BODY_W = 156  # mm
HEAD_FILL, TOTAL_FILL = "F2F2F2", "EEEEEE"
CELL_MARGIN = word.CELL_MARGIN
SEPARATOR_PT = 1  # the paragraph between two pages' tables (Word joins two tables with none between)


def _rate(rate, *inputs) -> str:
    """A rate as printed: 无 when its base is 0, blank when a figure it needs is not given."""
    return "" if any(x is None for x in inputs) else fmt_rate(rate)


class _Builder:
    def __init__(self, report: Report, totals: Totals):
        self.report = report
        self.totals = totals
        self.warnings: list[str] = []
        self.measure: docx_pages.Measure | None = None  # the PDF's fonts, loaded for the first table
        self.doc = WordDocument()
        self._style_ids: dict[str, str | None] = {}  # paragraph style name → id (None: the default)
        word.make_styles(self.doc)
        self._page_setup(self.doc.sections[0])
        # python-docx's template starts with one empty paragraph: none in ours
        for paragraph in list(self.doc.paragraphs):
            paragraph._p.getparent().remove(paragraph._p)

    @staticmethod
    def _page_setup(section) -> None:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.left_margin = Mm(37), Mm(28)
        section.right_margin = Mm(210 - 28 - BODY_W)
        section.bottom_margin = Mm(297 - 37 - 225)
        # the page number's line 7 mm below the text block (GB/T 9704 7.5)
        section.footer_distance = Mm(297 - 37 - 225 - 7) - Pt(word.PAGE_NO_SIZE)
        section.header_distance = Mm(15)

    # paragraphs
    def style(self, paragraph, name: str) -> None:
        """Give ``paragraph`` the paragraph style ``name``, as python-docx's ``paragraph.style =
        name`` does, but looking the name up once per document: python-docx scans every style for
        the default on each assignment (4 ms, most of a 500-leaf export's time)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        paragraph._p.style = self._style_ids[name]

    def para(self, text: str = "", style: str = "Normal", align=None):
        paragraph = self.doc.add_paragraph(text)
        self.style(paragraph, style)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def filled(self, text: str) -> str:
        return fill(text, self.report, self.totals, self.warnings)

    def gap(self, mm: float) -> None:
        """Vertical room (before the cover's title, for the stamp)."""
        paragraph = self.para(style="正文无缩进")
        paragraph.paragraph_format.line_spacing = Mm(mm)

    # tables
    def table(self, rows: int, widths_mm: list[float], style: str | None = "Table Grid"):
        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        if style:
            table.style = self.doc.styles[style]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        word.cell_margins(table, CELL_MARGIN)
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
        return table

    def put(self, cell, text: str, style: str = "表格文字", align=None) -> None:
        """Text into a cell, a paragraph per line."""
        lines = (text or "").split("\n")
        first = cell.paragraphs[0]
        self.style(first, style)
        first.add_run(lines[0])
        for line in lines[1:]:
            self.style(cell.add_paragraph(line), style)
        for paragraph in cell.paragraphs:
            if align is not None:
                paragraph.alignment = align
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def figure(self, cell, text: str, width_mm: float) -> None:
        """A figure right-aligned on one line, smaller when a long 元 amount needs it."""
        self.put(cell, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        size = word.figure_size(text, width_mm - 2 * CELL_MARGIN)
        if size < word.TABLE_SIZE:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(size)

    def header_row(self, table, head: list[str]) -> None:
        row = table.rows[0]
        for cell, text in zip(row.cells, head, strict=True):
            word.shade(cell, HEAD_FILL)
            self.put(cell, text, "表头")
        word.repeat_as_header(row)
        word.keep_row_whole(row)

    # parts
    def cover(self) -> None:
        p = self.report.project
        self.gap(40)
        if p.name:
            self.para(p.name, "Title")
        title = self.para("项目支出绩效自评报告", "Title")
        for run in title.runs:
            run.font.size = Pt(26)
        self.para(f"（{p.year}年度）" if p.year else "（　　年度）", "正文无缩进", WD_ALIGN_PARAGRAPH.CENTER)
        self.gap(45)
        rows = [
            ("部门名称（公章）：", p.department),
            ("项目单位：", p.implementing_unit),
            ("主管部门：", p.supervisor),
            ("项目名称：", p.name),
            ("绩效自评日期：", month_text(p.evaluation_date) or "　　年　　月"),
        ]
        table = self.table(len(rows), [58, 98], style=None)
        word.no_borders(table)
        for row, (label, value) in zip(table.rows, rows, strict=True):
            self.put(row.cells[0], label, "正文无缩进", WD_ALIGN_PARAGRAPH.RIGHT)
            self.put(row.cells[1], value, "正文无缩进")
            word.underline_cell(row.cells[1])
        self.para(style="正文无缩进").add_run().add_break(WD_BREAK.PAGE)

    def team(self) -> None:
        self.para("评价小组成员", "Title")
        head = ["机构职位", "姓名", "职务/职称", "所属单位/处室", "签字"]  # as in the published reports
        members = self.report.team
        table = self.table(1 + len(members), [22, 24, 26, 54, 30])
        self.header_row(table, head)
        center = WD_ALIGN_PARAGRAPH.CENTER
        for row, m in zip(table.rows[1:], members, strict=True):
            row.height = Mm(12)
            cells = row.cells
            self.put(cells[0], m.role, align=center)
            self.put(cells[1], m.name, align=center)
            self.put(cells[2], m.title, align=center)
            self.put(cells[3], m.unit)
            self.put(cells[4], "")
        p = self.report.project
        self.para()
        self.para(f"报告撰写人（签字）：{p.author}", "正文无缩进")
        self.para("年　　月　　日", "正文无缩进", WD_ALIGN_PARAGRAPH.RIGHT)
        self.para(f"评价工作负责人（签字）：{p.evaluation_lead}", "正文无缩进")
        self.para("年　　月　　日", "正文无缩进", WD_ALIGN_PARAGRAPH.RIGHT)

    def contents(self) -> None:
        """The 目录 on a page of its own after the 评价小组 page, where the PDF has it (no page
        number): a TOC field, its lines put in once the headings are known (:meth:`toc_lines`)."""
        title = self.para("目　录", "Title")
        title.paragraph_format.page_break_before = True
        self.toc_at = self.para(style="正文无缩进")

    def toc_lines(self) -> None:
        """The 目录's field with the titles of the 标题 1 and 标题 2 headings as its result, so it
        is not empty before Word updates it (with the page numbers of Word's own layout)."""
        levels = {"Heading 1": 1, "Heading 2": 2}
        entries = [(levels[p.style.name], p.text) for p in self.doc.paragraphs if p.style.name in levels and p.text]
        word.table_of_contents(self.toc_at, entries)
        self.toc_at._p.getparent().remove(self.toc_at._p)
        word.update_fields_on_open(self.doc)

    def body_section(self) -> None:
        """The body starts on a new page, in a section of its own whose pages are numbered from 1."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page_setup(section)
        word.restart_page_numbers(section)
        self.doc.settings.odd_and_even_pages_header_footer = True
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),  # 单页码居右空一字
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),  # 双页码居左空一字
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = self.doc.styles["页码"]
            paragraph.alignment = align
            setattr(paragraph.paragraph_format, f"{side}_indent", Pt(word.PAGE_NO_SIZE))
            paragraph.add_run("— ")
            word.add_field(paragraph, "PAGE", "1")
            paragraph.add_run(" —")

    def narrative(self) -> None:
        p = self.report.project
        self.para(f"{p.name}项目支出绩效自评报告" if p.name else "项目支出绩效自评报告", "Title")
        placed = False
        for _path, section, depth in walk_sections(self.report.narrative):
            self.para(section.title, f"Heading {min(depth, 3)}")
            for line in self.filled(section.text).split("\n"):
                if line.strip():
                    self.para(line.strip())
            if not placed and (TABLE_REFERENCE.search(section.text) or TABLE_REFERENCE.search(section.title)):
                self.tables("表")
                placed = True
        if not placed:
            self.para("附表", "Heading 1")
            self.tables("附表")

    def tables(self, prefix: str) -> None:
        self.fund_table(f"{prefix}1")
        self.indicator_table(f"{prefix}2")

    def fund_table(self, label: str) -> None:
        unit = self.report.funds.unit
        ft = self.totals.funds
        self.para(f"{label}　项目资金情况（单位：{unit}）", "表格标题")
        sources = self.report.funds.sources
        rows = [(src.source, ft.rows[i]) for i, src in enumerate(sources)] + [("合计", ft.total)]
        widths = [24, 20, 20, 20, 20, 17, 17, 18]
        table = self.table(1 + len(rows), widths)
        self.header_row(table, list(FUND_COLUMNS.values()))
        for row, (name, fig) in zip(table.rows[1:], rows, strict=True):
            word.keep_row_whole(row)
            cells = row.cells
            self.put(cells[0], name)
            # a figure not given prints as a blank cell, never 0.00 (fmt2(None) is ""), and no
            # rate is printed from one
            texts = [fmt2(v) for v in (fig.initial, fig.adjusted, fig.received, fig.spent)] + [
                _rate(fig.execution_rate, fig.spent, fig.adjusted),
                _rate(fig.arrival_rate, fig.received, fig.adjusted),
                fmt2(fig.remaining),
            ]
            for cell, text, width in zip(cells[1:], texts, widths[1:], strict=True):
                self.figure(cell, text, width)
        for cell in table.rows[-1].cells:
            word.shade(cell, TOTAL_FILL)
        b = self.report.funds.balance
        if b is not None:
            self.para(f"结转结余（单位：{unit}）", "表格标题")
            table = self.table(2, [BODY_W / 5] * 5)
            self.header_row(table, ["上年结转结余", "本年收入", "本年支出", "年末结转结余", "按公式计算"])
            values = [b.opening, b.income, b.spent, b.closing, ft.balance_closing]
            for cell, value in zip(table.rows[1].cells, values, strict=True):
                self.figure(cell, fmt2(value), BODY_W / 5)

    def indicator_table(self, label: str) -> None:
        """绩效指标评分表 (or 绩效指标完成情况表): one Word table where it fits the page it starts on;
        else one table per printed page (core/export/docx_pages.py), each with the head row and its
        一级/二级 cells merged afresh, so every page starts with the names."""
        scored = self.report.scored
        rows = indicator_rows(self.report)
        if scored:
            head = ["一级指标", "二级指标", "三级指标", "指标解释及完成情况", "分值", "得分"]
            widths = [18, 20, 28, 58, 16, 16]
        else:
            head = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"]
            widths = [18, 20, 28, 22, 22, 46]
        subtotals = {x.index: x for x in self.totals.level1}
        # the table's rows in order: ("leaf", IndicatorRow) or ("sub", Level1) / ("total",) / ("grade",)
        plan: list[tuple] = []
        for i, row in enumerate(rows):
            plan.append(("leaf", row))
            last_of_group = i + 1 == len(rows) or rows[i + 1].level1_index != row.level1_index
            if scored and last_of_group:
                plan.append(("sub", subtotals[row.level1_index], row.level1))
        if scored:
            plan += [("total",), ("grade",)]
        name = "绩效指标评分表" if scored else "绩效指标完成情况表"
        caption = self.para(f"{label}　{name}", "表格标题")
        for part in self._pages(plan, head, widths, caption):
            self._indicator_piece(plan, part, head, widths)
        t = self.totals
        if scored:
            self.para()
            self.para(f"综合得分 {fmt2(t.capped_score)} 分，评价等级：{t.grade}。")
            for line in score_notes(self.report, t):
                self.para(line)

    def _texts(self, item: tuple) -> list[str]:
        """What the cells of a planned row hold (the 一级/二级 names on every row: the reckoning
        counts them where a name's cell is one row high)."""
        kind = item[0]
        if kind == "leaf":
            row = item[1]
            leaf = row.leaf
            names = [row.level1 if row.span1 == 1 else "", row.level2 if row.span2 == 1 else "", row.level3]
            if self.report.scored:
                return [*names, leaf_detail(leaf, self.filled), fmt2(leaf.weight), fmt2(leaf.score)]
            return [*names, target_text(leaf), actual_text(leaf), self.filled(leaf.deviation)]
        return ["总分", "", "", "", "", ""]

    def _pages(self, plan: list[tuple], head: list[str], widths: list[float], caption) -> list[list[int]]:
        """The plan's rows by printed page: one list when the table fits where it starts; else its
        first page's rows below the caption where half a page or more is left (less three body lines
        for the reckoning of where it starts), or from the top of a new page."""
        measure = self.measure = self.measure or docx_pages.Measure()
        heights = [measure.row(list(zip(self._texts(item), widths, strict=True))) for item in plan]
        head_height = measure.row(list(zip(head, widths, strict=True)))
        at = docx_pages.position(self.doc, measure)  # below the caption
        if at + head_height + sum(heights) <= docx_pages.PAGE - docx_pages.ROOM_AFTER:
            return [list(range(len(plan)))]
        room = docx_pages.PAGE * docx_pages.SAFETY - head_height
        first = room - at - docx_pages.ROOM_AFTER
        if first < docx_pages.PAGE / 2:
            caption.paragraph_format.page_break_before = True  # the table from the top of a page
            first = room - docx_pages.position(self.doc, measure)
        return docx_pages.pieces(heights, first, room - SEPARATOR_PT)

    def _indicator_piece(self, plan: list[tuple], part: list[int], head: list[str], widths: list[float]) -> None:
        """The table of one printed page: the head row, then the planned rows ``part``; a 一级/二级
        cell covers its group's rows on this page, and the first row names the group going on."""
        if part[0]:  # a table before it: this one starts a new page (a paragraph one point high)
            gap = self.para(style="正文无缩进")
            gap.paragraph_format.page_break_before = True
            gap.paragraph_format.line_spacing = Pt(SEPARATOR_PT)
        scored = self.report.scored
        table = self.table(1 + len(part), widths)
        self.header_row(table, head)
        last = part[-1]
        ends = _group_ends(plan)
        center = WD_ALIGN_PARAGRAPH.CENTER
        merges = []
        t = self.totals
        for r, i in enumerate(part, start=1):
            item = plan[i]
            cells = table.rows[r].cells
            kind = item[0]
            if kind == "leaf":
                row = item[1]
                leaf = row.leaf
                for c, (span, text) in enumerate(((row.span1, row.level1), (row.span2, row.level2))):
                    if span or r == 1:
                        self.put(cells[c], text, align=center)
                        merges.append((r, c, r + min(ends[c][i], last) - i, c))
                self.put(cells[2], row.level3)
                if scored:
                    self.put(cells[3], leaf_detail(leaf, self.filled))
                    self.figure(cells[4], fmt2(leaf.weight), widths[4])
                    self.figure(cells[5], score_text(leaf, t), widths[5])
                else:
                    self.put(cells[3], target_text(leaf), align=center)
                    self.put(cells[4], actual_text(leaf), align=center)
                    self.put(cells[5], self.filled(leaf.deviation))
                continue
            word.keep_row_whole(table.rows[r])
            if kind == "sub":
                sub, level1 = item[1], item[2]
                caption, weight, score = f"{level1} 小计", fmt2(sub.weight), fmt2(sub.score)
            elif kind == "total":
                caption, weight, score = "总分", fmt2(t.weight), fmt2(t.score)
            else:
                caption, weight, score = "评价等级", t.grade or "", None
            for cell in cells:
                word.shade(cell, TOTAL_FILL if kind == "sub" else HEAD_FILL)
            self.put(cells[0], caption, "表头")
            merges.append((r, 0, r, 3))
            if score is None:
                self.put(cells[4], weight, "表头")
                merges.append((r, 4, r, 5))
            else:
                self.figure(cells[4], weight, widths[4])
                self.figure(cells[5], score, widths[5])
        # merged last: a merge changes which cell objects a row hands out
        for r1, c1, r2, c2 in merges:
            if (r1, c1) != (r2, c2):
                table.cell(r1, c1).merge(table.cell(r2, c2))

    def closing(self) -> None:
        p = self.report.project
        blank = "　　　　　　"
        self.para()
        # the 填报人's own phone: never the project leader's beside an empty name
        self.para(f"填报人：{p.preparer or blank}　　联系电话：{p.preparer_phone or blank}", "正文无缩进")
        self.para(f"评价工作负责人（签字）：{p.evaluation_lead or blank}", "正文无缩进")
        self.gap(30)  # room for the stamp
        self.para(f"{p.department or '　　　　　　　　'}（公章）", "正文无缩进", WD_ALIGN_PARAGRAPH.RIGHT)
        date = month_text(p.report_date) if p.report_date else "　　年　　月　　日"
        self.para(date, "正文无缩进", WD_ALIGN_PARAGRAPH.RIGHT)

    def build(self) -> bytes:
        self.cover()
        self.team()
        self.contents()
        self.body_section()
        self.narrative()
        self.closing()
        self.toc_lines()
        p = self.report.project
        props = self.doc.core_properties
        props.title = f"{p.name}项目支出绩效自评报告"
        props.author = "绩效自评助手"
        props.subject = "项目支出绩效自评报告"
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _group_ends(plan: list[tuple]) -> tuple[dict[int, int], dict[int, int]]:
    """For each leaf row of the plan, the plan index of the last row of its 一级 and of its 二级
    group (the rows a merged name covers)."""
    ends: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for i, item in enumerate(plan):
        if item[0] != "leaf":
            continue
        for column, span in enumerate((item[1].span1, item[1].span2)):
            for k in range(i, i + span):
                ends[column][k] = i + span - 1
    return ends


def build_docx(report: Report, totals: Totals | None = None, warnings: list[str] | None = None) -> bytes:
    """The .docx file's bytes; what could not be printed as is goes to ``warnings``, once each."""
    builder = _Builder(report, totals or compute_totals(report))
    data = builder.build()
    if warnings is not None:
        warnings.extend(dict.fromkeys(builder.warnings))
    return data


def export_docx(report: Report, path: Path | str, totals: Totals | None = None) -> list[str]:
    """Write the Word report atomically (OutputError names the file). Returns warnings."""
    warnings: list[str] = []
    data = build_docx(report, totals, warnings)
    write_atomic(path, lambda tmp: tmp.write_bytes(data))
    return warnings
