"""Reverse-mode automatic differentiation: the engine, grad mode, ``Function`` and gradient checks."""

from .engine import backward, grad
from .function import Function
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .variable import Variable
from . import functional
from ..grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                         set_grad_enabled)

__all__ = ["Function", "GradcheckError", "Variable", "backward", "enable_grad", "functional", "grad", "gradcheck",
           "gradgradcheck", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled", "no_grad",
           "set_grad_enabled"]
