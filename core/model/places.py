"""A place in a report in words (“项目资金 › 区级财政 › 实际支出数”), for lists read by people who
do not know the JSON paths: the 汇总表's findings sheet."""

from __future__ import annotations

from typing import Any

from core.model.model import NodePath, field_meta

SEPARATOR = " › "


def place_words(report: Any, path: NodePath) -> str:
    """Each step of ``path`` by its label: a field by its Chinese name, a row by its own name
    (the source, the indicator, the section title). Nested ``children`` lists add no word of their
    own, so an indicator reads 绩效指标 › 产出 › 产出数量 › 实际完成率. A path that no longer fits the
    report (it changed) ends where it stops fitting."""
    words: list[str] = []
    obj = report
    for part in path:
        try:
            if isinstance(part, int):
                obj = obj[part]
                words.append(obj.label() if hasattr(obj, "label") else f"第 {part + 1} 项")
            else:
                label = field_meta(type(obj), part).get("label", part)
                obj = getattr(obj, part)
                if part != "children":
                    words.append(label)
        except (AttributeError, IndexError, KeyError, TypeError):
            break
    return SEPARATOR.join(words) if words else "整份报告"
