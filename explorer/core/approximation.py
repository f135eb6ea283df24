"""Universal approximation in one dimension: a 1 -> width -> 1 network fitting a target curve.

Hornik (1991), "Approximation Capabilities of Multilayer Feedforward Networks",
Neural Networks 4(2), 251-257, doi:10.1016/0893-6080(91)90009-T: one hidden
layer with a bounded, nonconstant activation approximates any continuous
function on a compact set as closely as we like, given enough hidden units.

For one input ``x`` the network of the lecture, with an identity output
(the regression head), is a sum of scaled hidden units plus the output bias::

    u       = x / 3                                  (inputs scaled to [-1, 1])
    y_hat   = W2 f(W1 u + b1) + b2
            = sum_j  w2_j f(w1_j u + b1_j)  +  b2    (W1 : [width, 1], W2 : [1, width])
              '------ c_j(x) ------'

:func:`contributions` returns the ``c_j(x)``; their sum plus ``b2`` equals
``net.forward`` to rounding. Each ``c_j`` is one bump (sigmoid, tanh) or kink
(ReLU family) placed where ``w1_j u + b1_j = 0``, i.e. at ``x = -3 b1_j / w1_j``.

>>> x, y = make_data("sine", noise=0.0, seed=0)
>>> x.shape, y.shape, float(x[0]), float(x[-1])
((200,), (200,), -3.0, 3.0)
>>> net = make_network(16, "tanh", seed=0)
>>> C, b2 = contributions(net, x)
>>> C.shape
(16, 200)
>>> bool(abs(C.sum(axis=0) + b2 - predict(net, x)).max() < 1e-12)
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from explorer.core.activations import NAMES
from explorer.core.mlp import MLP
from explorer.core.train import Trainer

X_RANGE = (-3.0, 3.0)           # the fixed input range of the page
INPUT_SCALE = 3.0               # u = x / INPUT_SCALE lies in [-1, 1]
N_SAMPLES = 200                 # training points, evenly spaced over X_RANGE
GRID_POINTS = 1001              # the dense grid the error is measured on
WIDTHS = (1, 2, 4, 8, 16, 32, 64)
MAX_WIDTH = 64
DEFAULT_LR = 0.01               # Adam, full batch
SWEEP_STEPS = 1500              # Adam steps per width in :func:`width_sweep`
SLOPE_RANGE = (2.0, 8.0)        # |w1_j| at initialisation, in units of u
OUTPUT_STD = 0.5                # typical size of the untrained network's output


@dataclass(frozen=True)
class Target:
    """A function of one variable to approximate on X_RANGE."""

    name: str
    label: str
    latex: str
    f: Callable[[np.ndarray], np.ndarray]

    def __call__(self, x) -> np.ndarray:
        return self.f(np.asarray(x, dtype=float))


def _sine(x):
    return np.sin(2.0 * x)


def _abs(x):
    return np.abs(x)


def _step(x):
    return np.where(x >= 0.0, 1.0, 0.0)


def _sawtooth(x):
    # period 2, rising from -1 to 1; jumps at the odd integers
    return 2.0 * (x / 2.0 - np.floor(x / 2.0 + 0.5))


def _bump(x):
    return np.exp(-2.0 * x * x)


def _polynomial(x):
    return 0.1 * x**3 - 0.6 * x


TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("sine", "sin(2x)", r"y = \sin(2x)", _sine),
    Target("abs", "|x|", r"y = |x|", _abs),
    Target("step", "step at 0", r"y = \begin{cases} 0 & x < 0 \\ 1 & x \ge 0 \end{cases}", _step),
    Target("sawtooth", "sawtooth", r"y = 2\left(\tfrac{x}{2} - \left\lfloor \tfrac{x}{2} + \tfrac{1}{2} \right\rfloor\right)",
           _sawtooth),
    Target("bump", "exp(−2x²)", r"y = e^{-2x^2}", _bump),
    Target("polynomial", "0.1x³ − 0.6x", r"y = 0.1x^3 - 0.6x", _polynomial),
)}


def target_values(name: str, x) -> np.ndarray:
    """The target ``name`` at ``x``; a clear error for an unknown name."""
    try:
        return TARGETS[name](x)
    except KeyError:
        raise ValueError(f"unknown target {name!r}; known: {', '.join(TARGETS)}") from None


def scale(x) -> np.ndarray:
    """The network's input: ``u = x / 3``, so that X_RANGE maps to [-1, 1]."""
    return np.asarray(x, dtype=float) / INPUT_SCALE


def grid(n: int = GRID_POINTS) -> np.ndarray:
    """``n`` evenly spaced points over X_RANGE (ends included)."""
    return np.linspace(*X_RANGE, int(n))


def make_data(target: str, n: int = N_SAMPLES, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` evenly spaced samples ``x`` over X_RANGE and ``y = target(x) + noise * N(0, 1)`` (seeded)."""
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a non-negative number, got {noise}")
    x = grid(n)
    y = target_values(target, x)
    if noise:
        y = y + noise * np.random.default_rng(seed + 1).normal(size=x.shape)
    return x, y


def make_network(width: int, activation: str, seed: int = 0) -> MLP:
    """A seeded ``1 -> width -> 1`` MLP: hidden ``activation``, identity output (regression head).

    The hidden units are spread over the input range rather than all starting at 0:
    each row of ``W1`` gets a random sign and a slope ``|w1| ~ U(2, 8)`` (in units of u),
    and ``b1 = -w1 c`` with the unit's centre ``c ~ U(-1, 1)``, so unit j bends
    near ``x = 3 c``. The output weights are ``w2_j ~ N(0, 0.5² / width) / rms_j`` (``rms_j``: the
    root mean square of unit j over the range), so the untrained output is a gentle curve of size
    about 0.5 for every activation; ``b2 = 0``.
    """
    if activation not in NAMES:
        raise ValueError(f"unknown activation {activation!r}; known: {', '.join(NAMES)}")
    if not 1 <= int(width) <= 4096:
        raise ValueError(f"the width must be a whole number from 1 to 4096, got {width}")
    net = MLP(1, [int(width), 1], [activation, "identity"], seed=seed)
    hidden, out = net.layers
    rng = np.random.default_rng([seed, 1991])
    rows = hidden.W.shape[0]                       # k * width for maxout
    slope = rng.choice([-1.0, 1.0], size=(rows, 1)) * rng.uniform(*SLOPE_RANGE, size=(rows, 1))
    centre = rng.uniform(-1.0, 1.0, size=(rows, 1))
    hidden.W[...] = slope
    hidden.b[...] = -slope * centre
    _, a = hidden.forward(scale(grid(101)).reshape(1, -1))
    rms = np.sqrt(np.mean(a * a, axis=1))
    out.W[...] = rng.normal(size=out.W.shape) * OUTPUT_STD / (np.sqrt(out.W.shape[1]) * np.maximum(rms, 1e-3))
    out.b[...] = 0.0
    return net


def check_shape(net: MLP) -> None:
    """Refuse anything but a 1 -> width -> 1 network with an identity output."""
    if net.n_in != 1 or len(net.layers) != 2 or net.arch.n_out != 1 or net.layers[1].activation != "identity":
        raise ValueError("universal approximation here needs a 1 -> width -> 1 network with an identity output")


def predict(net: MLP, x) -> np.ndarray:
    """``y_hat(x)``, one value per point of ``x`` (the input is scaled inside)."""
    return net.forward(scale(x).reshape(1, -1))[0]


def contributions(net: MLP, x) -> tuple[np.ndarray, float]:
    """Each hidden unit's scaled output and the output bias: ``(C, b2)``.

    ``C[j] = w2_j f(w1_j u + b1_j)`` with ``u = x / 3``, so that
    ``C.sum(axis=0) + b2 == predict(net, x)`` up to rounding.
    """
    check_shape(net)
    hidden, out = net.layers
    _, a = hidden.forward(scale(x).reshape(1, -1))   # a : [width, B]
    return out.W[0][:, None] * a, float(out.b[0, 0])


def centres(net: MLP) -> np.ndarray:
    """Where each hidden pre-activation crosses zero, in x: ``-3 b1 / w1`` (nan if w1 = 0).

    For maxout every piece has its own crossing; the first piece is returned.
    """
    check_shape(net)
    hidden = net.layers[0]
    width = net.layers[1].W.shape[1]
    w, b = hidden.W[:width, 0], hidden.b[:width, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w != 0, -INPUT_SCALE * b / w, np.nan)


def grid_mse(net: MLP, target: str, n: int = GRID_POINTS) -> float:
    """Mean squared error between the network and the (noise-free) target on a dense grid."""
    x = grid(n)
    with np.errstate(over="ignore", invalid="ignore"):
        diff = predict(net, x) - target_values(target, x)
        return float(np.mean(diff * diff))


def make_trainer(target: str, width: int, activation: str, noise: float = 0.0, lr: float = DEFAULT_LR,
                 seed: int = 0, n: int = N_SAMPLES) -> Trainer:
    """A full-batch Adam trainer for :func:`make_network` on :func:`make_data` (mean squared error)."""
    x, y = make_data(target, n, noise, seed)
    net = make_network(width, activation, seed)
    return Trainer(net, scale(x).reshape(1, -1), y.reshape(1, -1), "regression", optimiser="adam", lr=lr,
                   seed=seed)


def fit_width(target: str, width: int, activation: str, steps: int = SWEEP_STEPS, lr: float = DEFAULT_LR,
              seed: int = 0, noise: float = 0.0) -> tuple[float, float]:
    """Train one ``1 -> width -> 1`` network for ``steps`` full-batch Adam steps.

    Returns ``(grid_mse, train_loss)``: the error against the clean target on the dense
    grid and the last training loss; both nan if training diverged.
    """
    trainer = make_trainer(target, int(width), activation, noise, lr, seed)
    metrics = trainer.step(int(steps))
    if trainer.status == "diverged":
        return float("nan"), float("nan")
    return grid_mse(trainer.net, target), float(metrics["train_loss"])


@dataclass(frozen=True)
class SweepResult:
    """Final error per width, all trained the same way (same data, seed, steps, learning rate)."""

    widths: tuple[int, ...]
    grid_mse: tuple[float, ...]       # against the clean target on the dense grid (nan if diverged)
    train_loss: tuple[float, ...]     # against the training samples
    steps: int


def width_sweep(target: str, activation: str, widths: Sequence[int] = WIDTHS, steps: int = SWEEP_STEPS,
                lr: float = DEFAULT_LR, seed: int = 0, noise: float = 0.0) -> SweepResult:
    """:func:`fit_width` for every width: how the final error falls as the hidden layer grows."""
    results = [fit_width(target, int(w), activation, steps, lr, seed, noise) for w in widths]
    return SweepResult(tuple(int(w) for w in widths), tuple(r[0] for r in results),
                       tuple(r[1] for r in results), int(steps))
