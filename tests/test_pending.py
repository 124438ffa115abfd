"""待填写 (issue 18, item 7): the findings of a part nobody has started are hints, not errors;
the checks themselves still see everything."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.document import Document
from core.model.model import FundSource
from core.model.templates import new_report
from core.presenters.pending import PLACEHOLDER, split, untouched_parts
from core.presenters.tables import SourcesTable
from core.presenters.tree_tables import IndicatorTable
from core.rules.checks import run_checks
from tests.conftest import load_seed


def col(table, key: str) -> int:
    return next(i for i, c in enumerate(table.columns) if c.key == key)


def test_a_new_report_has_only_pending_findings_and_the_checks_still_see_them():
    doc = Document(new_report("mof-self"))
    parts = split(doc)
    assert parts.shown == [] and parts.index == {}
    assert parts.pending == doc.findings == run_checks(doc.report, doc.totals)
    assert {f.code for f in parts.pending} >= {"P01", "I07", "I02", "I03"}
    assert untouched_parts(doc) == {"project", "funds", "indicators", "narrative"}


def test_an_edit_in_a_part_shows_its_findings_again_and_only_its_own():
    doc = Document(new_report("mof-self"))
    doc.set_text(("project", "name"), "城乡居民医保补助")
    parts = split(doc)
    assert [f.code for f in parts.shown] == ["P01"] * 4
    assert all(f.path[0] == "indicators" for f in parts.pending)
    assert ("project", "year") in parts.index


def test_a_part_changed_back_stays_touched_for_the_session():
    doc = Document(new_report("mof-self"))
    doc.set_text(("project", "name"), "x")
    doc.undo()
    assert doc.report == new_report("mof-self")
    assert "project" not in untouched_parts(doc)
    assert any(f.code == "P01" for f in split(doc).shown)


def test_a_part_that_differs_from_its_template_is_started_even_unedited():
    report = new_report("mof-self")
    report.indicators[0].score = Decimal("10")
    doc = Document(report)
    assert "indicators" not in untouched_parts(doc)
    assert untouched_parts(doc) == {"project", "funds", "narrative"}


def test_replacing_the_report_touches_every_part():
    doc = Document(new_report("mof-self"))
    doc.replace_report(new_report("mof-self"), "导入")
    assert untouched_parts(doc) == set()
    assert split(doc).pending == []


@pytest.mark.parametrize("name", ["000", "001", "002"])
def test_the_seeds_show_everything_as_before(name):
    doc = Document(load_seed(name))
    parts = split(doc)
    assert parts.pending == [] and parts.shown == doc.findings
    assert parts.index == doc.finding_index


def test_cells_of_an_untouched_part_show_the_placeholder_instead_of_a_colour():
    doc = Document(new_report("mof-self"))
    table = IndicatorTable(doc)
    # 预算执行率 (10 points) is not scored yet; the empty 二级 rows under 产出指标 are empty rows of
    # the form (core/rules/empty_rows.py), not findings.
    leaf, weight, score = ("indicators", 0), col(table, "weight"), col(table, "score")
    assert table.findings(leaf, score) == []
    assert [f.code for f in table.pending(leaf, score)] == ["I07"]
    assert table.placeholder(leaf, score) == PLACEHOLDER
    parent = ("indicators", 1)
    assert table.placeholder(parent, weight) == ""  # 50 is shown: no hint over a figure
    row = ("indicators", 1, "children", 0)
    assert table.pending(row, weight) == [] and table.placeholder(row, weight) == ""
    doc.set_text(row + ("weight",), "20")
    assert table.placeholder(row, score) == ""
    assert [f.code for f in table.findings(row, score)] == ["I07"]
    assert [f.code for f in table.findings(leaf, score)] == ["I07"]


def test_a_started_funds_part_colours_its_cells():
    doc = Document(new_report("mof-self"))
    doc.insert(("funds", "sources"), 0, FundSource(source="中央", spent=Decimal("-1")), "添加")
    table = SourcesTable(doc)
    assert table.findings(0, col(table, "spent"))
    assert table.pending(0, col(table, "spent")) == []
