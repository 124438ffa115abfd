"""The header choices a form prints as ☑/□ boxes (DOMAIN §5): 项目类别, 项目属性, 项目类型 and
评价类型. Every exporter asks :func:`header_boxes` (or :func:`boxes`) so they all print the same
boxes, in the same order, with the same one ticked.

项目类别 and 项目属性 are stored as the text of the ticked box as printed; a short form of a box
(部门预算, 专项, 持续性) ticks that box, and text that is none of the boxes (another province's
form) is kept: it is printed as one more, ticked box rather than dropped. 项目类型 and 评价类型 are
choices with codes (``Project.project_type``, ``Project.evaluation_type``).
"""

from __future__ import annotations

import re

from core.model.model import EVALUATION_TYPES, PROJECT_ATTRIBUTES, PROJECT_CATEGORIES, PROJECT_TYPES, Project

TICKED = "☑"
UNTICKED = "□"

#: (field, the caption the forms print) in the order a header shows them.
HEADER_CHOICES = (
    ("category", "项目类别"),
    ("attribute", "项目属性"),
    ("project_type", "项目类型"),
    ("evaluation_type", "评价类型"),
)
_FREE_TEXT = {"category": PROJECT_CATEGORIES, "attribute": PROJECT_ATTRIBUTES}
_CODED = {"project_type": PROJECT_TYPES, "evaluation_type": EVALUATION_TYPES}


def _short(label: str) -> str:
    return re.sub(r"(项目|资金)$", "", label)


def _key(text: str) -> str:
    return re.sub(r"[\s☑□✓√■]", "", text or "")


def box_of(field: str, text: str) -> str | None:
    """The printed box that stored ``text`` ticks for 项目类别 / 项目属性 (``部门预算`` →
    ``部门预算项目``), or None when it names none of them."""
    key = _key(text)
    if not key:
        return None
    for label in _FREE_TEXT[field]:
        if key in (label, _short(label)):
            return label
    return None


def boxes(project: Project, field: str) -> list[tuple[str, bool]]:
    """One header choice as the form prints it: (box label, ticked) for each box."""
    if field in _CODED:
        value = getattr(project, field)
        return [(label, code == value) for code, label in _CODED[field].items() if code]
    text = getattr(project, field)
    ticked = box_of(field, text)
    out = [(label, label == ticked) for label in _FREE_TEXT[field]]
    if ticked is None and _key(text):
        out.append((text.strip(), True))  # what the paper says, kept, not dropped
    return out


def header_boxes(project: Project) -> list[tuple[str, list[tuple[str, bool]]]]:
    """The four header choices: (caption, [(box label, ticked), …]) in the order of HEADER_CHOICES."""
    return [(caption, boxes(project, field)) for field, caption in HEADER_CHOICES]


def boxes_text(pairs: list[tuple[str, bool]]) -> str:
    """``☑部门预算项目 □专项资金 □转移支付``: a choice as one line of a printed form."""
    return " ".join(f"{TICKED if ticked else UNTICKED}{label}" for label, ticked in pairs)
