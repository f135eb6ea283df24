"""Input features: each row against its direct formula, order, names, bad input."""
import numpy as np
import pytest

from explorer.core import features as feats

X = np.random.default_rng(0).uniform(-6, 6, size=(2, 25))
x1, x2 = X
DIRECT = {"x1": x1, "x2": x2, "x1sq": x1**2, "x2sq": x2**2, "x1x2": x1 * x2,
          "sin1": np.sin(x1), "sin2": np.sin(x2)}


@pytest.mark.parametrize("name", feats.NAMES)
def test_each_feature_against_its_formula(name):
    np.testing.assert_allclose(feats.feature_map(X, [name])[0], DIRECT[name], rtol=1e-15)


def test_all_features_in_the_chosen_order():
    names = ("sin2", "x1", "x1x2")
    Phi = feats.feature_map(X, names)
    assert Phi.shape == (3, 25)   # [F, B]: the network's N is F
    np.testing.assert_allclose(Phi, np.stack([DIRECT[n] for n in names]))
    assert feats.feature_map(X, feats.NAMES).shape == (7, 25)


def test_default_is_the_identity():
    np.testing.assert_array_equal(feats.feature_map(X), X)


def test_labels():
    assert feats.labels(("x1", "x2sq", "sin1")) == ["x₁", "x₂²", "sin(x₁)"]
    assert set(feats.FEATURES) == set(DIRECT)


@pytest.mark.parametrize("names", [(), ("x3",), ("x1", "x1"), ("cos1",)])
def test_bad_feature_names(names):
    with pytest.raises(ValueError):
        feats.feature_map(X, names)


@pytest.mark.parametrize("bad", [np.zeros((3, 4)), np.zeros(4), np.zeros((2, 2, 2))])
def test_bad_shapes(bad):
    with pytest.raises(ValueError):
        feats.feature_map(bad, ("x1",))
