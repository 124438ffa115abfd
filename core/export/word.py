"""Word (WordprocessingML) pieces python-docx has no call for: fonts named the way Chinese Word
reads them (w:eastAsia), the report's paragraph styles after GB/T 9704, the PAGE field, cell
shading, header rows repeated on each page. Used by core/export/docx.py.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

# The 公文 fonts by the names Word has for them on a Chinese Windows PC. 小标宋 is what 公文 titles
# are set in; a PC without it shows the title in a font Word substitutes, and the name stays, so the
# unit's own PC prints it right.
FANGSONG = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
TITLE_FONT = "方正小标宋简体"
LATIN = "Times New Roman"  # figures and Latin letters in 公文 body text

BODY_SIZE = 16  # 3号
TITLE_SIZE = 22  # 2号
PAGE_NO_SIZE = 14  # 4号
TABLE_SIZE = 10.5  # 5号
LINE = 28.9  # pt: 22 lines of 3号 to the 225 mm text block, as the PDF
CELL_MARGIN = 1.0  # mm, left and right of each table cell


def set_fonts(rpr_owner, east_asia: str, latin: str | None = None) -> None:
    """Name the fonts of a style or a run: w:eastAsia for the Chinese text (which Word reads from
    there, not from w:ascii), and the Latin font beside it. Theme fonts of the default template
    would win over named ones, so they are removed."""
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for name in list(fonts.attrib):
        if name.endswith("Theme"):
            del fonts.attrib[name]
    latin = latin or east_asia
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(doc, name: str, base: str | None = None):
    styles = doc.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = styles[base]
        return style


def _shape(style, font: str, size: float, latin: str | None = LATIN, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    set_fonts(style.element, font, latin)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE)


def make_styles(doc) -> None:
    """Normal (仿宋 3号 body, first line indented two characters), 标题 1/2/3 (Word's built-in
    Heading styles, so Word's navigation pane and a 目录 find them) in 黑体 / 楷体 / 仿宋 as the 公文
    levels 一、/（一）/1., the title in 小标宋, the 目录's lines (目录 1 / 目录 2, Word's ids TOC1 and
    TOC2, which Word fills when it updates the 目录) and the table styles in 宋体 5号."""
    normal = doc.styles["Normal"]
    _shape(normal, FANGSONG, BODY_SIZE)
    normal.paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False
    for name, font in (("Heading 1", HEI), ("Heading 2", KAI), ("Heading 3", FANGSONG)):
        style = doc.styles[name]
        _shape(style, font, BODY_SIZE)
        style.paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    title = doc.styles["Title"]
    _shape(title, TITLE_FONT, TITLE_SIZE)
    title.paragraph_format.line_spacing = Pt(TITLE_SIZE * 1.5)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = Pt(LINE / 2)
    _drop_border(title)
    plain = _style(doc, "正文无缩进", "Normal")
    plain.paragraph_format.first_line_indent = Pt(0)
    plain.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    caption = _style(doc, "表格标题", "Normal")
    _shape(caption, HEI, 14)
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(LINE / 2)
    cell = _style(doc, "表格文字", "Normal")
    _shape(cell, SONG, TABLE_SIZE)
    cell.paragraph_format.first_line_indent = Pt(0)
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    head = _style(doc, "表头", "表格文字")
    _shape(head, HEI, TABLE_SIZE)
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for level, font in ((1, HEI), (2, FANGSONG)):  # the 目录's lines, as the PDF sets them
        toc = _style(doc, f"toc {level}", "Normal")
        toc.style_id = f"TOC{level}"  # Word's own id for its built-in 目录 1 / 目录 2
        _shape(toc, font, BODY_SIZE)
        toc.paragraph_format.first_line_indent = Pt(0)
        toc.paragraph_format.left_indent = Pt(2 * BODY_SIZE * (level - 1))
        toc.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    footer = _style(doc, "页码", "Normal")
    _shape(footer, SONG, PAGE_NO_SIZE)
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _drop_border(style) -> None:
    """The default template's Title has a blue rule under it; a 公文 title has none."""
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def add_field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (``PAGE``…) with ``shown`` as its last computed text, as Word writes it."""

    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


TOC_FIELD = 'TOC \\o "1-2" \\h \\z \\u'  # 标题 1-2 (and outline levels 1-2), as links


def table_of_contents(before, entries: list[tuple[int, str]]) -> None:
    """A 目录 as Word makes one (引用 → 目录): a TOC field whose result, one paragraph per heading
    (level 1 or 2, its title), is put in before the paragraph ``before``; Word replaces it with
    the titles and their page numbers when it updates the field (asked on open: see
    :func:`update_fields_on_open`), LibreOffice shows it as it is."""

    def char(paragraph, kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    paragraphs = [before.insert_paragraph_before(style=f"toc {level}") for level, _title in entries]
    if not paragraphs:
        paragraphs = [before.insert_paragraph_before(style="toc 1")]
    first = paragraphs[0]
    char(first, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {TOC_FIELD} "
    first.add_run()._r.append(instr)
    char(first, "separate")
    for paragraph, (_level, title) in zip(paragraphs, entries, strict=False):
        paragraph.add_run(title)
    char(paragraphs[-1], "end")


#: What follows w:updateFields in the settings (CT_Settings' order, which Word holds to).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def update_fields_on_open(doc) -> None:
    """w:updateFields: Word asks, on opening the file, to update its fields (the 目录's page
    numbers, which only Word's own layout knows)."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)


# What follows w:shd in a cell's properties (CT_TcPr's order, which Word holds to).
_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:tcPrChange")


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.insert_element_before(shd, *_AFTER_SHD)


def repeat_as_header(row) -> None:
    """The row is repeated at the top of every page the table runs onto (w:tblHeader)."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().insert_element_before(header, "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")


def keep_row_whole(row) -> None:
    """A short row is not split between two pages (w:cantSplit)."""
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().insert_element_before(
        cant, "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del"
    )


def restart_page_numbers(section, start: int = 1) -> None:
    sect_pr = section._sectPr
    number = sect_pr.find(qn("w:pgNumType"))
    if number is None:
        number = OxmlElement("w:pgNumType")
        sect_pr.insert_element_before(
            number,
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        )
    number.set(qn("w:start"), str(start))


def no_borders(table) -> None:
    """A table without rules (the cover's label/value block)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )


def underline_cell(cell) -> None:
    """A rule under one cell: the line a value is written on."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "4")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    tc_pr.insert_element_before(borders, "w:shd", *_AFTER_SHD)


def cell_margins(table, mm: float) -> None:
    """Left and right cell margins (Word's default 1.9 mm leaves too little room for 元 figures)."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def figure_size(text: str, room_mm: float) -> float:
    """The font size (at most 5号) at which a figure fits on one line of ``room_mm``: a figure never
    breaks inside the number (999999999.99 in a 20 mm column prints at about 8 pt)."""
    ems = sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text) + 0.3
    return max(6.0, min(TABLE_SIZE, room_mm / 25.4 * 72 / ems))
