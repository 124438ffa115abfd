"""The PDF report, read back as the tests read PDFs (tests/helpers/pdf.py): text, fonts, where words stand."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle

from core.export.fonts import load_fonts
from core.export.linebreak import CANNOT_END, CANNOT_START, CJKParagraph
from core.export.pdf import BODY_H, BODY_W, LEFT, TOP, export_pdf
from core.model.model import Indicator, Section, TeamMember, walk_sections
from tests.conftest import SEEDS, load_seed
from tests.helpers import pdf

MM = 72 / 25.4


@pytest.fixture(scope="module")
def seed002_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "002.pdf"
    assert export_pdf(load_seed("002"), out) == []
    return out


def test_text_holds_cover_sections_tables_total_and_grade(seed002_pdf):
    text = pdf.text(seed002_pdf)
    compact = re.sub(r"\s+", "", text)
    report = load_seed("002")
    for words in (
        "项目支出绩效自评报告",
        "（2023年度）",
        "部门名称（公章）：",
        "博湖县医疗保障局",
        "主管部门：",
        "项目名称：",
        "绩效自评日期：",
        "2024年4月",
        "评价小组",
        "签字",
        "报告撰写人（签字）",
        "评价工作负责人（签字）",
        "目录",
    ):
        assert words in compact, words
    for _path, section, _depth in walk_sections(report.narrative):
        assert re.sub(r"\s+", "", section.title) in compact, section.title
    for figure in (
        "660.00",
        "668.40",
        "100.00%",
        "9.74",
        "98.74",
        "29.74",
        "评价等级：优",
        "绩效指标评分表",
        "项目资金情况",
    ):
        assert figure in compact, figure
    # placeholders are filled; nothing is left in braces
    assert "{" not in text and "预算执行率为100.00%" in compact


def test_contents_give_real_page_numbers(seed002_pdf):
    pages = pdf.page_texts(seed002_pdf)
    contents = next(p for p in pages if "目" in p and "录" in p and "基本情况" in p)
    entry = re.search(r"四、绩效评价指标分析[.\s]*(\d+)", contents)
    number = int(entry.group(1))
    page = next(p for p in pages if re.search(rf"—\s*{number}\s*—", p))
    assert "四、绩效评价指标分析" in page
    first_body = next(p for p in pages if re.search(r"—\s*1\s*—", p))
    assert "一、基本情况" in first_body
    # Every 一、 entry points at the page its heading is printed on (the 目录 is laid out in one
    # pass, its numbers filled in as the headings are placed).
    entries = re.findall(r"^([一二三四五六七八九十]+、[^.\n]*?)\s*(?:\.\s*)+(\d+)\s*$", contents, re.M)
    assert len(entries) >= 5, contents
    for title, number in entries:
        page = next(p for p in pages if re.search(rf"—\s*{number}\s*—", p))
        assert title.strip() in page, (title, number)


def test_fonts_embedded_and_a4(seed002_pdf):
    fonts = pdf.fonts(seed002_pdf)
    assert fonts
    for font in fonts:
        assert font.embedded, f"not embedded: {font}"
        assert font.truetype, f"not TrueType: {font}"
    sizes = pdf.page_sizes(seed002_pdf)
    assert sizes and all(pdf.is_a4(size) for size in sizes), sizes


def test_text_lies_inside_the_gbt9704_text_block(seed002_pdf):
    left, right = LEFT / 1, (LEFT + BODY_W)
    top, bottom = TOP, TOP + BODY_H
    outside = []
    for page in pdf.words(seed002_pdf):
        for w in page:
            x0, y0, x1, y1, word = w.x0, w.y0, w.x1, w.y1, w.text
            if re.fullmatch(r"—|\d+", word) and y0 > bottom:  # the page number, below the block by design
                continue
            if x0 < left - 0.5 or x1 > right + 0.5 or y0 < top - 2 or y1 > bottom + 2:
                outside.append((word, round(x0 / MM, 1), round(y0 / MM, 1), round(x1 / MM, 1), round(y1 / MM, 1)))
    assert outside == []


def test_page_numbers_below_the_block_alternate_sides(seed002_pdf):
    sides = {}
    for page in pdf.words(seed002_pdf):
        for w in page:
            if w.text.isdigit() and w.y0 > TOP + BODY_H:
                sides[int(w.text)] = w.x0
    assert sides[1] > LEFT + BODY_W / 2 and sides[2] < LEFT + BODY_W / 2  # odd right, even left


def _lines(text: str, width: float) -> list[str]:
    fonts = load_fonts()
    style = ParagraphStyle("t", fontName=fonts.roles["fangsong"].name, fontSize=16, leading=28, wordWrap="CJK")
    para = CJKParagraph(fonts.markup(text, "fangsong"), style)
    para.wrap(width, 10000)
    return ["".join(w.text for w in line.words) for line in para.blPara.lines]


def test_chinese_line_breaking_rules():
    # Every width from 6 to 30 characters puts a forbidden character at some line start.
    text = (
        "经评价，项目总体完成较好：预算执行率为100.00%；满意度达到96.47%！是否“达标”？《办法》（试行）规定……"
        "“立项依据”‘充分’，（一）项目概况。"
    ) * 3
    for chars in range(6, 31):
        lines = _lines(text, chars * 16)
        assert "".join(lines) == text  # nothing lost or doubled
        for line in lines[1:]:
            assert line[0] not in CANNOT_START, (chars, line)
        for line in lines[:-1]:
            assert line[-1] not in CANNOT_END, (chars, line)
            assert not (line[-1].isdigit() and lines[lines.index(line) + 1][0].isdigit()), (chars, line)


def test_lines_are_made_as_reportlab_makes_them(monkeypatch):
    """linebreak.make_line takes a run of characters of one fragment at a time; every line it
    makes equals reportlab's own makeCJKParaLine's, word by word (fonts changing mid-line, a
    forced line break, bold, a size change, autoLeading's bounds)."""
    from reportlab.platypus import paragraph

    from core.export import linebreak

    class Char(str):  # what makeCJKParaLine takes: one object per character
        __slots__ = ("frag", "width")

    def reportlab_line(para, begin, end, *rest):
        chars = []
        for b, e, frag in para.runs:
            for k in range(max(b, begin), min(e, end)):
                char = Char(para.chars[k])
                char.frag, char.width = frag, para.widths[k]
                chars.append(char)
        return paragraph.makeCJKParaLine(chars, *rest)

    fonts = load_fonts()
    hei = fonts.roles["hei"].name
    text = fonts.markup("经评价，项目总体完成较好：预算执行率为100.00%；刘䶮、娄喆", "fangsong")
    markup = (
        f'{text}<br/>第二行<font face="{hei}">黑体字</font>与<b>粗体</b>、<font size="20">大字</font>'
        f"、“引号”（括号）……{text}{text}"
    )

    def lines(auto_leading: str) -> list:
        style = ParagraphStyle(
            "t",
            fontName=fonts.roles["fangsong"].name,
            fontSize=16,
            leading=28,
            wordWrap="CJK",
            autoLeading=auto_leading,
        )
        para = CJKParagraph(markup, style)
        para.wrap(12 * 16, 10000)
        out = []
        for line in para.blPara.lines:
            words = [(w.text, sorted((k, repr(v)) for k, v in vars(w).items() if k != "text")) for w in line.words]
            out.append((sorted((k, repr(v)) for k, v in vars(line).items() if k != "words"), words))
        return out

    for auto_leading in ("", "max"):
        ours = lines(auto_leading)
        monkeypatch.setattr(linebreak, "make_line", reportlab_line)
        assert lines(auto_leading) == ours
        assert len(ours) > 5
        monkeypatch.undo()


@given(
    st.lists(st.sampled_from([0, 0.0, 4.44, 8, 8.0, 16.0, 16.000000001, 21.3]), max_size=200),
    st.integers(0, 60),
    st.sampled_from([15.999, 16.0, 100.0, 156.5, 448.0]),
)
def test_the_overflowing_character_is_found_as_reportlab_adds_widths(widths, start, limit):
    """linebreak.overflow searches running sums of the widths instead of adding them one by one:
    it finds the same character, float for float, whatever the widths and where the line starts."""
    from core.export import linebreak

    start = min(start, len(widths))
    for end in {start, (start + len(widths)) // 2, len(widths)}:
        expected = linebreak._overflow_one_by_one(widths, start, end, limit)
        assert linebreak.overflow(widths, start, end, limit) == expected


def test_rare_name_characters_are_printed(tmp_path):
    report = load_seed("000")
    report.team.append(TeamMember(role="成员", name="王堃", title="科员", unit="盘龙区"))
    report.team.append(TeamMember(role="成员", name="李喆", title="科员", unit="盘龙区"))
    report.team.append(TeamMember(role="成员", name="刘䶮", title="科员", unit="盘龙区"))
    out = tmp_path / "names.pdf"
    warnings = export_pdf(report, out)
    text = pdf.text(out)
    for name in ("王堃", "李喆", "刘䶮"):
        assert name in text
    assert warnings == []


def test_a_character_no_font_has_is_named_before_export(tmp_path, cli):
    report = load_seed("000")
    report.project.name = "长期护理\U000f0001项目"  # a private-use character no font has
    out = tmp_path / "x.pdf"
    warnings = export_pdf(report, out)
    assert len(warnings) == 1 and "长期护理" in warnings[0] and "没有字形" in warnings[0]
    from core.store.jsonio import dumps

    src = tmp_path / "x.json"
    src.write_text(dumps(report), encoding="utf-8")
    r = cli("check", str(src), "--json")
    assert '"T01"' in r.stdout and '"project.name"' in r.stdout
    r = cli("export", str(src), "--pdf", str(out))
    assert r.returncode == 0 and "警告" in r.stderr and "没有字形" in r.stderr


def test_sixty_pages_with_long_cells_build(tmp_path):
    from bench.reports import synthetic_report

    report = synthetic_report(120, pages=45)
    for i, leaf in enumerate(n for top in report.indicators for mid in top.children for n in mid.children):
        leaf.deviation = ("由于外出务工人员增加，参保人数较上年有所下降；" * 14)[:300]
        if i == 3:
            leaf.explanation = "超长的指标解释。" * 400  # longer than a page: split across pages
    report.narrative.append(Section(title="八、附件", text="\n".join(["附件说明。" * 30] * 20)))
    out = tmp_path / "big.pdf"
    export_pdf(report, out)
    assert pdf.page_count(out) >= 60


def test_transfer_template_attaches_its_form_as_appendix(tmp_path):
    report = load_seed("001")
    report.template = "transfer"
    for s in report.narrative:
        s.text = s.text.replace("评分表", "")
    report.indicators[0].children[0].children.append(Indicator(name="新增", target=None))
    out = tmp_path / "t.pdf"
    export_pdf(report, out)
    compact = pdf.compact(out)
    # the 转移支付 form in place of the old 附表 tables (#22): its own columns, no 分值/得分 and no grade
    assert "附表" in compact and "转移支付绩效自评表" in compact and "未完成原因和改进措施" in compact
    assert "评价等级" not in compact and "评价等次" not in compact


def test_cli_pdf_and_unwritable_target(tmp_path, cli):
    out = tmp_path / "报告.pdf"
    r = cli("export", str(SEEDS["001"]), "--pdf", str(out))
    assert r.returncode == 0, r.stderr
    assert "99.00" in pdf.text(out)
    r = cli("export", str(SEEDS["001"]), "--pdf", str(tmp_path / "missing" / "x.pdf"))
    assert r.returncode == 3 and "无法写入" in r.stderr and "Traceback" not in r.stderr


def test_amounts_are_right_aligned_with_two_decimals(seed002_pdf):
    xs = [w.x1 for page in pdf.words(seed002_pdf) for w in page if w.text == "668.40"]
    assert xs and all(Decimal(str(x)) for x in xs)
    # the four money columns of the fund table end at their right cell edges (less the padding)
    assert len({round(x) for x in xs}) >= 3
