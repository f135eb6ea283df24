"""The playground's live figure: what Python sends to the browser, and what it accepts back.

The playground trains and draws in the browser (``explorer/web/playground.js``, with the
engine ``explorer/web/nn.js``). Python makes the data, the features and the seeded first
network and sends them once, as plain data (``explorer.core.mlp.twin_json``, :func:`points_json`);
the browser sends back a *report* (weights, epoch, metrics, settings, the student's own
points) on pause, step, reset, every change of a setting and about once a second while
playing. A browser (or anyone posting to the websocket) can send anything, so
:func:`parse_report` checks every field against the page's limits and builds the
network with :mod:`explorer.core` before anything uses it; a bad report raises
:class:`ReportError` with one sentence saying why.

The page keeps one :class:`Run` per session (the seeded first network and what the browser last
reported) and the :class:`Points` it trains on; :func:`evaluate` gives the page's :class:`Metrics`.

Nothing here imports streamlit (the page mounts the component).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from explorer.core import features as feats
from explorer.core.architecture import Architecture
from explorer.core.mlp import HEADS, MLP, head_loss, twin_json
from explorer.core.train import accuracy

MAX_REPORT_WEIGHT = 1e6      # larger |w| is refused (a diverged run reports status instead)
MAX_HISTORY = 400
REASONS = ("play", "pause", "step", "reset", "tick", "settings", "data", "points", "weight", "diverged",
           "stopped", "request")


class ReportError(ValueError):
    """A report from the browser that cannot be used; the message says why in one sentence."""


# -- Python -> browser ---------------------------------------------------------------------------
def labels_of(Y: np.ndarray, kind: str) -> np.ndarray:
    """Targets ``Y`` ([1, B] or one-hot [K, B]) as one number per point: 0/1, the class, or y."""
    Y = np.asarray(Y, dtype=float)
    if kind == "multiclass":
        return Y.argmax(axis=0).astype(float)
    return Y[0]


def targets_of(t: np.ndarray, kind: str, K: int) -> np.ndarray:
    """The inverse of :func:`labels_of`: ``[1, B]`` or one-hot ``[K, B]``."""
    t = np.asarray(t, dtype=float)
    if kind == "multiclass":
        Y = np.zeros((K, t.size))
        Y[t.astype(int), np.arange(t.size)] = 1.0
        return Y
    return t.reshape(1, -1)


def points_json(X: np.ndarray, Y: np.ndarray, kind: str) -> dict:
    """Points ``X : [2, B]`` and targets as ``{x1, x2, t}`` lists (rounded to 1e-6)."""
    X = np.asarray(X, dtype=float)
    return {"x1": np.round(X[0], 6).tolist(), "x2": np.round(X[1], 6).tolist(),
            "t": np.round(labels_of(Y, kind), 6).tolist()}


# -- browser -> Python ---------------------------------------------------------------------------
@dataclass
class Limits:
    """What the page allows: the report is checked against these."""

    max_hidden: int
    max_width: int
    max_points: int
    extent: float
    features: tuple[str, ...]
    activations: tuple[str, ...]
    data_sets: tuple[str, ...]
    learning_rates: tuple[float, ...]
    max_patience: int = 1000


@dataclass
class Report:
    seq: int
    reason: str
    sid: str
    net_id: str
    data_id: str
    provisional: bool
    playing: bool
    epoch: int
    steps: int
    status: str
    message: str
    stopped: str
    settings: dict
    network: dict | None
    points: dict | None = None
    history: list = field(default_factory=list)


def _int(value, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != int(value) or not lo <= value <= hi:
        raise ReportError(f"{name} should be a whole number from {lo} to {hi}.")
    return int(value)


def _text(value, name: str, limit: int = 64) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ReportError(f"{name} should be a short text.")
    return value


def parse_settings(obj, limits: Limits) -> dict:
    """The settings the browser may change (data set, learning rate, activation, layers,
    features, test points, early stopping), checked; ReportError otherwise."""
    if not isinstance(obj, dict):
        raise ReportError("the settings should be an object.")
    out = {}
    data = obj.get("data")
    if data not in limits.data_sets:
        raise ReportError("the data set is not one the page offers.")
    out["data"] = data
    lr = obj.get("lr")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not any(
            math.isclose(lr, v, rel_tol=1e-9) for v in limits.learning_rates):
        raise ReportError("the learning rate is not one the page offers.")
    out["lr"] = next(v for v in limits.learning_rates if math.isclose(lr, v, rel_tol=1e-9))
    act = obj.get("act")
    if act not in limits.activations:
        raise ReportError("the activation is not one the page offers.")
    out["act"] = act
    widths = obj.get("widths")
    if not isinstance(widths, list) or len(widths) > limits.max_hidden:
        raise ReportError(f"the layers should be a list of at most {limits.max_hidden} widths.")
    out["widths"] = [_int(w, "a layer's width", 1, limits.max_width) for w in widths]
    features = obj.get("features")
    if not isinstance(features, list) or not features or len(features) > len(limits.features) \
            or any(f not in limits.features for f in features) or len(set(features)) != len(features):
        raise ReportError("the features should be a list of distinct known features, at least one.")
    out["features"] = [f for f in limits.features if f in features]   # the canonical order
    out["show_test"] = bool(obj.get("show_test", True)) if isinstance(obj.get("show_test", True), bool) else True
    out["patience"] = _int(obj.get("patience", 0), "the early-stopping patience", 0, limits.max_patience)
    return out


def _finite_matrix(value, rows: int, cols: int, name: str, limit: float = MAX_REPORT_WEIGHT) -> np.ndarray:
    if not isinstance(value, list) or len(value) != rows:
        raise ReportError(f"{name} should have {rows} rows.")
    out = np.empty((rows, cols))
    for r, row in enumerate(value):
        if not isinstance(row, list) or len(row) != cols:
            raise ReportError(f"{name} should be [{rows}, {cols}].")
        for c, v in enumerate(row):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ReportError(f"{name} should hold numbers only.")
            out[r, c] = v
    if not np.all(np.isfinite(out)) or np.abs(out).max(initial=0.0) > limit:
        raise ReportError(f"{name} holds values that are not finite or are too large.")
    return out


def network_from_json(obj, arch: Architecture, slope: float = 0.1, alpha: float = 1.0) -> MLP:
    """An MLP of exactly ``arch`` with the weights of ``obj`` (nn.js's JSON); ReportError otherwise."""
    if not isinstance(obj, dict) or not isinstance(obj.get("layers"), list):
        raise ReportError("the network should be an object with a list of layers.")
    if obj.get("n_in") != arch.n_in or len(obj["layers"]) != len(arch.layers):
        raise ReportError(f"the network should be {arch.n_in} inputs and {len(arch.layers)} layers "
                          "as the settings say.")
    net = MLP(arch.n_in, arch.widths, arch.activations, seed=0, slope=slope, alpha=alpha, pieces=arch.pieces)
    for i, (layer, spec, src) in enumerate(zip(net.layers, arch.layers, obj["layers"]), start=1):
        if not isinstance(src, dict) or src.get("activation") != spec.activation:
            raise ReportError(f"layer {i} should use {spec.activation}.")
        layer.W[...] = _finite_matrix(src.get("W"), *spec.W_shape, f"W{i}")
        b = src.get("b")
        layer.b[...] = _finite_matrix([[v] for v in b] if isinstance(b, list) else None, spec.b_shape[0], 1, f"b{i}")
    return net


def parse_points(obj, kind: str, K: int, limits: Limits) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The student's points ``{train: {x1, x2, t}, test: {...}}`` -> (X_train, Y_train, X_test, Y_test)."""
    if not isinstance(obj, dict):
        raise ReportError("the points should be an object with train and test sets.")
    out = []
    for part in ("train", "test"):
        p = obj.get(part)
        if not isinstance(p, dict) or not all(isinstance(p.get(k), list) for k in ("x1", "x2", "t")):
            raise ReportError(f"the {part} points should have lists x1, x2 and t.")
        n = len(p["x1"])
        if n > limits.max_points or len(p["x2"]) != n or len(p["t"]) != n:
            raise ReportError(f"the {part} points should be at most {limits.max_points}, with x1, x2 and t "
                              "of the same length.")
        try:
            X = _finite_matrix([list(p["x1"]), list(p["x2"])], 2, n, f"the {part} points", math.inf) if n else np.zeros((2, 0))
            t = _finite_matrix([list(p["t"])], 1, n, f"the {part} targets", math.inf)[0] if n else np.zeros(0)
        except ReportError:
            raise ReportError(f"the {part} points should hold finite numbers only.") from None
        if n and np.abs(X).max() > limits.extent + 1e-9:
            raise ReportError(f"the {part} points should lie within ±{limits.extent:g}.")
        if kind == "binary" and not np.isin(t, (0.0, 1.0)).all():
            raise ReportError("a point's class should be 0 or 1.")
        if kind == "multiclass" and not (np.isin(t, np.arange(K)).all()):
            raise ReportError(f"a point's class should be one of 0 to {K - 1}.")
        if kind == "regression" and n and np.abs(t).max() > 10:
            raise ReportError("a point's value should lie within ±10.")
        out += [X, targets_of(t, kind, K)]
    return tuple(out)


def parse_report(obj, limits: Limits) -> Report:
    """Check a report from the browser field by field; ReportError on the first problem."""
    if not isinstance(obj, dict):
        raise ReportError("the report should be an object.")
    reason = obj.get("reason")
    if reason not in REASONS:
        raise ReportError("the report's reason is not a known one.")
    status = obj.get("status", "ready")
    if status not in ("ready", "running", "diverged"):
        raise ReportError("the training status is not a known one.")
    history = obj.get("history", [])
    if not isinstance(history, list):
        raise ReportError("the loss history should be a list.")
    clean_history = []
    for row in history[-MAX_HISTORY:]:
        if not (isinstance(row, list) and len(row) == 3 and all(
                v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in row)):
            raise ReportError("the loss history should hold [epoch, train loss, test loss] rows.")
        clean_history.append([float("nan") if v is None else float(v) for v in row])
    return Report(
        seq=_int(obj.get("seq"), "the report number", 0, 2**53),
        reason=reason,
        sid=_text(obj.get("sid", ""), "the session id"),
        net_id=_text(obj.get("net_id") or "", "the network id"),
        data_id=_text(obj.get("data_id") or "", "the data id"),
        provisional=bool(obj.get("provisional", False)) if isinstance(obj.get("provisional", False), bool) else False,
        playing=obj.get("playing") is True,
        epoch=_int(obj.get("epoch", 0), "the epoch", 0, 10**9),
        steps=_int(obj.get("steps", 0), "the step count", 0, 10**12),
        status=status,
        message=_text(obj.get("message", "") or "", "the message", 400),
        stopped=_text(obj.get("stopped", "") or "", "the stop reason", 16),
        settings=parse_settings(obj.get("settings"), limits),
        network=obj.get("network") if isinstance(obj.get("network"), dict) else None,
        points=obj.get("points") if obj.get("points") is not None else None,
        history=clean_history,
    )


def architecture(n_in: int, widths, act: str, kind: str, K: int, pieces: int = 2) -> Architecture:
    """The playground's network for these settings: hidden layers of ``act``, the head of ``kind``."""
    n_out = K if kind == "multiclass" else 1
    return Architecture(n_in, list(widths) + [n_out], [act] * len(widths) + [HEADS[kind]], pieces)


# -- what the page keeps per session ------------------------------------------------------------
@dataclass
class Points:
    """The points a network trains on: generated for the data settings ``key``, or the student's own."""

    key: tuple
    id: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray

    @property
    def own(self) -> bool:
        """Points the student placed (from the browser or a file), not the generated ones."""
        return self.id.startswith("own-")

    def json(self, kind: str) -> dict:
        """``{train: {x1, x2, t}, test: {...}}`` as the browser and the files take them."""
        return {"train": points_json(self.X_train, self.Y_train, kind),
                "test": points_json(self.X_test, self.Y_test, kind)}

    def parts(self):
        """``("train", X, Y)`` and ``("test", X, Y)``."""
        return (("train", self.X_train, self.Y_train), ("test", self.X_test, self.Y_test))


@dataclass
class Trained:
    """A network, how far it was trained and its loss history (``[epoch, train, test]`` rows)."""

    id: str
    net: MLP
    epoch: int = 0
    steps: int = 0
    history: list = field(default_factory=list)


@dataclass
class Live(Trained):
    """What the browser last reported for a network: its weights and how its training stands."""

    status: str = "ready"          # "ready", "running" or "diverged"
    message: str = ""
    playing: bool = False
    stopped: str = ""


@dataclass
class Run:
    """One session's network for one set of settings (``key``): the first weights sent to the browser
    (``start``, also as nn.js's JSON) and what the browser last reported for them (``live``)."""

    key: tuple
    start: Trained
    start_json: dict
    live: Live

    @classmethod
    def begin(cls, key: tuple, start: Trained) -> "Run":
        live = Live(start.id, start.net, start.epoch, start.steps, start.history)
        return cls(key, start, twin_json(start.net), live)

    @property
    def id(self) -> str:
        return self.start.id

    def report(self, report: Report, net: MLP) -> None:
        """Keep a checked report of this run's network (``net``: its weights, built by :func:`network_from_json`)."""
        self.live = Live(self.id, net, report.epoch, report.steps, report.history, report.status, report.message,
                         report.playing, report.stopped)

    def current_json(self) -> dict | None:
        """The weights the browser last reported, for a component mounted again (the student comes back to
        the page), which resumes from them instead of the first weights; None before any report."""
        if self.live.net is self.start.net:
            return None
        return {"network": twin_json(self.live.net), "epoch": self.live.epoch, "steps": self.live.steps}

    def payload(self) -> dict:
        """The network part of what the browser is sent."""
        return {"id": self.id, "network": self.start_json, "epoch": self.start.epoch, "steps": self.start.steps,
                "history": self.start.history, "current": self.current_json()}


@dataclass(frozen=True)
class Metrics:
    """Loss and accuracy (or R², for regression) on the training and test points; nan where there are none."""

    train_loss: float = float("nan")
    test_loss: float = float("nan")
    train_score: float = float("nan")
    test_score: float = float("nan")


def evaluate(net: MLP, points: Points, features, kind: str) -> Metrics:
    """The page's figures for ``net`` on ``points`` (inputs: ``features`` of x), computed with explorer.core:
    one forward pass per part (through the network's one forward loop, unchecked: the inputs are built here)."""
    out = {}
    for part, X, Y in points.parts():
        if X.shape[1] == 0 or X.shape[0] != 2:
            continue
        with np.errstate(all="ignore"):
            Z, A = net.forward_all(feats.feature_map(X, features), check=False)[-1]
            out[f"{part}_loss"] = head_loss(Z, Y, kind)
        if kind == "regression":
            tot = float(np.sum((Y - Y.mean()) ** 2))
            out[f"{part}_score"] = 1 - float(np.sum((A - Y) ** 2)) / tot if tot > 0 else float("nan")
        else:
            out[f"{part}_score"] = accuracy(A, Y, kind)
    return Metrics(**out)
