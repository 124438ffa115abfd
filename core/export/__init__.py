"""Exporters: the Excel workbook and the PDF report, from a report and its derived totals."""
