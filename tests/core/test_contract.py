"""The notebook contract of the issues, exactly as written there: imports, names and shapes."""
import numpy as np


def test_mlp_contract_as_documented():
    from explorer.core.activations import ACTIVATIONS
    from explorer.core.mlp import MLP, param_formula

    assert {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "maxout", "identity", "gelu", "silu",
            "softplus"} <= set(ACTIVATIONS)
    for a in ACTIVATIONS.values():
        assert callable(a.f) and callable(a.df) and a.latex
    net = MLP(n_in=4, widths=[3, 2, 1], activations=["sigmoid", "sigmoid", "sigmoid"], seed=0)
    assert net.layers[0].W.shape == (3, 4) and net.layers[0].b.shape == (3, 1)
    X = np.random.default_rng(0).normal(size=(4, 8))
    assert net.forward(X).shape == (1, 8)
    assert [row["params"] for row in net.trace(X)] == [15, 8, 3]
    assert net.n_params == 26 and isinstance(net.n_params, int)
    assert param_formula([3, 2, 1]) == "3N+14"
    W_eff, b_eff = MLP(4, [3, 2, 1], ["identity"] * 3, seed=0).collapse()
    assert W_eff.shape == (1, 4) and b_eff.shape == (1, 1)


def test_training_contract_as_documented():
    from explorer.core.mlp import MLP
    from explorer.core.train import Trainer

    X = np.random.default_rng(1).normal(size=(2, 16))
    Y = (X[:1] > 0).astype(float)
    net = MLP(2, [4, 1], ["tanh", "sigmoid"], seed=0)
    loss, grads = net.loss_and_grads(X, Y, "binary")
    assert isinstance(loss, float)
    assert [(dW.shape, db.shape) for dW, db in grads] == [((4, 2), (4, 1)), ((1, 4), (1, 1))]
    metrics = Trainer(net, X, Y, "binary", lr=0.05).step(10)
    assert metrics["step"] == 10 and metrics["train_accuracy"] == 15 / 16     # seeded: 15 of 16 right
