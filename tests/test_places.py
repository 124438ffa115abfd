"""A finding's place in words, from the model's labels (core/model/places.py)."""

from core.model.places import place_words
from tests.conftest import load_seed


def test_places_are_named_by_labels_and_rows_by_what_they_hold():
    report = load_seed("000")
    assert place_words(("funds", "approved_total")) == "项目资金 › 批复金额"
    assert place_words(("funds", "sources", 0, "spent"), report) == "项目资金 › 资金来源 › 区级财政 › 实际支出数"
    assert place_words(("funds", "sources", 0, "spent")) == "项目资金 › 资金来源 › 第 1 行 › 实际支出数"
    leaf = ("indicators", 2, "children", 0, "children", 1, "target")
    assert place_words(leaf, report) == "绩效指标 › 项目绩效 › 项目产出 › 补助资金上划准确率 › 年度指标值"
    assert place_words(("project", "supervisor")) == "项目信息 › 主管部门"
    assert place_words(("funds", "balance", "closing")) == "项目资金 › 结转结余 › 年末结转结余"
    assert place_words(("funds", "sources", 9, "spent"), report) == "项目资金 › 资金来源 › 第 10 行 › 实际支出数"


def test_the_findings_list_remembers_places_and_names_a_renamed_row_anew():
    """core/presenters/places.py: the window asks place_words once per path and row labels."""
    from core.document import Document
    from core.model.model import walk_indicators
    from core.presenters.places import PlaceWords

    doc = Document(load_seed("000"))
    places = PlaceWords()
    paths = [f.path for f in doc.findings]
    for path, _node, _depth in walk_indicators(doc.report.indicators):
        paths += [(*path, "name"), (*path, "actual"), (*path, "children", 0, "score"), (*path, "children", 99)]
    paths += [("funds", "sources", 0, "spent"), ("funds", "sources", 9, "spent"), ("project", "name"), ()]
    paths += [("funds", "approved_total", 3), ("narrative", 0, "title"), ("nothing", 1)]
    for path in paths:
        assert places.words(path, doc.report) == place_words(path, doc.report), path
        assert places.words(path, doc.report) == place_words(path, doc.report), path  # remembered
    leaf = ("indicators", 2, "children", 0, "children", 1, "target")
    before = places.words(leaf, doc.report)
    doc.set_text(leaf[:-1] + ("name",), "改过的名称")
    assert places.words(leaf, doc.report) == place_words(leaf, doc.report) != before
    assert "改过的名称" in places.words(leaf, doc.report)
