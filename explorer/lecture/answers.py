"""The answers to the lecture's questions, computed by ``explorer.core`` from a step's settings.

A question in a deck names one of these functions (``"answer": "mlp_param_count"``). Each takes
the page's settings as the page reads them (``{key: value}``, every declared setting, defaults
filled in) and returns an :class:`Answer`. Nothing here is a stored result: change the step's
settings and the answer follows, exactly as the page below it does.

No Streamlit here: importable from a notebook or a test.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from explorer.core import activations as act
from explorer.core import broadcasting, hog_features, images, linear_map, probability, regression
from explorer.core.architecture import Architecture
from explorer.core.mlp import MLP
from explorer.settings.declare import from_state
from explorer.settings.mlp_builder import Settings as MLPSettings

CLASS_NAMES = ["CH3", "CH2", "CH4", "SAX", "Other"] + [f"class {k}" for k in range(5, 10)]


@dataclass(frozen=True)
class Answer:
    value: str | int         # int: a number the student types; str: the right option's text
    why: str                 # one or two sentences, in the page's terms


def _shape(t) -> str:
    return " × ".join(str(int(d)) for d in t) if len(t) else "() (a scalar)"


def _num(x: float, digits: int = 3) -> str:
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:.{digits}f}".rstrip("0").rstrip(".")


# -- z = W X + b and the MLP ------------------------------------------------------------------
def _mlp_arch(v: dict) -> Architecture:
    net = from_state(MLPSettings, v).network()
    return Architecture(net.n_in, net.widths, net.activations, net.pieces)


def mlp_param_count(v: dict) -> Answer:
    arch = _mlp_arch(v)
    return Answer(arch.n_params, f"With N = {arch.n_in:,} the network has {arch.formula().replace('+', ' + ')} = "
                                 f"{arch.n_params:,} parameters: only the first layer grows with N.")


def linear_map_params(v: dict) -> Answer:
    N = linear_map.image_pixels(v["lm_H"], v["lm_W"]) if v["lm_input"] == "image" else v["lm_N"]
    s = linear_map.shapes(N, v["lm_K"], v["lm_B"])
    return Answer(s.n_params, f"W is {_shape(s.W)} and b is {_shape(s.b)}: K·N + K = {s.n_params:,} "
                              f"numbers, whatever the batch size B.")


def linear_map_z_shape(v: dict) -> Answer:
    N = linear_map.image_pixels(v["lm_H"], v["lm_W"]) if v["lm_input"] == "image" else v["lm_N"]
    s = linear_map.shapes(N, v["lm_K"], v["lm_B"])
    return Answer(_shape(s.Z), f"W ({_shape(s.W)}) times X ({_shape(s.X)}) is {_shape(s.WX)}: one row per "
                               f"output, one column per image of the batch; b is added to every column.")


def collapsed_params(v: dict) -> Answer:
    n, out = int(v["lc_N"]), int(v["lc_out"])
    widths = [int(v[f"lc_w{i}"]) for i in range(1, int(v["lc_L"]))] + [out]
    deep = Architecture(n, widths, ["identity"] * len(widths)).n_params
    single = Architecture(n, [out], ["identity"]).n_params
    return Answer(single, f"The deep network stores {deep:,} numbers, but it computes W_eff X + b_eff with "
                          f"W_eff of shape {out} × {n} and b_eff of {out} × 1: {single:,} numbers.")


# -- broadcasting -------------------------------------------------------------------------------
def broadcast_result(v: dict) -> Answer:
    e = broadcasting.explain_broadcast(v["bc_a"], v["bc_b"])
    if e.ok:
        return Answer(_shape(e.result), "From the right, each pair of sizes is equal or one of them is 1 "
                                         "(and a missing dimension counts as 1): the result takes the larger.")
    return Answer("error: they do not broadcast", f"numpy refuses: {e.error}")


# -- sigmoid, softmax, logits ---------------------------------------------------------------
def sigmoid_value(v: dict) -> Answer:
    a = float(act.sigmoid(np.float64(v["sm_z"])))
    return Answer(_num(a), f"σ({_num(v['sm_z'])}) = 1 / (1 + exp(−{_num(v['sm_z'])})) = {a:.4f}.")


def threshold_logit(v: dict) -> Answer:
    z = float(probability.logit(np.float64(v["sm_thr"])))
    return Answer(_num(z), f"a ≥ {v['sm_thr']:g} exactly when z ≥ logit({v['sm_thr']:g}) = "
                           f"log({v['sm_thr']:g} / {1 - v['sm_thr']:g}) = {z:.3f}.")


def _logits(v: dict) -> np.ndarray:
    return np.array([float(v[f"sm_z{k}"]) for k in range(int(v["sm_K"]))])


def softmax_winner(v: dict) -> Answer:
    z = _logits(v)
    p = probability.softmax(z[:, None])[:, 0]
    k = int(np.argmax(p))
    return Answer(CLASS_NAMES[k], f"softmax keeps the order of the logits: the largest z ({z[k]:g}, "
                                  f"{CLASS_NAMES[k]}) gets the largest probability, {p[k]:.3f}.")


def one_hot_target(v: dict) -> Answer:
    K = int(v["sm_K"])
    y = probability.one_hot(np.array([int(v["sm_true"])]), K)[:, 0]
    text = "[" + " ".join(str(int(x)) for x in y) + "]"
    return Answer(text, f"{CLASS_NAMES[int(v['sm_true'])]} is class {int(v['sm_true'])}: a 1 in that row, "
                        f"0 in the other {K - 1}.")


def _trick(v: dict) -> np.ndarray:
    return np.array([[v["sm_t0"]], [v["sm_t1"]], [v["sm_t2"]]], dtype=float)


def naive_softmax_works(v: dict) -> Answer:
    z = _trick(v)
    with np.errstate(all="ignore"):
        p = probability.softmax_naive(z)[:, 0]
    if np.all(np.isfinite(p)):
        return Answer("yes", "These logits are small enough: every exp(z) is a finite number.")
    return Answer("no: it gives nan", f"exp({z.max():g}) is beyond the largest float (about 1.8e308), so the "
                                      "formula divides inf by inf.")


def shift_changes_softmax(v: dict) -> Answer:
    z = _trick(v)
    c = float(z.max())
    same = np.allclose(probability.softmax(z), probability.softmax(z - c), rtol=1e-12, atol=1e-15)
    return Answer("no" if same else "yes", f"softmax(z − c) = softmax(z): exp(−c) cancels between the "
                                           f"numerator and the sum (here c = max z = {c:g}).")


# -- activations -----------------------------------------------------------------------------
def activation_at_probe(v: dict) -> Answer:
    a = act.get(v["act_focus"])
    kwargs = {k: v[f"act_{k}"] for k in a.params}
    x0 = float(v["act_x0"])
    y = float(np.asarray(a.f(np.array([x0]), **kwargs))[0])
    return Answer(_num(y), f"{a.label}({_num(x0)}) = {_num(y)}.")


def sigmoid_max_slope(v: dict) -> Answer:
    x = np.linspace(-10, 10, 20001)
    s = act.sigmoid(x)
    slope = float(np.max(s * (1 - s)))
    return Answer(_num(slope, 2), f"σ'(x) = σ(x)(1 − σ(x)) is largest at x = 0, where σ = 0.5: "
                                  f"0.5 × 0.5 = {slope:.2f}. Far from 0 it is almost 0 (saturation).")


# -- regression ----------------------------------------------------------------------------------
def descent_converges(v: dict) -> Answer:
    x, _ = regression.make_line_data(int(v["lr_n"]), v["lr_true_w"], v["lr_true_b"], v["lr_noise"], int(v["lr_seed"]))
    limit = regression.max_stable_lr(x)
    ok = v["lr_rate"] < limit
    return Answer("it converges" if ok else "it blows up",
                  f"Gradient descent on this loss is stable for lr < 2/λ_max = {limit:.4f}; lr = {v['lr_rate']:g} "
                  f"is {'below' if ok else 'above'} it.")


# -- images and features ------------------------------------------------------------------------
FEATURES_MAX_SIDE = 256   # the features page shrinks larger photos to this longer side (explorer/pages/features.py)


@lru_cache(maxsize=32)
def _sample_shape(key: str) -> tuple[int, int]:
    """(H, W) of a sample image (a tuple: safe to share)."""
    return tuple(int(s) for s in images.load_sample(key).shape[:2])


def _features_shape(key: str) -> tuple[int, int]:
    """The image's shape as the features page computes HOG on it (shrunk as classify.shrink does)."""
    shape = _sample_shape(key)
    scale = max(shape) / FEATURES_MAX_SIDE
    if scale <= 1:
        return shape
    return tuple(max(1, int(round(s / scale))) for s in shape)


def pixel_count(v: dict) -> Answer:
    shape = _sample_shape(v["px_img"])
    top, left, h, w = images.clip_window(shape, v["px_top"], v["px_left"], v["px_h"], v["px_w"])
    return Answer(h * w, f"The window is {h} rows × {w} columns, so X is N × 1 with N = H × W = {h * w:,}.")


def hog_length(v: dict) -> Answer:
    shape = _features_shape(v["fe_image"])
    lay = hog_features.layout(shape, v["fe_orient"], v["fe_ppc"], v["fe_cpb"])
    n = hog_features.hog_length(shape, v["fe_orient"], v["fe_ppc"], v["fe_cpb"])
    rows, cols = lay.n_blocks
    return Answer(n, f"A {shape[0]} × {shape[1]} image holds {rows} × {cols} block positions, each with "
                     f"{lay.cells_per_block}² cells × {lay.orientations} orientations = {lay.per_block} "
                     f"numbers: {rows * cols} × {lay.per_block} = {n:,}.")


# -- boundaries -------------------------------------------------------------------------------
def _is_linear(net: MLP) -> bool:
    """Is the network's pre-sigmoid output z(x1, x2) a plane? Checked on a grid with a least-squares fit."""
    g = np.linspace(-1.0, 1.0, 21)
    x1, x2 = np.meshgrid(g, g)
    X = np.vstack([x1.ravel(), x2.ravel()])
    a = X
    for layer in net.layers[:-1]:
        _, a = layer.forward(a)
    last = net.layers[-1]
    z = (last.W @ a + last.b)[0]
    A = np.column_stack([X.T, np.ones(X.shape[1])])
    coef, *_ = np.linalg.lstsq(A, z, rcond=None)
    residual = np.abs(A @ coef - z).max()
    return residual <= 1e-9 * max(1.0, np.abs(z).max())


def playground_boundary_straight(v: dict) -> Answer:
    hidden = int(v["pg_L"])
    widths = [4] * hidden + [1]
    f = v["pg_act"]
    straight = all(_is_linear(MLP(2, widths, [f] * hidden + ["sigmoid"], seed=s)) for s in range(3))
    name = act.LABELS.get(f, f)
    if straight:
        return Answer("yes, a straight line", f"With {name} hidden units every layer is linear, so z = W_eff x "
                                              "+ b_eff and the boundary z = 0 is one straight line, trained or not.")
    return Answer("no, it can bend", f"{name} bends each hidden unit's output, so z is not a plane and "
                                     "the boundary z = 0 can curve round the data.")


ANSWERS: dict[str, Callable[[dict], Answer]] = {
    f.__name__: f for f in (
        mlp_param_count, linear_map_params, linear_map_z_shape, collapsed_params, broadcast_result,
        sigmoid_value, threshold_logit, softmax_winner, one_hot_target, naive_softmax_works,
        shift_changes_softmax, activation_at_probe, sigmoid_max_slope, descent_converges, pixel_count,
        hog_length, playground_boundary_straight)
}


def answer(name: str, values: dict) -> Answer:
    return ANSWERS[name](values)


def matches(ans: Answer, given) -> bool:
    """Did the student's ``given`` (typed number or chosen option) match the computed answer?"""
    if isinstance(ans.value, int):
        try:
            return int(given) == ans.value
        except (TypeError, ValueError, OverflowError):
            return False
    if given is None:
        return False
    try:   # numeric options: equal to the shown precision
        return math.isclose(float(given), float(ans.value), rel_tol=0, abs_tol=0.0005 + 1e-12)
    except (TypeError, ValueError):
        return str(given).strip() == str(ans.value).strip()
