"""LaTeX formulas as plain Unicode text, for terminals and reprs: ``\\frac{1}{1 + e^{-x}}`` → ``1/(1 + e⁻ˣ)``.

It reads the LaTeX the activation catalog writes (fractions, roots, ``\\text``,
Greek letters, relations, sub- and superscripts, ``\\left``/``\\right``), not
LaTeX at large: an unknown command is shown by its name without the backslash.
Superscripts and subscripts become Unicode's small characters where every
character has one (``x²``, ``e⁻ˣ``, ``δᵢⱼ``), and ``^(...)``/``_(...)`` otherwise.
"""

from __future__ import annotations

import re

__all__ = ["to_unicode"]

_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ",
    "kappa": "κ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "ϕ",
    "varphi": "φ", "psi": "ψ", "omega": "ω", "Delta": "Δ", "Phi": "Φ", "Sigma": "Σ", "Omega": "Ω",
    "partial": "∂", "infty": "∞", "sum": "Σ", "prod": "Π", "lVert": "‖", "rVert": "‖", "Vert": "‖",
    "lvert": "|", "rvert": "|", "{": "{", "}": "}", "_": "_", "%": "%",
}
# Binary operators and relations keep a space on each side.
_OPERATORS = {"cdot": "·", "times": "×", "otimes": "⊗", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠",
              "sim": "~", "in": "∈", "approx": "≈", "to": "→", "pm": "±"}
# Named functions: upright, and followed by a space before a letter (``\tanh x`` → ``tanh x``).
_FUNCTIONS = {"tanh", "sinh", "cosh", "sin", "cos", "tan", "log", "ln", "exp", "max", "min", "arg", "erf", "sgn"}
_SPACES = {",": " ", ";": " ", ":": " ", " ": " ", "quad": "  ", "qquad": "  ", "!": ""}
_SUPERSCRIPT = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyz",
                        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))
_SUBSCRIPT = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\s+)|(.)", re.S)


def to_unicode(latex: str) -> str:
    """``latex`` as Unicode text with the same meaning.

    >>> to_unicode(r"\\sigma(x) = \\frac{1}{1 + e^{-x}}")
    'σ(x) = 1/(1 + e⁻ˣ)'
    >>> to_unicode(r"x \\text{ if } x > 0 \\text{ else } \\alpha (e^x - 1)")
    'x if x > 0 else α(eˣ - 1)'
    >>> to_unicode(r"\\frac{\\partial y_i}{\\partial x_j} = y_i (\\delta_{ij} - y_j)")
    '∂yᵢ/∂xⱼ = yᵢ (δᵢⱼ - yⱼ)'
    """
    tokens = [(m.group(1), m.group(2), m.group(3)) for m in _TOKEN.finditer(latex)]
    text, _ = _group(tokens, 0, closing=None)
    return re.sub(r" {2,}", " ", text).strip()


def _group(tokens, i: int, closing):
    """Render tokens from ``i`` up to ``closing`` (``"}"``, or None for the end); returns (text, next index)."""
    out: list[str] = []
    while i < len(tokens):
        command, space, char = tokens[i]
        if closing is not None and char == closing:
            return "".join(out), i + 1
        i += 1
        if space is not None:
            out.append(" ")
        elif char == "{":
            inner, i = _group(tokens, i, "}")
            out.append(inner)
        elif char in ("^", "_"):
            argument, i = _argument(tokens, i)
            out.append(_script(argument, _SUPERSCRIPT if char == "^" else _SUBSCRIPT, char))
        elif char is not None:
            out.append(char)
        elif command in ("frac", "dfrac", "tfrac"):
            top, i = _argument(tokens, i)
            bottom, i = _argument(tokens, i)
            out.append(f"{_wrapped(top)}/{_wrapped(bottom)}")
            if _next_is_operand(tokens, i):
                out.append(" · ")
        elif command == "sqrt":
            inside, i = _argument(tokens, i)
            out.append("√" + _wrapped(inside))
        elif command in ("text", "mathrm", "operatorname", "mathbf", "mathit", "textrm"):
            inside, i = _argument(tokens, i)
            out.append(inside)
        elif command in ("left", "right", "big", "Big", "bigl", "bigr"):
            continue  # the delimiter that follows is printed as it is
        elif command in _SPACES:
            out.append(_SPACES[command])
        elif command in _OPERATORS:
            out.append(f" {_OPERATORS[command]} ")
            i = _skip_spaces(tokens, i)
        elif command in _FUNCTIONS:
            i = _skip_spaces(tokens, i)
            out.append(command + (" " if _next_is_letter(tokens, i) else ""))
        else:
            out.append(_SYMBOLS.get(command, command))
            i = _skip_spaces(tokens, i)  # as in LaTeX, a space after a control word is not printed
    return "".join(out), i


def _argument(tokens, i: int):
    """The next argument: a ``{group}``, a command, or one character."""
    i = _skip_spaces(tokens, i)
    if i >= len(tokens):
        return "", i
    command, _, char = tokens[i]
    if char == "{":
        return _group(tokens, i + 1, "}")
    if command is not None:
        return _group([tokens[i]], 0, None)[0], i + 1
    return char, i + 1


def _script(text: str, table: dict, mark: str) -> str:
    text = text.replace(" ", "")
    if text and len(text) <= 3 and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return mark + (text if len(text) == 1 else f"({text})")


def _wrapped(text: str) -> str:
    """``text`` in parentheses when it holds an operator or a space outside parentheses, so ``a/b`` reads
    unambiguously."""
    text, depth = text.strip(), 0
    for c in text:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0 and c in " +-/·=":
            return f"({text})"
    return text


def _skip_spaces(tokens, i: int) -> int:
    while i < len(tokens) and tokens[i][1] is not None:
        i += 1
    return i


def _next_is_letter(tokens, i: int) -> bool:
    return i < len(tokens) and ((tokens[i][2] or "").isalnum() or tokens[i][0] in _SYMBOLS)


def _next_is_operand(tokens, i: int) -> bool:
    """Whether what follows a fraction multiplies it (``\\frac{x}{2}(1 + ...)``), so a ``·`` must show it."""
    i = _skip_spaces(tokens, i)
    if i >= len(tokens):
        return False
    command, _, char = tokens[i]
    return char == "(" or bool(char and char.isalnum()) or command in _FUNCTIONS or command in _SYMBOLS or \
        command in ("left", "frac", "sqrt", "mathrm", "text")
