"""The report as data: its dataclasses and paths, numbers and text rules, the built-in templates.
The lowest layer: imports nothing else from core."""
