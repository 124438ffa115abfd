"""The report core, by layer: model < rules < document < store < presenters, export < cli.
Never imports Qt."""

# The one place the version is written: pyproject.toml, the installers and the 关于 box read it.
__version__ = "0.1.0"
