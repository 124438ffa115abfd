"""The grids' table objects (core/presenters), driven headless as the window drives them: what a
cell shows, what typing or pasting into it does, and what the rules behind the figures give."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.document import Document, InputError
from core.model.model import FundSource, Indicator, Report, Target
from core.presenters.tables import ExpendituresTable, SourcesTable, TeamTable, parse_clipboard, to_clipboard
from core.presenters.tree_tables import IndicatorTable, SectionTable
from core.rules.rulesets import RuleSet
from core.rules.scoring import completion_rate, suggested_score
from tests.conftest import load_seed


def col(table, key: str) -> int:
    return next(i for i, c in enumerate(table.columns) if c.key == key)


# --- the rules behind 建议得分 and 完成率 (DOMAIN §2) -------------------------------------------


def leaf(op, target, actual, weight="10"):
    return Indicator(name="x", weight=Decimal(weight), target=Target(op=op, value=Decimal(target)), actual=actual)


@pytest.mark.parametrize(
    "op, target, actual, score",
    [
        (">=", "100", Decimal("100"), "10"),  # met
        (">=", "100", Decimal("120"), "10"),  # exceeded: no more than the weight
        (">=", "100", Decimal("95"), "9.50"),  # weight × actual ÷ target
        (">=", "100", Decimal("-5"), "0.00"),  # a negative actual counts as 0
        ("<=", "10", Decimal("8"), "10"),  # 反向, met
        ("<=", "10", Decimal("15"), "5.00"),  # 反向 partial: weight × (1 − (15 − 10) ÷ 10)
        ("<=", "10", Decimal("20"), "0"),  # 反向 at twice the target: zero
        ("<=", "10", Decimal("25"), "0"),  # beyond twice the target: zero
        ("<", "0", Decimal("1"), "0"),  # 反向 with a zero target and anything above it
        ("=", "0", Decimal("0"), "10"),  # = 0 target: full when actual ≤ 0
        ("=", "0", Decimal("3"), "0"),
        ("=", "100", Decimal("90"), "9.00"),  # = treated as 正向
    ],
)
def test_suggested_scores(op, target, actual, score):
    assert suggested_score(leaf(op, target, actual), None, RuleSet()) == Decimal(score)


def test_completion_rate_is_inverted_for_reverse_targets():
    assert completion_rate(leaf(">=", "200", Decimal("150"))) == Decimal("75.00")
    assert completion_rate(leaf("<=", "150", Decimal("200"))) == Decimal("75.00")


# --- 资金来源, 支出明细, 评价小组 ------------------------------------------------------------------


def test_sources_grid_derives_the_total_row_and_rates():
    doc = Document(load_seed("000"))
    table = SourcesTable(doc)
    total = table.row_count() - 1
    assert table.is_total(total) and table.text(total, 0) == "合计"
    assert table.text(total, col(table, "execution_rate")) == "70.62%"
    assert not table.editable(0, col(table, "execution_rate")) and not table.editable(total, 1)
    table.set_text(0, col(table, "spent"), "600")
    assert table.text(total, col(table, "execution_rate")) == "100.00%"
    assert table.text(total, col(table, "remaining")) == "0.00"
    doc.undo()
    assert table.text(total, col(table, "execution_rate")) == "70.62%"


def test_an_empty_adjusted_budget_shows_the_initial_one_muted_and_a_zero_base_reads_wu():
    report = Report()
    report.funds.sources.append(FundSource(source="县级财政", initial=Decimal("0"), spent=Decimal("0")))
    doc = Document(report)
    table = SourcesTable(doc)
    assert table.text(0, col(table, "adjusted")) == "0.00" and table.emphasis(0, col(table, "adjusted")) == "muted"
    assert table.text(0, col(table, "execution_rate")) == "无"


def test_paste_adds_rows_and_names_each_refused_cell():
    doc = Document(load_seed("000"))
    table = SourcesTable(doc)
    rows = table.row_count() - 1
    grid = parse_clipboard("省级财政\t100\t100\t100\t九十\r\n市级财政\t50\t50\t50\t50\r\n")
    errors = table.paste(rows, 0, grid)
    assert len(errors) == 1 and errors[0].startswith(f"第 {rows + 1} 行") and "不是数字" in errors[0]
    assert table.row_count() - 1 == rows + 2
    assert table.text(rows + 1, col(table, "spent")) == "50.00"
    doc.undo()  # the whole paste is one action
    assert table.row_count() - 1 == rows


def test_flat_rows_delete_and_move_and_copy_back_out():
    doc = Document(load_seed("002"))
    team = TeamTable(doc)
    names = [team.text(r, 1) for r in range(team.row_count())]
    assert team.move_row(0, 1) == 1
    assert [team.text(r, 1) for r in range(2)] == [names[1], names[0]]
    assert team.move_row(0, -1) == 0  # cannot move above the first row
    team.remove_rows([0, 1])
    assert team.row_count() == len(names) - 2
    doc.undo()
    assert team.row_count() == len(names)
    copied = to_clipboard([[team.text(0, c) for c in range(len(team.columns))]])
    assert parse_clipboard(copied)[0][1] == team.text(0, 1)
    expenditures = ExpendituresTable(doc)
    rows = len(expenditures.items)
    assert expenditures.insert_row(99) == rows  # past the end: appended
    assert len(expenditures.items) == rows + 1


# --- 绩效指标 --------------------------------------------------------------------------------


def _first_leaf(table: IndicatorTable):
    path = table.child_path(None, 0)
    while not table.node(path).is_leaf:
        path = table.child_path(path, 0)
    return path


def test_a_target_typed_without_a_comparison_picks_one():
    report = Report(template="blank")
    report.indicators.append(Indicator(name="产出", children=[Indicator(name="数量", weight=Decimal(10))]))
    doc = Document(report)
    table = IndicatorTable(doc)
    path = _first_leaf(table)
    table.set_text(path, col(table, "value"), "95")
    assert table.node(path).target.op == ">=" and table.text(path, col(table, "op")) == "≥"
    table.set_text(path, col(table, "op"), "≤")
    assert table.node(path).target.op == "<="
    with pytest.raises(InputError, match="比较"):
        table.set_text(path, col(table, "op"), "约等于")
    other = Report(template="blank")
    other.indicators.append(Indicator(name="效益", children=[Indicator(name="社会效益", weight=Decimal(10))]))
    doc2 = Document(other)
    table2 = IndicatorTable(doc2)
    p2 = _first_leaf(table2)
    table2.set_text(p2, col(table2, "value"), "显著提升")
    assert table2.node(p2).target.op == "qualitative"
    assert table2.editable(p2, col(table2, "band"))


def test_reverse_leaf_shows_its_suggested_score_and_completion():
    report = Report(template="blank")
    report.indicators.append(
        Indicator(
            name="成本",
            children=[
                Indicator(name="人均费用", weight=Decimal(10), target=Target(op="<=", value=Decimal(150), unit="元"))
            ],
        )
    )
    doc = Document(report)
    table = IndicatorTable(doc)
    path = _first_leaf(table)
    table.set_text(path, col(table, "actual"), "200元")
    assert table.text(path, col(table, "suggested")) == "6.67"
    assert table.text(path, col(table, "completion")) == "75.00%"
    assert table.apply_suggested([path]) == 1 and table.text(path, col(table, "score")) == "6.67"


def test_parents_show_derived_weights_and_transfer_tables_hide_scores():
    doc = Document(load_seed("001"))
    table = IndicatorTable(doc)
    top = table.child_path(None, 0)
    doc.set_value(top + ("weight",), None)  # a 一级 whose 分值 is the sum of its leaves
    assert table.derived_weight(top) and table.text(top, col(table, "weight")).startswith("（")
    assert table.emphasis(top, col(table, "weight")) == "muted"
    assert not table.editable(top, col(table, "actual"))
    doc.set_text(("template",), "transfer")
    keys = [table.columns[i].key for i in table.visible_columns()]
    assert "score" not in keys and "weight" not in keys and "actual" in keys


def test_indicator_paste_adds_leaves_after_the_last_row():
    doc = Document(load_seed("002"))
    table = IndicatorTable(doc)
    path = _first_leaf(table)
    parent = table.parent_of(path)
    before = len(table.nodes(parent))
    errors = table.paste([path], 0, [["立项依据充分性", "3"], ["新增指标", "x"]])
    assert len(table.nodes(parent)) == before + 1
    assert len(errors) == 1 and errors[0].startswith("第 2 行")


def test_tree_rows_move_indent_and_outdent():
    doc = Document(load_seed("002"))
    table = IndicatorTable(doc)
    first = table.child_path(table.child_path(None, 0), 0)
    second = first[:-1] + (1,)
    name = table.node(second).name
    assert table.node(table.move(second, -1)).name == name
    name = table.node(second).name  # the row that moved down
    moved = table.indent(second)
    assert table.node(moved).name == name and len(moved) > len(second)
    back = table.outdent(moved)
    assert len(back) == len(second)


def test_section_titles_are_edited_in_the_tree():
    doc = Document(load_seed("002"))
    table = SectionTable(doc)
    path = table.child_path(None, 0)
    table.set_text(path, 0, "一、项目基本情况")
    assert table.text(path) == "一、项目基本情况"
    count = len(table.nodes(None))
    new = table.add_sibling(path)
    assert new == path[:-1] + (path[-1] + 1,) and len(table.nodes(None)) == count + 1
    table.delete(new)
    assert len(table.nodes(None)) == len(load_seed("002").narrative)


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_every_indicator_finding_jumps_to_a_cell_that_shows_it(seed):
    """cell_for (findings list → grid) and findings (grid → its findings) are each other's inverse."""
    report = load_seed(seed)
    report.indicators[0].weight = Decimal("77")  # I02
    leaves = [n for top in report.indicators for mid in top.children for n in mid.children] or report.indicators
    leaves[0].weight = (leaves[0].weight or Decimal(0)) + 5  # I03 on the whole tree
    leaves[1].score = Decimal("-1")  # I01
    doc = Document(report)
    table = IndicatorTable(doc)
    findings = [f for f in doc.findings if f.path[:1] == ("indicators",)]
    assert {"I01", "I02", "I03"} <= {f.code for f in findings}
    for f in findings:
        cell = table.cell_for(f.path)
        assert cell is not None, f
        assert f in table.findings(*cell), (f, cell)
