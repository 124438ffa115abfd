"""The report core: model, document, checks, storage and exporters. Never imports Qt."""
