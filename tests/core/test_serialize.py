"""Saving and loading networks: exact round trip, and every broken file refused with a reason."""
import io
import json

import numpy as np
import pytest

from explorer.core.mlp import MLP
from explorer.core.serialize import NetworkFileError, config_json, load_network, save_network


def test_round_trip_gives_the_same_predictions():
    net = MLP(3, [5, 4, 2], ["maxout", "elu", "softmax"], seed=4, pieces=3, alpha=0.5)
    data = save_network(net, {"dataset": "spiral"})
    back, meta = load_network(data)
    X = np.random.default_rng(0).normal(size=(3, 11))
    np.testing.assert_array_equal(back.forward(X), net.forward(X))
    assert meta["dataset"] == "spiral" and meta["n_params"] == net.n_params
    assert json.loads(config_json(net))["widths"] == [5, 4, 2]


def npz(**arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def good_config(**changes):
    meta = {"format": "deep-learning-explorer/mlp-v1", "n_in": 2, "widths": [1], "activations": ["sigmoid"]}
    meta.update(changes)
    return np.array(json.dumps(meta))


@pytest.mark.parametrize("data, message", [
    (b"", "not a valid .npz"),
    (b"PK\x03\x04garbage", "not a valid .npz"),
    (npz(W1=np.zeros((1, 2))), "no configuration"),
    (npz(config=np.array("{not json")), "not valid JSON"),
    (npz(config=np.array(json.dumps({"format": "other"}))), "not saved by this version"),
    (npz(config=good_config(widths=[0])), "not a valid network"),
    (npz(config=good_config(activations=["rm -rf"])), "not a valid network"),
    (npz(config=good_config(n_in=10**9, widths=[512])), "larger than this app allows"),
    (npz(config=good_config(), W1=np.zeros((2, 2)), b1=np.zeros((1, 1))), "shape"),
    (npz(config=good_config(), W1=np.full((1, 2), np.nan), b1=np.zeros((1, 1))), "nan or inf"),
    (npz(config=good_config(), W1=np.array([["a", "b"]]), b1=np.zeros((1, 1))), "number array"),
])
def test_broken_files_are_refused_with_a_reason(data, message):
    with pytest.raises(NetworkFileError, match=message):
        load_network(data)


def test_pickled_objects_are_never_loaded():
    buf = io.BytesIO()
    np.savez(buf, config=good_config(), W1=np.array([object()], dtype=object), b1=np.zeros((1, 1)))
    with pytest.raises(NetworkFileError):
        load_network(buf.getvalue())


def test_copy_weights_needs_the_same_layout():
    from explorer.core.serialize import copy_weights
    a = MLP(2, [4, 1], ["tanh", "sigmoid"], seed=1)
    b = MLP(2, [4, 1], ["tanh", "sigmoid"], seed=2)
    back, _ = load_network(save_network(a))
    copy_weights(back, b)
    X = np.random.default_rng(0).normal(size=(2, 5))
    np.testing.assert_array_equal(a.forward(X), b.forward(X))
    with pytest.raises(NetworkFileError, match=r"2 → 4 → 1 \(tanh, sigmoid\).*2 → 3 → 1"):
        copy_weights(back, MLP(2, [3, 1], ["tanh", "sigmoid"]))
