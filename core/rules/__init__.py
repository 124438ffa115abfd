"""What follows from a report: scoring, totals, the checks, placeholders and the summary.
Reads the model; changes nothing."""
