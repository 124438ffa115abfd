"""The PDF report, ready to print, sign and stamp, laid out after GB/T 9704-2012.

A4; top margin 37 mm, left 28 mm, text block 156 × 225 mm; title 2号 (22 pt); body 3号 (16 pt)
仿宋 with 22 lines to the text block; 一、 headings in 黑体, （一） in 楷体; page numbers “— 1 —” in
4号 below the text block (odd pages right, even pages left). The cover, the 评价小组 page and the
目录 carry no page number; the 目录 gives the real numbers of the body pages.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from core.export.fonts import FontSet, load_fonts
from core.export.forms import default_forms, matching_form
from core.export.forms.build import build_form
from core.export.forms.common import fund_lines, month_text
from core.export.forms.render_pdf import TEMPLATES as FORM_TEMPLATES
from core.export.forms.render_pdf import FormTable, form_story, form_templates, pieces_of
from core.export.linebreak import CJKParagraph
from core.export.rows import indicator_rows, leaf_detail, score_text
from core.model.limits import PRINTED_NAME_CHARS
from core.model.model import FUND_COLUMNS, Report, walk_sections
from core.model.numbers import fmt2, fmt_rate, ratio_percent
from core.rules.placeholders import fill
from core.rules.scoring import actual_text, target_text
from core.rules.summary import score_notes
from core.rules.totals import Totals, compute_totals
from core.store.fileutil import write_atomic

# The PDF's streams are written compressed and binary, not also ASCII85-encoded (reportlab's
# default, done in pure Python here): a 40-page report 10% less CPU, the file 4% smaller.
rl_config.useA85 = 0

PAGE_W, PAGE_H = 210 * mm, 297 * mm
TOP, LEFT = 37 * mm, 28 * mm
BODY_W, BODY_H = 156 * mm, 225 * mm
BOTTOM = PAGE_H - TOP - BODY_H  # 35 mm
LEADING = BODY_H / 22  # 22 lines of 3号 text to the text block (about 28.9 pt)
BODY_SIZE = 16  # 3号
TITLE_SIZE = 22  # 2号
PAGE_NO_SIZE = 14  # 4号
TABLE_SIZE = 10.5  # 5号
FIGURE_SIZE = 9  # the fund table's figures: 元 amounts up to 999999999.99 fit their columns
TABLE_REFERENCE = re.compile(r"评分表|附表")


class _BodyStart(Flowable):
    """Marks the first body page: page numbers count from here."""

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        doc = self.canv._doctemplate
        if doc.body_start is None:
            doc.body_start = self.canv.getPageNumber()


class _Contents(TableOfContents):
    """The 目录 laid out in one pass. Its titles are known before layout (the headings of the
    story); each page number is a PDF form XObject named after the entry, drawn here before the
    document defines it when it places that heading (_ReportDoc.afterFlowable): PDF lets a page
    use a form defined later. So the report is laid out once, not twice as reportlab's
    multiBuild does for a table of contents (issue 19)."""

    #: The room kept for a page number, right-aligned in it; the dot leader stops before it.
    ROOM = "000"

    def set_entries(self, entries: list[tuple[int, str]]) -> None:
        self.levels = [level for level, _text in entries]
        self._lastEntries = [(level, text, i, None) for i, (level, text) in enumerate(entries)]

    def beforeBuild(self):  # reportlab hook: the entries are set once, not gathered per pass
        pass

    def isSatisfied(self):
        return True

    def notify(self, kind, stuff):
        pass

    def wrap(self, availWidth, availHeight):
        size = super().wrap(availWidth, availHeight)
        self.avail = availWidth
        self.canv.setNamedCB("drawTOCEntryEnd", self._entry_end)  # in place of reportlab's
        return size

    def _entry_end(self, canvas, _kind, label):
        index, level = (int(x) for x in label.split(",")[:2])
        style = self.getLevelStyle(level)
        x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
        room = pdfmetrics.stringWidth(self.ROOM, style.fontName, style.fontSize)
        dot = " . "
        dot_w = pdfmetrics.stringWidth(dot, style.fontName, style.fontSize)
        count = max(0, int((self.avail - x - room) / dot_w))
        text = canvas.beginText(self.avail - room - count * dot_w, y)
        text.setFont(style.fontName, style.fontSize)
        text.textLine(dot * count)
        canvas.drawText(text)
        canvas.saveState()
        canvas.translate(self.avail, y)
        canvas.doForm(_page_form(index))
        canvas.restoreState()

    def define_page(self, canvas, index: int, page: int | str) -> None:
        """The form that prints entry ``index``'s page number, right-aligned at its origin."""
        style = self.getLevelStyle(self.levels[index] if index < len(self.levels) else 0)
        canvas.beginForm(_page_form(index), lowerx=-200, lowery=-50, upperx=50, uppery=100)
        canvas.setFont(style.fontName, style.fontSize)
        canvas.drawRightString(0, 0, str(page))
        canvas.endForm()


def _page_form(index: int) -> str:
    return f"jxzp-toc-{index}"


class _ReportDoc(BaseDocTemplate):
    def __init__(self, target, fonts: FontSet, title: str):
        super().__init__(
            target,
            pagesize=(PAGE_W, PAGE_H),
            leftMargin=LEFT,
            rightMargin=PAGE_W - LEFT - BODY_W,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=title,
            author="绩效自评助手",
            creator="绩效自评助手",
            subject="项目支出绩效自评报告",
            initialFontName=fonts.roles["song"].name,
            initialFontSize=TABLE_SIZE,
        )
        self.fonts = fonts
        self.body_start: int | None = None
        self.contents: _Contents | None = None  # the narrative's 目录, when it has one
        self.placed = 0
        frame = Frame(
            LEFT, BOTTOM, BODY_W, BODY_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body"
        )
        self.addPageTemplates(
            [
                PageTemplate("front", [frame]),
                # Numbered when the page is finished: the first body page learns it is page 1 only
                # once its first flowable has been drawn.
                PageTemplate("body", [frame], onPageEnd=self._page_number),
                *form_templates(),  # the printed forms, attached or on their own
            ]
        )

    def handle_documentBegin(self):  # reportlab hook
        self.body_start = None
        self.placed = 0  # headings placed so far: the 目录 entry whose page is known next
        super().handle_documentBegin()

    def display_page(self) -> int:
        return self.page - (self.body_start or 1) + 1

    def _page_number(self, canvas, doc):
        n = self.display_page()
        text = f"— {n} —"
        canvas.saveState()
        canvas.setFont(self.fonts.roles["song"].name, PAGE_NO_SIZE)
        y = BOTTOM - 7 * mm - PAGE_NO_SIZE * 0.8
        if n % 2:  # 单页码居右空一字，双页码居左空一字
            canvas.drawRightString(LEFT + BODY_W - PAGE_NO_SIZE, y, text)
        else:
            canvas.drawString(LEFT + PAGE_NO_SIZE, y, text)
        canvas.restoreState()

    def afterFlowable(self, flowable):  # reportlab hook
        if getattr(flowable, "toc_level", None) is not None and self.contents is not None:
            self.contents.define_page(self.canv, self.placed, self.display_page())
            self.placed += 1

    def _endBuild(self):  # reportlab hook: every page number the 目录 used must exist
        if self.contents is not None:
            for index in range(self.placed, len(self.contents.levels)):
                self.contents.define_page(self.canv, index, "")
        super()._endBuild()


class _Styles:
    def __init__(self, fonts: FontSet):
        r = fonts.roles
        base = {"wordWrap": "CJK", "leading": LEADING, "fontSize": BODY_SIZE}
        self.body = ParagraphStyle(
            "body", fontName=r["fangsong"].name, alignment=TA_JUSTIFY, firstLineIndent=2 * BODY_SIZE, **base
        )
        self.body_continued = ParagraphStyle("body_continued", parent=self.body, firstLineIndent=0)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=r["hei"].name, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=r["kai"].name, keepWithNext=1)
        self.h3 = ParagraphStyle("h3", parent=self.body, keepWithNext=1)
        self.title = ParagraphStyle(
            "title",
            fontName=r["title"].name,
            fontSize=TITLE_SIZE,
            leading=TITLE_SIZE * 1.5,
            alignment=TA_CENTER,
            wordWrap="CJK",
            spaceAfter=LEADING / 2,
        )
        self.cover_title = ParagraphStyle("cover_title", parent=self.title, fontSize=26, leading=40)
        self.center = ParagraphStyle("center", parent=self.body, alignment=TA_CENTER, firstLineIndent=0)
        self.plain = ParagraphStyle("plain", parent=self.body, alignment=TA_LEFT, firstLineIndent=0)
        self.right = ParagraphStyle("right", parent=self.plain, alignment=TA_RIGHT)
        self.cell = ParagraphStyle(
            "cell",
            fontName=r["song"].name,
            fontSize=TABLE_SIZE,
            leading=TABLE_SIZE * 1.4,
            wordWrap="CJK",
            alignment=TA_LEFT,
        )
        self.cell_center = ParagraphStyle("cell_center", parent=self.cell, alignment=TA_CENTER)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=r["hei"].name, alignment=TA_CENTER)
        self.caption = ParagraphStyle("caption", parent=self.center, fontName=r["hei"].name, fontSize=14, leading=22)


class _Builder:
    def __init__(self, report: Report, totals: Totals, fonts: FontSet):
        self.report = report
        self.totals = totals
        self.fonts = fonts
        self.s = _Styles(fonts)
        self.story: list = []
        #: What could not be printed as is (a name cut in a narrow cell, a text cut after its
        #: placeholders were filled): said by export_pdf, never a LayoutError.
        self.warnings: list[str] = []
        #: Whether the matching form is attached after the closing, in place of the 附表 tables
        #: (when the text does not place the tables itself).
        self.attach = False

    # text helpers
    def para(self, text: str, style: ParagraphStyle, role: str | None = None) -> CJKParagraph:
        role = role or _role_of(style, self.fonts)
        return CJKParagraph(self.fonts.markup(text, role), style)

    def cell(self, text: str, style: ParagraphStyle | None = None) -> CJKParagraph:
        style = style or self.s.cell
        return CJKParagraph(self.fonts.markup(text or "", _role_of(style, self.fonts)), style)

    def filled(self, text: str) -> str:
        return fill(text, self.report, self.totals, self.warnings)

    def name(self, text: str, label: str) -> str:
        """A name as a narrow table cell can hold it: cut at PRINTED_NAME_CHARS (check P02)."""
        if len(text) <= PRINTED_NAME_CHARS:
            return text
        self.warnings.append(f"{label}“{text[:20]}…”过长，PDF 表格中只印出前 {PRINTED_NAME_CHARS} 字")
        return text[: PRINTED_NAME_CHARS - 1] + "…"

    # parts
    def cover(self) -> None:
        p = self.report.project
        s = self.s
        self.story += [Spacer(1, 40 * mm)]
        if p.name:
            self.story.append(self.para(p.name, s.title))
        self.story += [
            self.para("项目支出绩效自评报告", s.cover_title),
            self.para(f"（{p.year}年度）" if p.year else "（　　年度）", s.center),
            Spacer(1, 45 * mm),
        ]
        rows = [
            ("部门名称（公章）：", self.name(p.department, "部门名称")),
            ("项目单位：", self.name(p.implementing_unit, "项目单位")),
            ("主管部门：", self.name(p.supervisor, "主管部门")),
            ("项目名称：", self.name(p.name, "项目名称")),
            ("绩效自评日期：", month_text(p.evaluation_date) or "　　年　　月"),
        ]
        data = [[self.para(k, s.right), self.para(v, s.plain)] for k, v in rows]
        table = Table(data, colWidths=[58 * mm, 98 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), s.cell.fontName),
                    ("LINEBELOW", (1, 0), (1, -1), 0.5, "black"),
                ]
            )
        )
        self.story += [table, PageBreak()]

    def team(self) -> None:
        s = self.s
        self.story.append(self.para("评价小组成员", s.title))
        head = ["机构职位", "姓名", "职务/职称", "所属单位/处室", "签字"]  # as in the published reports
        data = [[self.cell(h, s.cell_head) for h in head]]
        for m in self.report.team:
            data.append(
                [
                    self.cell(self.name(m.role, "角色"), s.cell_center),
                    self.cell(self.name(m.name, "姓名"), s.cell_center),
                    self.cell(self.name(m.title, "职务/职称"), s.cell_center),
                    self.cell(self.name(m.unit, "所属单位/处室")),
                    "",
                ]
            )
        widths = [22 * mm, 24 * mm, 26 * mm, 54 * mm, 30 * mm]
        table = Table(data, colWidths=widths, repeatRows=1, rowHeights=[None] + [12 * mm] * len(self.report.team))
        table.setStyle(_grid(self.s.cell.fontName))
        p = self.report.project
        self.story += [
            table,
            Spacer(1, 12 * mm),
            self.para(f"报告撰写人（签字）：{p.author}", s.plain),
            self.para("年　　月　　日", s.right),
            Spacer(1, 6 * mm),
            self.para(f"评价工作负责人（签字）：{p.evaluation_lead}", s.plain),
            self.para("年　　月　　日", s.right),
            PageBreak(),
        ]

    def contents(self) -> None:
        s = self.s
        toc = self.toc = _Contents(dotsMinLevel=0)
        toc.tableStyle = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), s.plain.fontName),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        toc.levelStyles = [
            ParagraphStyle("toc1", parent=s.plain, fontName=self.fonts.roles["hei"].name, leading=LEADING),
            ParagraphStyle("toc2", parent=s.plain, leftIndent=2 * BODY_SIZE, leading=LEADING),
            ParagraphStyle("toc3", parent=s.plain, leftIndent=4 * BODY_SIZE, leading=LEADING),
        ]
        self.story += [self.para("目　录", s.title), toc, NextPageTemplate("body"), PageBreak(), _BodyStart()]

    def narrative(self) -> None:
        s = self.s
        p = self.report.project
        title = f"{p.name}项目支出绩效自评报告" if p.name else "项目支出绩效自评报告"
        self.story.append(self.para(title, s.title))
        placed = False
        for _path, section, depth in walk_sections(self.report.narrative):
            style = (s.h1, s.h2, s.h3)[min(depth, 3) - 1]
            heading = self.para(section.title, style)
            heading.toc_level = min(depth, 3) - 1
            heading.toc_text = self.fonts.markup(section.title, "hei" if depth == 1 else "fangsong")
            self.story.append(heading)
            text = self.filled(section.text)
            for line in text.split("\n"):
                if line.strip():
                    first, *rest = _sentences(line.strip())
                    self.story.append(self.para(first, s.body))
                    self.story += [self.para(piece, s.body_continued) for piece in rest]
            if not placed and (TABLE_REFERENCE.search(section.text) or TABLE_REFERENCE.search(section.title)):
                self.tables("表")
                placed = True
        self.attach = not placed

    def tables(self, prefix: str) -> None:
        self.fund_table(f"{prefix}1")
        self.indicator_table(f"{prefix}2")

    def fund_table(self, label: str) -> None:
        s = self.s
        unit = self.report.funds.unit
        ft = self.totals.funds
        head = list(FUND_COLUMNS.values())
        data = [[self.cell(h, s.cell_head) for h in head]]
        # by source then 合计; an amount not given stays blank, and nothing is derived from it
        lines = fund_lines(self.report, self.totals, first_prefix="")
        for line in lines[1:] + lines[:1]:
            given = line.received is not None
            arrival = ratio_percent(line.received, line.adjusted) if given else None
            remaining = line.received - line.spent if given and line.spent is not None else None
            name = "合计" if line.total else self.name(line.label, "资金来源")
            # figures as plain strings: set whole at FIGURE_SIZE, never wrapped inside a number
            data.append(
                [self.cell(name)]
                + [fmt2(v) for v in (line.initial, line.adjusted, line.received, line.spent)]
                + [fmt_rate(line.execution_rate, ""), fmt_rate(arrival, ""), fmt2(remaining)]
            )
        # wide enough for −999999999.99 at FIGURE_SIZE (元 tables) within the 156 mm text block
        widths = [21.5 * mm] + [21.5 * mm] * 4 + [13.5 * mm] * 2 + [21.5 * mm]
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
        style = _grid(self.s.cell.fontName)
        style.add("FONTSIZE", (1, 1), (-1, -1), FIGURE_SIZE)
        style.add("ALIGN", (1, 1), (-1, -1), "RIGHT")
        style.add("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), "#EEEEEE")
        table.setStyle(style)
        self.story += [
            Spacer(1, LEADING / 2),
            KeepTogether([self.para(f"{label}　项目资金情况（单位：{unit}）", s.caption), table]),
        ]
        b = self.report.funds.balance
        if b is not None:
            head = ["上年结转结余", "本年收入", "本年支出", "年末结转结余", "按公式计算"]
            values = [b.opening, b.income, b.spent, b.closing, ft.balance_closing]
            data = [[self.cell(h, s.cell_head) for h in head], [self.cell(fmt2(v), s.cell_right) for v in values]]
            table = Table(data, colWidths=[BODY_W / 5] * 5)
            table.setStyle(_grid(self.s.cell.fontName))
            self.story += [Spacer(1, 4 * mm), KeepTogether([self.para(f"结转结余（单位：{unit}）", s.caption), table])]

    def indicator_table(self, label: str) -> None:
        """绩效指标评分表 (scored templates: 指标解释及完成情况, 分值, 得分, 一级 小计, 总分, 评价等级) or
        绩效指标完成情况表 (转移支付), with its caption and, when scored, the 综合得分 line."""
        s = self.s
        scored = self.report.scored
        rows = indicator_rows(self.report)
        head, widths = _INDICATOR_COLUMNS[scored]
        data = [[self.cell(h, s.cell_head) for h in head]]
        commands = _grid(self.s.cell.fontName)
        subtotals = {x.index: x for x in self.totals.level1}
        carry: dict[int, dict[int, Callable[[], object]]] = {}  # the names a new page starts with
        for i, row in enumerate(rows):
            for k, cells in enumerate(self._leaf_rows(row)):
                data.append(cells)
                _join_group_cells(commands, len(data) - 1, row, k, detail_col=3 if scored else 5)
                carry[len(data) - 1] = self._names_again(row, k)
            last_of_group = i + 1 == len(rows) or rows[i + 1].level1_index != row.level1_index
            if scored and last_of_group:
                sub = subtotals[row.level1_index]
                data.append(self._sum_row(f"{self.name(row.level1, '一级指标')} 小计", sub.weight, sub.score))
                commands.add("SPAN", (0, len(data) - 1), (3, len(data) - 1))
                commands.add("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), "#EEEEEE")
        if scored:
            t = self.totals
            data.append(self._sum_row("总分", t.weight, t.score))
            commands.add("SPAN", (0, len(data) - 1), (3, len(data) - 1))
            data.append([self.cell("评价等级", s.cell_head), "", "", "", self.cell(t.grade or "", s.cell_head), ""])
            commands.add("SPAN", (0, len(data) - 1), (3, len(data) - 1))
            commands.add("SPAN", (4, len(data) - 1), (5, len(data) - 1))
        table = FormTable(data, colWidths=widths, repeatRows=1, carry={r: v for r, v in carry.items() if v})
        table.setStyle(commands)
        name = "绩效指标评分表" if scored else "绩效指标完成情况表"
        self.story += [CondPageBreak(50 * mm), Spacer(1, LEADING / 2), self.para(f"{label}　{name}", s.caption), table]
        if scored:
            self.story.append(Spacer(1, 4 * mm))
            self.story.append(
                self.para(f"综合得分 {fmt2(self.totals.capped_score)} 分，评价等级：{self.totals.grade}。", s.body)
            )
            self.story += [self.para(line, s.body) for line in score_notes(self.report, self.totals)]

    def _names_again(self, row, k: int) -> dict[int, Callable[[], object]]:
        """The names row ``k`` of a leaf leaves blank (its group's or leaf's first row has them),
        to print when a page begins with it."""
        s = self.s
        again = {}
        if not row.span1 or k:
            again[0] = partial(self.cell, self.name(row.level1, "一级指标"), s.cell_center)
        if not row.span2 or k:
            again[1] = partial(self.cell, self.name(row.level2, "二级指标"), s.cell_center)
        if k:
            again[2] = partial(self.cell, self.name(row.level3, "三级指标"))
        return again

    def _leaf_rows(self, row) -> list[list]:
        """One leaf's table rows: the first with its names and figures, then one more for each
        piece of a text too long for one row (a cell may not be taller than a page)."""
        s = self.s
        leaf = row.leaf
        first = [
            self.cell(self.name(row.level1, "一级指标") if row.span1 else "", s.cell_center),
            self.cell(self.name(row.level2, "二级指标") if row.span2 else "", s.cell_center),
            self.cell(self.name(row.level3, "三级指标")),
        ]
        if not self.report.scored:
            pieces = _chunks(self.filled(leaf.deviation))
            target, actual = self.cell(target_text(leaf), s.cell_center), self.cell(actual_text(leaf), s.cell_center)
            rows = [[*first, target, actual, self._multiline(pieces[0])]]
            return rows + [["", "", "", "", "", self._multiline(piece)] for piece in pieces[1:]]
        pieces = _chunks(leaf_detail(leaf, self.filled))
        figures = [self.cell(fmt2(leaf.weight), s.cell_right), self.cell(score_text(leaf, self.totals), s.cell_right)]
        rows = [[*first, self._multiline(pieces[0]), *figures]]
        return rows + [["", "", "", self._multiline(piece), "", ""] for piece in pieces[1:]]

    def _sum_row(self, label: str, weight, score) -> list:
        s = self.s
        return [
            self.cell(label, s.cell_head),
            "",
            "",
            "",
            self.cell(fmt2(weight), s.cell_right),
            self.cell(fmt2(score), s.cell_right),
        ]

    def _multiline(self, text: str) -> CJKParagraph:
        parts = [self.fonts.markup(line, "song") for line in text.split("\n")]
        return CJKParagraph("<br/>".join(parts), self.s.cell)

    def closing(self) -> None:
        s = self.s
        p = self.report.project
        blank = "　　　　　　"
        block = [
            Spacer(1, LEADING),
            # the 填报人's own phone: never the project's beside an empty 填报人
            self.para(f"填报人：{p.preparer or blank}　　联系电话：{p.preparer_phone or blank}", s.plain),
            self.para(f"评价工作负责人（签字）：{p.evaluation_lead or '　　　　　　'}", s.plain),
            Spacer(1, 30 * mm),  # room for the stamp
            self.para(f"{p.department or '　　　　　　　　'}（公章）", s.right),
            self.para(month_text(p.report_date) if p.report_date else "　　年　　月　　日", s.right),
        ]
        self.story.append(KeepTogether(block))

    def build(self) -> list:
        self.cover()
        self.story.insert(0, NextPageTemplate("front"))
        self.team()
        self.contents()
        self.narrative()
        self.closing()
        if self.attach:
            self.attached_form()
        self.toc.set_entries([(f.toc_level, f.toc_text) for f in self.story if hasattr(f, "toc_level")])
        return self.story

    def attached_form(self) -> None:
        """The matching form on its own page(s), headed 附表, in place of today's tables."""
        form = build_form(matching_form(self.report), self.report, self.totals, self.warnings)
        heading = self.para("附表", self.s.h1)
        heading.toc_level, heading.toc_text = 0, "附表"
        self.story += [NextPageTemplate(FORM_TEMPLATES[form.landscape]), PageBreak(), heading]
        self.story += form_story(form, self.fonts)


def has_narrative(report: Report) -> bool:
    """Whether the report has any narrative text to print (titles alone are the empty outline)."""
    return any(section.text.strip() for _path, section, _depth in walk_sections(report.narrative))


CELL_CHUNK = 360  # characters of a table cell per printed row: a row is never taller than a page


def _chunks(text: str) -> list[str]:
    """A long cell (偏差原因, 指标解释) cut into pieces that each fit on a page, at line ends where
    possible; each piece becomes a continuation row, so the table splits between pages cleanly."""
    return pieces_of(text, CELL_CHUNK)


PARAGRAPH_CHUNK = 2000  # characters of one printed paragraph: laying out a paragraph grows with its square


def _sentences(paragraph: str) -> list[str]:
    """A very long paragraph in pieces of at most PARAGRAPH_CHUNK characters, cut after a 。；！？
    where there is one, so a 100,000-character paragraph prints in seconds, not minutes (the pieces
    after the first are printed without an indent, as the paragraph's continuation)."""
    pieces = []
    while len(paragraph) > PARAGRAPH_CHUNK:
        head = paragraph[:PARAGRAPH_CHUNK]
        cut = max(head.rfind(mark) for mark in "。；！？") + 1
        if cut < PARAGRAPH_CHUNK // 2:
            cut = PARAGRAPH_CHUNK
        pieces.append(paragraph[:cut])
        paragraph = paragraph[cut:]
    return [*pieces, paragraph]


def _role_of(style: ParagraphStyle, fonts: FontSet) -> str:
    for role, face in fonts.roles.items():
        if face.name == style.fontName:
            return role
    return "song"


#: The indicator table's columns (head, widths) for scored templates and for 转移支付.
_INDICATOR_COLUMNS = {
    True: (
        ["一级指标", "二级指标", "三级指标", "指标解释及完成情况", "分值", "得分"],
        [18 * mm, 20 * mm, 28 * mm, 62 * mm, 14 * mm, 14 * mm],
    ),
    False: (
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"],
        [18 * mm, 20 * mm, 28 * mm, 22 * mm, 22 * mm, 46 * mm],
    ),
}


def _join_group_cells(commands: TableStyle, r: int, row, k: int, detail_col: int) -> None:
    """No rule between the rows of one 一级 / 二级 group, or between a long cell's pieces (row
    ``k`` of a leaf), in the columns where they are one cell on paper."""
    if not row.span1 or k:
        commands.add("LINEABOVE", (0, r), (0, r), 0, "white")
    if not row.span2 or k:
        commands.add("LINEABOVE", (1, r), (1, r), 0, "white")
    if k:
        for c in range(2, 6):
            if c != detail_col:
                commands.add("LINEABOVE", (c, r), (c, r), 0, "white")


def _grid(font: str) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),  # for empty cells too: no unembedded Helvetica
            ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
            ("GRID", (0, 0), (-1, -1), 0.6, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("BACKGROUND", (0, 0), (-1, 0), "#F2F2F2"),
        ]
    )


def build_pdf(
    report: Report, totals: Totals | None = None, warnings: list[str] | None = None, forms: list[str] | None = None
) -> bytes:
    """The PDF's bytes: the asked forms (names of FORMS, default the report's own) one after the
    other; ``narrative`` is the GB/T 9704 report with its form attached, or only that form when
    the report has no narrative text. What could not be printed as is goes to ``warnings``."""
    totals = totals or compute_totals(report)
    fonts = load_fonts()
    buffer = io.BytesIO()
    doc = _ReportDoc(buffer, fonts, f"{report.project.name}项目支出绩效自评报告")
    found: list[str] = []
    parts: list[tuple[str, list]] = []
    for name in forms or default_forms(report):
        if name == "narrative" and not has_narrative(report):
            name = matching_form(report)
        if name in (n for n, _ in parts):
            continue
        if name == "narrative":
            builder = _Builder(report, totals, fonts)
            parts.append((name, builder.build()))  # starts on its cover ("front")
            doc.contents = builder.toc
            found += builder.warnings
        else:
            form = build_form(name, report, totals, found)
            template = FORM_TEMPLATES[form.landscape]
            parts.append((name, [NextPageTemplate(template), *form_story(form, fonts)]))
    story: list = []
    for i, (_name, flowables) in enumerate(parts):
        first = flowables[0]
        if i:  # a new page in the next part's own template
            story += [first, PageBreak()]
            flowables = flowables[1:]
        story += flowables
    # the first page is drawn in the first part's template
    first_template = parts[0][1][0].action[1] if parts[0][0] != "narrative" else "front"
    doc.pageTemplates.sort(key=lambda t: t.id != first_template)
    doc.build(story)  # one pass: the 目录's page numbers are filled in as headings are placed
    if warnings is not None:
        warnings.extend(dict.fromkeys(found))
    return buffer.getvalue()


def export_pdf(
    report: Report, path: Path | str, totals: Totals | None = None, forms: list[str] | None = None
) -> list[str]:
    """Write the PDF (the asked forms, default the report's own) atomically. Returns warnings
    (characters no font can print)."""
    from core.export.glyphs import check_glyphs

    warnings = [f.message for f in check_glyphs(report)]
    data = build_pdf(report, totals, warnings, forms)
    write_atomic(path, lambda tmp: tmp.write_bytes(data))  # OutputError names the file, once
    return warnings
