"""Functional forms of the catalog's activations (``relu``, ``gelu``, ...), derived from the registry."""

__all__: list[str] = []
