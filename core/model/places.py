"""Where a finding points, in words a clerk reads: ``("funds", "approved_total")`` →
“项目资金 › 批复金额”, ``("indicators", 2, "children", 0, "score")`` → “绩效指标 › 项目产出 ›
数量指标 › 得分”. Built from the model's field labels, never shown as the internal path: in the window's findings
list and in the 汇总表's findings sheet."""

from __future__ import annotations

import typing
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

from core.model.model import NodePath, Report, field_meta

SEPARATOR = " › "
#: A head whose place reads better by the window's name for it than by the field's label: the
#: printed figures are on the 复核 tab (表上数字 › 表上总分 said 表上 twice).
_HEAD_WORDS = {"printed": "复核"}


@cache  # the model's classes do not change; get_type_hints evaluates every annotation anew (1 ms)
def _field_type(cls: type, name: str) -> type | None:
    """The dataclass a field holds (or holds a list of), if it holds one."""
    hint = typing.get_type_hints(cls).get(name)
    for candidate in (hint, *typing.get_args(hint)):
        for inner in (candidate, *typing.get_args(candidate)):
            if isinstance(inner, type) and is_dataclass(inner):
                return inner
    return None


def place_words(path: NodePath, report: Report | None = None) -> str:
    """The place ``path`` names, as labels joined by ›. With ``report``, rows are named by what
    they hold (区级财政, 项目产出); without it, or when the row is gone, as 第 n 行."""
    words: list[str] = []
    cls: type | None = Report
    obj: Any = report
    for i, part in enumerate(path):
        if isinstance(part, int):
            row = None
            if obj is not None and isinstance(obj, list) and 0 <= part < len(obj):
                row = obj[part]
            label = row.label() if row is not None and hasattr(row, "label") else ""
            words.append(label or f"第 {part + 1} 行")
            obj = row
            continue
        if cls is None or part not in {f.name for f in fields(cls)}:
            break
        following = path[i + 1] if i + 1 < len(path) else None
        if i == 0 and part in _HEAD_WORDS:
            words.append(_HEAD_WORDS[part])
        elif not (part == "children" and isinstance(following, int)):  # 下级指标 › 数量指标: the name says it
            words.append(field_meta(cls, part)["label"])
        obj = getattr(obj, part, None) if obj is not None else None
        cls = _field_type(cls, part)
    return SEPARATOR.join(words) or "整份报告"
