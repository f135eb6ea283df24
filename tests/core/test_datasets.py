"""Data sets: shapes in the lecture's layout, balance, seeds, noise, the split, bad arguments."""
import numpy as np
import pytest

from explorer.core import classify, datasets

BINARY = ["circles", "xor", "two_gaussians", "spiral", "moons"]
MULTI = ["spirals", "blobs"]
REGRESSION = ["plane", "gaussian_bumps"]


@pytest.mark.parametrize("name", BINARY + REGRESSION)
def test_two_class_and_regression_shapes(name):
    X, Y = getattr(datasets, name)(n=101, noise=0.1, seed=3)
    assert X.shape == (2, 101) and Y.shape == (1, 101)
    assert np.isfinite(X).all() and np.isfinite(Y).all()


@pytest.mark.parametrize("name", BINARY)
def test_binary_labels_are_zero_one_and_balanced(name):
    X, Y = getattr(datasets, name)(n=400, noise=0.1, seed=0)
    assert set(np.unique(Y)) == {0.0, 1.0}
    share = Y.mean()
    if name == "xor":   # labels follow uniform points: balanced on average only
        assert 0.4 < share < 0.6
    else:
        assert share == 0.5


@pytest.mark.parametrize("name", MULTI)
@pytest.mark.parametrize("K", [3, 4, 5])
def test_multiclass_is_one_hot_and_balanced(name, K):
    X, Y = getattr(datasets, name)(n=301, noise=0.1, seed=1, classes=K)
    assert X.shape == (2, 301) and Y.shape == (K, 301)
    np.testing.assert_array_equal(Y.sum(axis=0), 1.0)
    assert set(np.unique(Y)) == {0.0, 1.0}
    counts = Y.sum(axis=1)
    assert counts.max() - counts.min() <= 1 and counts.sum() == 301


def test_one_hot():
    np.testing.assert_array_equal(datasets.one_hot([2, 0, 1], 3), [[0, 1, 0], [0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize("name", list(datasets.PROBLEMS))
def test_seeded_reproducible_and_seed_matters(name):
    a = datasets.make(name, n=120, noise=0.2, seed=7, classes=4)
    b = datasets.make(name, n=120, noise=0.2, seed=7, classes=4)
    c = datasets.make(name, n=120, noise=0.2, seed=8, classes=4)
    for field in ("X_train", "Y_train", "X_test", "Y_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.X_train, c.X_train)


@pytest.mark.parametrize("name", BINARY + MULTI)
def test_noise_blurs_the_classes(name):
    """Without noise the classes sit apart; noise moves points (mean distance to the clean point grows)."""
    kwargs = {"classes": 3} if name in MULTI else {}
    clean, _ = getattr(datasets, name)(n=300, noise=0.0, seed=2, **kwargs)
    noisy, _ = getattr(datasets, name)(n=300, noise=0.3, seed=2, **kwargs)
    spread_clean = np.linalg.norm(clean - clean.mean(axis=1, keepdims=True), axis=0).std()
    spread_noisy = np.linalg.norm(noisy - noisy.mean(axis=1, keepdims=True), axis=0).std()
    assert not np.allclose(clean, noisy)
    assert spread_noisy != pytest.approx(spread_clean, rel=1e-3)


@pytest.mark.parametrize("name", ["circles", "spiral", "moons", "two_gaussians"])
def test_noise_lowers_what_a_nearest_neighbour_gets_right(name):
    """A direct measure of class overlap: the share of points whose nearest neighbour has their label."""
    def agreement(noise):
        X, Y = getattr(datasets, name)(n=300, noise=noise, seed=4)
        d = ((X[:, :, None] - X[:, None, :]) ** 2).sum(axis=0)
        np.fill_diagonal(d, np.inf)
        return np.mean(Y[0] == Y[0, d.argmin(axis=1)])
    assert agreement(0.0) > 0.97
    assert agreement(0.5) < agreement(0.0) - 0.1


def test_regression_noise_is_on_the_target():
    X0, Y0 = datasets.plane(n=500, noise=0.0, seed=5)
    np.testing.assert_allclose(Y0[0], (X0[0] + X0[1]) / 2)
    X1, Y1 = datasets.plane(n=500, noise=0.2, seed=5)
    np.testing.assert_array_equal(X0, X1)
    assert np.std(Y1 - Y0) == pytest.approx(0.2, rel=0.15)
    Xb, Yb = datasets.gaussian_bumps(n=500, noise=0.0, seed=5)
    np.testing.assert_allclose(Yb, datasets.bumps_surface(Xb))
    assert Yb.max() <= 1.0 and Yb.min() >= -1.0 and Yb.max() > 0.5 and Yb.min() < -0.5


@pytest.mark.parametrize("name", list(datasets.PROBLEMS))
@pytest.mark.parametrize("share", [0.1, 0.5, 0.7, 0.9])
def test_split_sizes_kinds_and_balance(name, share):
    s = datasets.make(name, n=200, noise=0.1, train_share=share, seed=0, classes=4)
    n_train, n_test = s.X_train.shape[1], s.X_test.shape[1]
    assert n_train + n_test == 200
    assert abs(n_train - share * 200) <= 4   # rounded class by class
    assert s.kind == datasets.PROBLEMS[name].kind
    K = {"binary": 1, "multiclass": 4, "regression": 1}[s.kind]
    assert s.Y_train.shape == (K, n_train) and s.Y_test.shape == (K, n_test) and s.n_out == K
    if s.kind != "regression":
        train_share_per_class = [np.mean(datasets.labels_of(s.Y_train) == k) for k in range(s.classes)]
        test_share_per_class = [np.mean(datasets.labels_of(s.Y_test) == k) for k in range(s.classes)]
        assert min(test_share_per_class) > 0
        if name != "xor":
            np.testing.assert_allclose(train_share_per_class, 1 / s.classes, atol=0.03)


def columns(A: np.ndarray) -> np.ndarray:
    """The columns of ``A`` in a fixed order (to compare sets of samples)."""
    return A[:, np.lexsort(A)]


@pytest.mark.parametrize("name", list(datasets.PROBLEMS))
def test_make_splits_with_the_one_split_function(name):
    """make's train and test sets are exactly classify.split's (class by class), in a shuffled order."""
    s = datasets.make(name, n=120, noise=0.1, train_share=0.7, seed=3, classes=4)
    problem = datasets.PROBLEMS[name]
    extra = {"classes": 4} if problem.kind == "multiclass" else {}
    X, Y = problem.generator(n=120, noise=0.1, seed=3, **extra)
    train, test = classify.split(120 if problem.kind == "regression" else datasets.labels_of(Y), 0.3, 3)
    np.testing.assert_array_equal(columns(s.X_train), columns(datasets.PLAYGROUND_SCALE * X[:, train]))
    np.testing.assert_array_equal(columns(s.X_test), columns(datasets.PLAYGROUND_SCALE * X[:, test]))
    assert s.X_train.shape[1] == train.size and s.X_test.shape[1] == test.size
    if problem.kind != "regression":     # shuffled: the classes are not in blocks
        assert np.any(np.diff(datasets.labels_of(s.Y_train)) < 0)


def test_split_keeps_every_point_once_and_scales():
    X, Y = datasets.circles(n=100, noise=0.1, seed=9)
    s = datasets.make("circle", n=100, noise=0.1, seed=9, scale=5.0)
    both = np.concatenate([s.X_train, s.X_test], axis=1)
    order = np.lexsort(both)
    ref = np.lexsort(5.0 * X)
    np.testing.assert_allclose(both[:, order], 5.0 * X[:, ref])
    assert np.abs(s.X_train).max() < 6.0 * 1.2   # TF Playground's plane


def test_grid_and_generators_keep_their_contract():
    g1, g2, G = datasets.grid(1.5, 7)
    assert G.shape == (2, 49) and g1[0] == -1.5 and g2[-1] == 1.5
    assert G[0, 1] > G[0, 0] and G[1, 1] == G[1, 0]   # x1 varies fastest
    for gen in datasets.GENERATORS.values():
        X, Y = gen(n=50, noise=0.1, seed=0)
        assert X.shape == (2, 50) and Y.shape == (1, 50)


@pytest.mark.parametrize("call", [
    lambda: datasets.xor(n=3), lambda: datasets.circles(n=10**7), lambda: datasets.spiral(noise=-0.1),
    lambda: datasets.moons(noise=2.0), lambda: datasets.spirals(classes=1), lambda: datasets.blobs(classes=99),
    lambda: datasets.blobs(n=6, classes=5), lambda: datasets.make("swirl"),
    lambda: datasets.make("circle", train_share=0.0), lambda: datasets.make("circle", train_share=1.0),
    lambda: datasets.make("circle", scale=float("nan")), lambda: datasets.plane(n=5001),
])
def test_bad_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()
