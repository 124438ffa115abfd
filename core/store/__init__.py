"""Reports on disk: report JSON, the document file (.jxzp) with its versions, atomic writes and
the settings."""
