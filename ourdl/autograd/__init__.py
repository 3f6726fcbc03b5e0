"""Reverse-mode automatic differentiation: the engine, grad mode, ``Function`` and gradient checks."""

from .engine import backward, grad
from .function import Function
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from ..grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled

__all__ = ["Function", "GradcheckError", "backward", "enable_grad", "grad", "gradcheck", "gradgradcheck",
           "is_grad_enabled", "no_grad", "set_grad_enabled"]
