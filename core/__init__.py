"""The report core, by layer: model < rules < document < store < presenters, export < cli.
Never imports Qt."""
