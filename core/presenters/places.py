"""The place of a finding in words (core/model/places.py), remembered for the window's findings
list, which names every finding's place again after each edit.

``place_words(path, report)`` depends only on the path and on the labels of the rows the path
passes through (the field labels are fixed): so it is asked once per path and set of those
labels, and a renamed row names itself anew. Asking it afresh costs about 1 ms a finding (it
reads the model's type hints at every step).
"""

from __future__ import annotations

from typing import Any

from core.model.model import NodePath, Report
from core.model.places import place_words

_LIMIT = 4096  # forgotten all at once beyond this: a long session's renames do not pile up


def _row_labels(path: NodePath, report: Report) -> tuple:
    """The label (or absence) of every row the path passes through: what place_words reads of
    the report."""
    labels: list = []
    obj: Any = report
    for part in path:
        if isinstance(part, int):
            row = obj[part] if isinstance(obj, list) and 0 <= part < len(obj) else None
            labels.append(row.label() if row is not None and hasattr(row, "label") else None)
            obj = row
        else:
            obj = getattr(obj, part, None) if obj is not None and not isinstance(obj, str) else None
    return tuple(labels)


class PlaceWords:
    def __init__(self) -> None:
        self._known: dict[tuple, str] = {}

    def words(self, path: NodePath, report: Report) -> str:
        key = (tuple(path), _row_labels(path, report))
        found = self._known.get(key)
        if found is None:
            if len(self._known) >= _LIMIT:
                self._known.clear()
            found = self._known[key] = place_words(path, report)
        return found
