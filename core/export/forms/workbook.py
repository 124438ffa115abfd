"""The workbook with the asked forms: the 自评表, 指标评分表 and 资金明细 sheets of
core/export/xlsx.py, and before them the sheet of each asked form that has one of its own."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from core.export.forms import default_forms, matching_form
from core.export.forms.build import BUILDERS, build_form
from core.export.forms.mof_self import NAME as MOF_SELF
from core.export.forms.render_xlsx import write_form
from core.export.xlsx import StyleCache, build_workbook, save_workbook
from core.model.model import Report
from core.rules.totals import Totals, compute_totals


def form_workbook(
    report: Report, totals: Totals | None = None, forms: list[str] | None = None
) -> tuple[Workbook, list[str]]:
    """The workbook; ``forms`` as ``--form`` names them (default the report's own). The 财政部
    自评表 is the 自评表 sheet every workbook has; ``narrative`` adds its matching form's sheet
    only when asked by name."""
    totals = totals or compute_totals(report)
    wb, warnings = build_workbook(report, totals)
    names = []
    for name in forms or default_forms(report):
        if name == "narrative":
            if not forms:
                continue  # the default workbook of a narrative report: as it always was
            name = matching_form(report)
        if name in BUILDERS and name != MOF_SELF and name not in names:
            names.append(name)
    if names:
        styles = StyleCache(wb)
        for i, name in enumerate(names):
            ws = write_form(wb, build_form(name, report, totals, warnings), warnings, styles)
            wb.move_sheet(ws, offset=i - wb.index(ws))
        styles.done(wb)
    return wb, list(dict.fromkeys(warnings))


def export_form_xlsx(
    report: Report, path: Path | str, totals: Totals | None = None, forms: list[str] | None = None
) -> list[str]:
    """Write the workbook atomically; returns warnings (text cut at Excel's cell limit)."""
    wb, warnings = form_workbook(report, totals, forms)
    save_workbook(wb, path)
    return warnings
