"""Activation Modules (``nn.ReLU``, ``nn.GELU``, ...), derived from the activation catalog."""

__all__: list[str] = []
