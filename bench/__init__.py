"""The benchmark (``python -m bench``) and the synthetic reports it and the tests use."""
