"""Exporters: the Excel workbook, the PDF report and the Word report, from a report and its derived totals."""

import os

# python-docx brings lxml, and openpyxl writes through lxml whenever it is installed: then a full
# disk surfaces as lxml's SerialisationError instead of an OSError (a traceback instead of exit 3).
# The Excel exports keep to the standard library's writer they were built and tested with. Set
# before any exporter imports openpyxl; a caller's own OPENPYXL_LXML wins.
os.environ.setdefault("OPENPYXL_LXML", "False")
