"""Each printed form by its --form name."""

from __future__ import annotations

from core.export.forms import annex3, evaluation_table, mof_self, transfer
from core.export.forms.grid import Form
from core.model.model import Report
from core.rules.totals import Totals

BUILDERS = {
    mof_self.NAME: mof_self.build,
    evaluation_table.NAME: evaluation_table.build,
    annex3.NAME: annex3.build,
    transfer.NAME: transfer.build,
}


def build_form(name: str, report: Report, totals: Totals, warnings: list[str]) -> Form:
    return BUILDERS[name](report, totals, warnings)
