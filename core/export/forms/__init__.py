"""The printed forms of DOMAIN §7, each in PDF and Excel: which there are, which a report prints
by default, and reading ``--form mof-self,narrative``.

One module per form (mof_self.py, evaluation_table.py, annex3.py, transfer.py) builds the form as
a plain description (grid.py); render_pdf.py and render_xlsx.py draw it; build.py names the
builders, core/export/pdf.py puts the asked forms into one PDF and workbook.py into one workbook.
"""

from __future__ import annotations

from core.model.model import FORMS, Report

#: template → the form a narrative report attaches (the form its tables are laid out for)
MATCHING = {"framework": "evaluation-table", "transfer": "transfer"}


class FormNameError(ValueError):
    """An unknown form name: the message lists the names there are."""


def form_names(text: str) -> list[str]:
    """``"mof-self,narrative"`` → ``["mof-self", "narrative"]``; an unknown name is a
    :class:`FormNameError` naming it and listing the known ones."""
    names = [part.strip() for part in (text or "").split(",") if part.strip()]
    unknown = [n for n in names if n not in FORMS]
    if unknown or not names:
        known = "、".join(f"{k}（{v}）" for k, v in FORMS.items())
        what = f"未知的表式“{'、'.join(unknown)}”" if unknown else "没有给出表式"
        raise FormNameError(f"{what}；可选的表式：{known}")
    return list(dict.fromkeys(names))


def default_forms(report: Report) -> list[str]:
    return [report.form if report.form in FORMS else "narrative"]


def matching_form(report: Report) -> str:
    """The form a narrative report attaches in place of its 附表."""
    return MATCHING.get(report.template, "mof-self")
