"""Activation functions: the one registry every page, network and trainer uses.

The lecture's six (sigmoid, tanh, ReLU, leaky ReLU, maxout, ELU), the identity
(which makes a network collapse to one linear map), and three modern extras
(GELU in its exact erf form, SiLU, softplus).

Every element-wise activation ``f`` is applied to ``Z`` entry by entry::

    a = f(Z)            Z, a : [out, B]

Maxout is not element-wise: a maxout layer computes ``k`` linear pieces per
unit, ``Z : [k*out, B]``, and each unit keeps the largest of its pieces::

    a_j = max_p Z[p*out + j]        a : [out, B]

All functions are written so that no ``exp`` overflows for any finite input
(|x| up to 1e300 gives no warning), and the derivatives in a form that does not
cancel, so they keep their digits where they are tiny (σ'(40) = 4.2e-18, not 0).
Softmax, which normalises over the classes, is the output layer's activation
(:data:`SOFTMAX`, in :data:`OUTPUT_ACTIVATIONS`); it is not one of :data:`NAMES`.

Adding an activation is adding one :class:`Activation` entry to the registry:
its f and f', formulas, symbol, initialisation rule, output bounds and how the
exported numpy and PyTorch scripts write it (:class:`ExportCode`). The networks,
the trainer, the pages, the charts and the code export read everything from there.

>>> from explorer.core.activations import ACTIVATIONS
>>> ACTIVATIONS["sigmoid"].f(0.0)
0.5
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy import special

Array = np.ndarray

# Parameters of the parametric activations, with their defaults and ranges.
PARAM_RANGES = {
    "slope": (0.0, 1.0, 0.1),   # leaky ReLU: max(slope*x, x); the slide uses 0.1
    "alpha": (0.01, 5.0, 1.0),  # ELU: alpha*(exp(x) - 1) for x < 0
    "pieces": (2, 8, 2),        # maxout: k linear pieces per unit
}


def sigmoid(x):
    """σ(x) = 1 / (1 + e^{-x}), computed without overflow for any x."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out if out.ndim else float(out)


def _sigmoid_d(x):
    """σ'(x) = σ(x)(1 − σ(x)), computed as e^{-|x|} / (1 + e^{-|x|})²: no cancellation, so it is
    accurate in relative terms for every x (σ(x)(1 − σ(x)) rounds to 0 once σ(x) rounds to 1)."""
    e = np.exp(-np.abs(np.asarray(x, dtype=float)))
    return e / ((1.0 + e) * (1.0 + e))


def _tanh_d(x):
    """tanh'(x) = 1 − tanh²(x) = sech²(x), computed as 4e^{-2|x|} / (1 + e^{-2|x|})² (no cancellation)."""
    e = np.exp(-2.0 * np.abs(np.asarray(x, dtype=float)))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


# Derivatives from a layer's output a = f(z), exact identities a backward pass may use (they
# skip recomputing f'(z) from z): σ' = a(1 − a), tanh' = 1 − a², ReLU' = [a > 0], id' = 1.
# Each takes the upstream gradient dA too and returns dA · f'(z) (dA = 1: the derivative itself).
def _sigmoid_d_out(a, dA=1.0):
    return dA * a * (1.0 - a)


def _tanh_d_out(a, dA=1.0):
    return dA * (1.0 - a * a)


def _relu_d_out(a, dA=1.0):
    return dA * (a > 0)


def _identity_d_out(a, dA=1.0):
    return dA


def _relu(x):
    return np.maximum(x, 0.0)


def _relu_d(x):
    return (np.asarray(x) > 0).astype(float)


def _leaky(x, slope=0.1):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, x, slope * x)


def _leaky_d(x, slope=0.1):
    return np.where(np.asarray(x) >= 0, 1.0, slope)


def _elu(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def _elu_d(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def _identity(x):
    return np.asarray(x, dtype=float) * 1.0


def _identity_d(x):
    return np.ones_like(np.asarray(x, dtype=float))


_SQRT2 = np.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


def _gelu(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * x * special.erfc(-x / _SQRT2)  # = x * Phi(x), accurate for x << 0


def _gelu_d(x):
    x = np.asarray(x, dtype=float)
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * np.minimum(x * x, 1e300))
    return 0.5 * special.erfc(-x / _SQRT2) + x * pdf


def _silu(x):
    x = np.asarray(x, dtype=float)
    return x * sigmoid(x)


def _silu_d(x):
    x = np.asarray(x, dtype=float)
    s = sigmoid(x)
    return s * (1.0 + x * (1.0 - s))


def _softplus(x):
    return np.logaddexp(0.0, np.asarray(x, dtype=float))


def maxout_reduce(Z: Array, pieces: int) -> Array:
    """Maxout over the piece axis: ``Z : [k*out, B] -> a : [out, B]``.

    Rows are grouped piece-major: row ``p*out + j`` is piece ``p`` of unit ``j``.
    """
    Z = np.asarray(Z, dtype=float)
    rows = Z.shape[0]
    if rows % pieces:
        raise ValueError(f"maxout: {rows} rows are not a multiple of k = {pieces}")
    return Z.reshape(pieces, rows // pieces, *Z.shape[1:]).max(axis=0)


def maxout_mask(Z: Array, pieces: int) -> Array:
    """dA/dZ for maxout: 1 where a piece is its unit's maximum (first on ties)."""
    Z = np.asarray(Z, dtype=float)
    grouped = Z.reshape(pieces, Z.shape[0] // pieces, *Z.shape[1:])
    winner = grouped.argmax(axis=0)
    mask = np.arange(pieces).reshape(-1, *([1] * winner.ndim)) == winner[None]
    return mask.reshape(Z.shape).astype(float)


def maxout_pieces_1d(pieces: int) -> tuple[Array, Array]:
    """Slopes and intercepts of ``k`` example pieces for drawing maxout as a curve.

    The pieces are tangents of the parabola x²/8 at points spread over [-4, 4], so
    their maximum is a convex, piecewise-linear curve that approaches the
    parabola as k grows (k = 2 gives a V shape; the two pieces 0 and x would
    give ReLU exactly).
    """
    t = np.linspace(-4.0, 4.0, pieces)
    return t / 4.0, -(t**2) / 8.0


def _maxout_curve(x, pieces=2):
    x = np.asarray(x, dtype=float)
    w, c = maxout_pieces_1d(int(pieces))
    return np.max(w[:, None] * x.reshape(1, -1) + c[:, None], axis=0).reshape(x.shape)


def _maxout_curve_d(x, pieces=2):
    x = np.asarray(x, dtype=float)
    w, c = maxout_pieces_1d(int(pieces))
    idx = np.argmax(w[:, None] * x.reshape(1, -1) + c[:, None], axis=0)
    return w[idx].reshape(x.shape)


@dataclass(frozen=True)
class ExportCode:
    """How an exported script (:mod:`explorer.core.export_code`) writes an activation in one library.

    ``expression`` is a Python expression template in ``{z}`` (the layer's pre-activations
    ``Z``) and in the entry's parameters (``{slope}``, ``{alpha}``, ``{pieces}``); ``imports``
    the import lines it needs and ``helper`` the text of any function it calls (defined once
    in the script, before the forward pass).

    >>> ExportCode("np.where({z} >= 0, {z}, {slope!r} * {z})").write("Z", slope=0.1)
    'np.where(Z >= 0, Z, 0.1 * Z)'
    """

    expression: str
    imports: tuple[str, ...] = ()
    helper: str = ""

    def write(self, z: str = "Z", **params) -> str:
        """The expression applied to the variable ``z``, with the parameters written in."""
        return self.expression.format(z=z, **params)


@dataclass(frozen=True)
class Activation:
    """One activation function and everything the app knows about it.

    ``f(x, **params)`` and ``df(x, **params)`` work on scalars and arrays;
    ``params`` names the keyword parameters it takes (from PARAM_RANGES).
    For maxout, ``f``/``df`` draw the 1-D curve of example pieces; a network
    uses :func:`maxout_reduce` on its ``[k*out, B]`` pre-activations instead
    (:meth:`layer_functions` gives a network layer what it needs).

    ``symbol`` is the function's LaTeX name in formulas (``\\sigma``) and ``text_symbol``
    the same in plain text (``σ``); ``init`` the weight initialisation a layer of it gets
    (``"xavier"``: std sqrt(2 / (in + out)), ``"he"``: sqrt(2 / in), for the ReLU family);
    ``bounds`` the ``(low, high)`` limits of its outputs when they are bounded (else None), so
    that pictures of its outputs can use a fixed scale; ``df_from_output(a, dA=1)`` is
    ``dA · f'(z)`` written in the output ``a = f(z)`` where that identity is exact
    (σ' = a(1 − a), tanh' = 1 − a², ReLU' = [a > 0], id' = 1), else None.
    ``numpy_code`` and ``torch_code`` (:class:`ExportCode`) are how a layer of it is written in
    the numpy and PyTorch scripts the playground exports.
    """

    name: str
    label: str
    latex: str
    dlatex: str
    _f: Callable = field(repr=False)
    _df: Callable = field(repr=False)
    params: tuple[str, ...] = ()
    lecture: bool = True
    note: str = ""
    output_range: str = ""
    symbol: str = "f"
    text_symbol: str = "f"
    init: str = "xavier"
    bounds: tuple[float, float] | None = None
    df_from_output: Callable | None = field(default=None, repr=False)
    elementwise: bool = True
    numpy_code: ExportCode | None = None
    torch_code: ExportCode | None = None

    @property
    def abs_bound(self) -> float | None:
        """``max(|low|, |high|)`` of :attr:`bounds` (1 for sigmoid, tanh, softmax), None if unbounded."""
        return None if self.bounds is None else float(max(abs(self.bounds[0]), abs(self.bounds[1])))

    def _kw(self, params: dict) -> dict:
        unknown = set(params) - set(self.params)
        if unknown:
            raise TypeError(f"{self.name} takes no parameter(s) {sorted(unknown)}")
        return params

    def f(self, x, **params):
        out = self._f(x, **self._kw(params))
        return out if np.ndim(out) else float(out)

    def df(self, x, **params):
        out = self._df(x, **self._kw(params))
        return out if np.ndim(out) else float(out)

    def layer_functions(self, **params) -> tuple[Callable, Callable | None]:
        """``(f(Z), grad(Z, a, dA))`` for a network layer: ``a = f(Z)`` and ``dL/dZ`` from ``dL/da``.

        Element-wise activations give ``dA * f'`` (from the output ``a`` where
        :attr:`df_from_output` is set, else from ``Z``); maxout keeps the largest of its
        ``pieces`` (``Z : [k*out, B] -> a : [out, B]``) and routes the gradient to it; softmax
        (an output layer only) has no ``grad``: its loss gives ``dL/dZ`` directly.
        """
        kw = self._kw(params)
        if self.name == "softmax":
            from explorer.core.probability import softmax   # probability imports this module

            return (lambda Z: softmax(Z, axis=0)), None
        if self.name == "maxout":
            k = int(kw.get("pieces", PARAM_RANGES["pieces"][2]))
            return ((lambda Z: maxout_reduce(Z, k)),
                    (lambda Z, a, dA: np.tile(dA, (k, 1)) * maxout_mask(Z, k)))
        f, df, dout = self._f, self._df, self.df_from_output
        if kw:
            return (lambda Z: f(Z, **kw)), (lambda Z, a, dA: dA * df(Z, **kw))
        if dout is not None:
            return f, (lambda Z, a, dA: dout(a, dA))
        return f, (lambda Z, a, dA: dA * df(Z))


# How the exported scripts (explorer.core.export_code) write each activation: numpy's and PyTorch's.
_F = "torch.nn.functional"
_NUMPY_MAXOUT = '''def maxout(Z, k):
    """Each unit keeps the largest of its k pieces: Z [k*out, B] -> a [out, B] (row p*out + j: piece p of unit j)."""
    return Z.reshape(k, -1, Z.shape[1]).max(axis=0)'''
_TORCH_MAXOUT = _NUMPY_MAXOUT.replace(".max(axis=0)", ".amax(dim=0)")
_NUMPY_GELU = '''def gelu(Z):
    """GELU(z) = z Φ(z) = z/2 · erfc(-z/√2), the exact form (erfc keeps its digits for z << 0)."""
    return 0.5 * Z * np.vectorize(math.erfc, otypes=[float])(-Z / np.sqrt(2))'''
_NUMPY_SOFTMAX = '''def softmax(Z):
    """Probabilities along the class axis (axis 0): each column's max is subtracted first, so no exp overflows."""
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0)'''


def _make_registry() -> dict[str, Activation]:
    acts = [
        Activation("sigmoid", "sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}",
                   r"\sigma'(x) = \sigma(x)\,[1 - \sigma(x)]", sigmoid, _sigmoid_d,
                   note="Squashes to (0, 1); active range about -5 to 5, flat (saturated) outside.",
                   output_range="(0, 1)", symbol=r"\sigma", text_symbol="σ", init="xavier", bounds=(0.0, 1.0),
                   df_from_output=_sigmoid_d_out,
                   numpy_code=ExportCode("1 / (1 + np.exp(-{z}))"), torch_code=ExportCode("torch.sigmoid({z})")),
        Activation("tanh", "tanh", r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
                   r"\tanh'(x) = 1 - \tanh^2(x)", np.tanh, _tanh_d,
                   note="Zero-centred sigmoid: tanh(x) = 2σ(2x) − 1. Saturates like σ.",
                   output_range="(-1, 1)", symbol=r"\tanh", text_symbol="tanh", init="xavier", bounds=(-1.0, 1.0),
                   df_from_output=_tanh_d_out,
                   numpy_code=ExportCode("np.tanh({z})"), torch_code=ExportCode("torch.tanh({z})")),
        Activation("relu", "ReLU", r"\mathrm{ReLU}(x) = \max(0, x)",
                   r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}",
                   _relu, _relu_d,
                   note="No saturation for x > 0; a unit whose inputs are all negative is 'dead' (gradient 0).",
                   output_range="[0, ∞)", symbol=r"\mathrm{ReLU}", text_symbol="ReLU", init="he",
                   df_from_output=_relu_d_out,
                   numpy_code=ExportCode("np.maximum({z}, 0)"), torch_code=ExportCode("torch.relu({z})")),
        Activation("leaky_relu", "leaky ReLU", r"\mathrm{LReLU}(x) = \max(\alpha x, x)",
                   r"\mathrm{LReLU}'(x) = \begin{cases} 1 & x \ge 0 \\ \alpha & x < 0 \end{cases}",
                   _leaky, _leaky_d, params=("slope",),
                   note="A small slope for x < 0 (the slide's 0.1) keeps units from dying.",
                   output_range="(-∞, ∞)", symbol=r"\mathrm{LReLU}", text_symbol="LReLU", init="he",
                   numpy_code=ExportCode("np.where({z} >= 0, {z}, {slope!r} * {z})"),
                   torch_code=ExportCode(_F + ".leaky_relu({z}, {slope!r})")),
        Activation("maxout", "maxout", r"\mathrm{maxout}(x) = \max_{p=1..k}\,(w_p^T x + b_p)",
                   r"\frac{\partial a}{\partial z_p} = \begin{cases} 1 & z_p \text{ is the max} \\ 0 & \text{otherwise} \end{cases}",
                   _maxout_curve, _maxout_curve_d, params=("pieces",),
                   note="Each unit keeps the largest of k linear pieces: k times the parameters of a plain layer. "
                        "With pieces 0 and x it is exactly ReLU.",
                   output_range="(-∞, ∞)", symbol=r"\mathrm{maxout}", text_symbol="maxout", init="he",
                   elementwise=False, numpy_code=ExportCode("maxout({z}, {pieces})", helper=_NUMPY_MAXOUT),
                   torch_code=ExportCode("maxout({z}, {pieces})", helper=_TORCH_MAXOUT)),
        Activation("elu", "ELU", r"\mathrm{ELU}(x) = \begin{cases} x & x \ge 0 \\ \alpha (e^{x} - 1) & x < 0 \end{cases}",
                   r"\mathrm{ELU}'(x) = \begin{cases} 1 & x \ge 0 \\ \alpha e^{x} & x < 0 \end{cases}",
                   _elu, _elu_d, params=("alpha",),
                   note="Smooth for x < 0, tends to −α: outputs closer to zero mean than ReLU.",
                   output_range="(-α, ∞)", symbol=r"\mathrm{ELU}", text_symbol="ELU", init="he",
                   numpy_code=ExportCode("np.where({z} >= 0, {z}, {alpha!r} * np.expm1(np.minimum({z}, 0)))"),
                   torch_code=ExportCode(_F + ".elu({z}, {alpha!r})")),
        Activation("identity", "identity", r"f(x) = x", r"f'(x) = 1",
                   _identity, _identity_d, lecture=False,
                   note="No nonlinearity: a network of identity layers collapses to one linear map.",
                   output_range="(-∞, ∞)", symbol=r"\mathrm{id}", text_symbol="id", init="xavier",
                   df_from_output=_identity_d_out, numpy_code=ExportCode("{z}"), torch_code=ExportCode("{z}")),
        Activation("gelu", "GELU", r"\mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left[1 + \mathrm{erf}\!\left(\frac{x}{\sqrt{2}}\right)\right]",
                   r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)", _gelu, _gelu_d, lecture=False,
                   note="Modern extra (transformers): a smooth ReLU weighted by the normal CDF Φ.",
                   output_range="[≈ -0.17, ∞)", symbol=r"\mathrm{GELU}", text_symbol="GELU", init="he",
                   numpy_code=ExportCode("gelu({z})", imports=("import math",), helper=_NUMPY_GELU),
                   torch_code=ExportCode(_F + ".gelu({z})")),   # torch's default is the exact erf form
        Activation("silu", "SiLU", r"\mathrm{SiLU}(x) = x\,\sigma(x)",
                   r"\mathrm{SiLU}'(x) = \sigma(x)\,[1 + x\,(1 - \sigma(x))]", _silu, _silu_d, lecture=False,
                   note="Modern extra: smooth, slightly non-monotonic near x ≈ -1.28.",
                   output_range="[≈ -0.28, ∞)", symbol=r"\mathrm{SiLU}", text_symbol="SiLU", init="he",
                   numpy_code=ExportCode("{z} / (1 + np.exp(-{z}))"), torch_code=ExportCode(_F + ".silu({z})")),
        Activation("softplus", "softplus", r"\mathrm{softplus}(x) = \log(1 + e^{x})",
                   r"\mathrm{softplus}'(x) = \sigma(x)", _softplus, sigmoid, lecture=False,
                   note="Modern extra: a smooth ReLU whose derivative is the sigmoid.",
                   output_range="(0, ∞)", symbol=r"\mathrm{softplus}", text_symbol="softplus", init="he",
                   numpy_code=ExportCode("np.logaddexp(0, {z})"), torch_code=ExportCode(_F + ".softplus({z})")),
    ]
    return {a.name: a for a in acts}


def _softmax(Z):
    from explorer.core.probability import softmax   # probability imports this module

    return softmax(Z, axis=0)


def _softmax_d(Z):
    raise ValueError("softmax is not element-wise: its derivative is the Jacobian "
                     "∂a_i/∂z_j = a_i (δ_ij − a_j); with the cross-entropy loss, dL/dZ = a − y")


SOFTMAX = Activation(
    "softmax", "softmax", r"\mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=0}^{K-1} e^{z_j}}",
    r"\frac{\partial a_i}{\partial z_j} = a_i\,(\delta_{ij} - a_j)", _softmax, _softmax_d, lecture=True,
    note="Output layer only: turns K scores into K probabilities that sum to 1 (along the class axis).",
    output_range="(0, 1), columns sum to 1", symbol=r"\mathrm{softmax}", text_symbol="softmax", init="xavier",
    bounds=(0.0, 1.0), elementwise=False,
    numpy_code=ExportCode("softmax({z})", helper=_NUMPY_SOFTMAX), torch_code=ExportCode("torch.softmax({z}, dim=0)"))

ACTIVATIONS: dict[str, Activation] = _make_registry()
NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
LECTURE_NAMES: tuple[str, ...] = tuple(n for n, a in ACTIVATIONS.items() if a.lecture)
LABELS: dict[str, str] = {n: a.label for n, a in ACTIVATIONS.items()}  # name -> short display name
OUTPUT_ACTIVATIONS: dict[str, Activation] = {"softmax": SOFTMAX}   # allowed on the output layer only
LAYER_ACTIVATIONS: dict[str, Activation] = {**ACTIVATIONS, **OUTPUT_ACTIVATIONS}   # any layer's


def get(name: str, output: bool = False) -> Activation:
    """The activation called ``name``; a clear error listing the known names otherwise.

    ``output=True`` also knows the output-only ones (softmax).
    """
    known = LAYER_ACTIVATIONS if output else ACTIVATIONS
    try:
        return known[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(known)}") from None
