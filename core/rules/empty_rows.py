"""Empty rows of a printed form (DOMAIN §5 "Empty and placeholder rows").

Real tables keep the rows of their layout even where a project has nothing to put: a 经济效益指标
row with no 三级 under it, a `……` or `指标2：` row left as the form printed it. Such a row is part
of the form, not a slip: it loads, shows in the grid and prints as an empty row, and the checks
that ask a leaf for its weight, score or figures (I07 and the other leaf checks) pass it by.

A leaf is an empty row when nothing but its name is filled (no 分值, 得分, 指标值, 实际完成值, 完成档次,
指标内容, 指标解释, 偏差原因 or 调整理由) and either

- it is a 二级 (a 二级 with no 三级 and no weight), or
- its name is only a placeholder (empty, `……`, `...`, `指标2：`, `/`).

A 三级 with a real name and nothing filled is not empty: it is a leaf nobody has scored yet, and
I07 says so. Its 分值 counts as nothing towards the totals (it has none), so I02 and I03 are
unchanged by it.
"""

from __future__ import annotations

import re

from core.model.model import Indicator, walk_indicators

#: A name that only holds a row's place: nothing, dots or dashes, or 指标 with a number (指标2：).
_PLACEHOLDER_NAME = re.compile(r"^(?:[.…·。、,，\-—－_/／]*|指标[0-9０-９一二三四五六七八九十]*[:：]?[.…]*)$")


def is_placeholder_name(name: str) -> bool:
    return bool(_PLACEHOLDER_NAME.match("".join(name.split())))


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def has_content(leaf: Indicator) -> bool:
    """Whether anything beyond the name is filled in ``leaf``."""
    target = leaf.target
    target_given = target is not None and not (_blank(target.value) and _blank(target.unit))
    return (
        leaf.weight is not None
        or leaf.score is not None
        or target_given
        or not _blank(leaf.actual)
        or bool(leaf.band)
        or any(not _blank(text) for text in (leaf.metric, leaf.explanation, leaf.deviation, leaf.override_reason))
    )


def is_empty_row(leaf: Indicator, depth: int) -> bool:
    """Whether ``leaf`` at ``depth`` (1 = 一级) is an empty row of the form (see the module)."""
    if not leaf.is_leaf or has_content(leaf):
        return False
    return depth == 2 or is_placeholder_name(leaf.name)


def empty_rows(indicators: list[Indicator]) -> set[int]:
    """The uids of the empty rows among ``indicators``."""
    return {node.uid for _path, node, depth in walk_indicators(indicators) if is_empty_row(node, depth)}
