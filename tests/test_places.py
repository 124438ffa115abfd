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
