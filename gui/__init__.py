"""The PySide6 window: a thin layer over core/ that never computes a total, a rate or a score."""
