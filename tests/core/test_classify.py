"""Image classification helpers (explorer/core/classify.py)."""
import numpy as np
import pytest

from explorer.core import classify as C
from explorer.core import mri


@pytest.fixture(scope="module")
def views():
    X, Y, labels = mri.make_dataset(12, 24, seed=3)
    return X, labels


@pytest.fixture(scope="module")
def heart_model(views):
    X, labels = views
    Xb, y, _ = C.heart_vs_none(X, labels)
    tr, te = C.split(y, 0.25, 0)
    clf, trainer = C.train(Xb[:, tr], y[tr], Xb[:, te], y[te], C.HEART_NAMES, steps=60, seed=0)
    return clf, trainer, Xb, y, tr, te


# -- data -----------------------------------------------------------------------------------------
def test_faces_are_the_lfw_subset():
    images, labels = C.faces()
    assert images.shape == (200, 25, 25) and labels.shape == (200,)
    assert labels[:100].sum() == 100 and labels[100:].sum() == 0
    assert 0.0 <= images.min() and images.max() <= 1.0


def test_columns_round_trip():
    images = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    X = C.to_columns(images)
    assert X.shape == (12, 2)
    np.testing.assert_array_equal(X[:, 1], images[1].ravel())
    np.testing.assert_array_equal(C.to_images(X, (3, 4)), images)


def test_heart_vs_none_is_balanced_and_uses_every_heart_view(views):
    X, labels = views
    Xb, y, v = C.heart_vs_none(X, labels)
    assert y.sum() == (1 - y).sum() == 12
    assert set(v[y == 1]) == {0, 1, 2, 3} and set(v[y == 0]) == {4}
    assert Xb.shape == (X.shape[0], 24)
    for col in range(Xb.shape[1]):     # every column is one of the original images
        assert np.any(np.all(X == Xb[:, [col]], axis=0))


def test_split_is_stratified_disjoint_and_seeded():
    labels = np.repeat(np.arange(5), [8, 8, 8, 8, 4])
    tr, te = C.split(labels, 0.25, seed=1)
    assert set(tr).isdisjoint(te) and sorted(np.r_[tr, te]) == list(range(labels.size))
    assert [int(np.sum(labels[te] == k)) for k in range(5)] == [2, 2, 2, 2, 1]
    tr2, te2 = C.split(labels, 0.25, seed=1)
    np.testing.assert_array_equal(te, te2)
    assert not np.array_equal(te, C.split(labels, 0.25, seed=2)[1])
    with pytest.raises(ValueError):
        C.split(labels, 1.0)


def test_targets_and_standardiser():
    assert C.targets([0, 1, 1], 2).shape == (1, 3)
    Y = C.targets([2, 0], 3)
    np.testing.assert_array_equal(Y, [[0, 1], [0, 0], [1, 0]])
    with pytest.raises(ValueError):
        C.targets([3], 3)
    X = np.array([[1.0, 3.0], [5.0, 5.0]])
    s = C.Standardiser.fit(X)
    np.testing.assert_allclose(s(X), [[-1.0, 1.0], [0.0, 0.0]])   # a constant feature gets std 1
    np.testing.assert_array_equal(C.Standardiser.identity(2)(X), X)


# -- models ----------------------------------------------------------------------------------------
def test_networks_of_the_lecture():
    assert list(C.build_network(1024, 2).arch.widths) == [1]
    net = C.build_network(1024, 5)
    assert list(net.arch.activations) == ["softmax"] and net.n_params == 5 * 1024 + 5
    mlp = C.build_network(576, 5, hidden=8)
    assert list(mlp.arch.widths) == [8, 5] and list(mlp.arch.activations) == ["relu", "softmax"]
    assert C.describe_network(1024, 5, 32) == "1,024 → 32 (ReLU) → 5 (softmax)"


def test_logistic_regression_learns_heart_vs_no_heart(heart_model):
    clf, trainer, Xb, y, tr, te = heart_model
    m = trainer.history[-1]
    assert m["step"] == 60 and trainer.steps == 60
    assert m["train_accuracy"] == 1.0 and m["test_accuracy"] == pytest.approx(5 / 6)   # 5 of 6 test slices
    P = clf.probabilities(Xb)
    assert P.shape == (2, Xb.shape[1])
    np.testing.assert_allclose(P.sum(axis=0), 1.0)
    np.testing.assert_array_equal(clf.predict(Xb), (P[1] >= 0.5).astype(int))
    assert C.accuracy_of(y[te], clf.predict(Xb[:, te])) == pytest.approx(m["test_accuracy"])


def test_training_is_seeded(views):
    X, labels = views
    tr, te = C.split(labels, 0.25, 0)
    a, _ = C.train(X[:, tr], labels[tr], X[:, te], labels[te], mri.CLASSES, steps=10, seed=4)
    b, _ = C.train(X[:, tr], labels[tr], X[:, te], labels[te], mri.CLASSES, steps=10, seed=4)
    np.testing.assert_array_equal(a.first_weights(), b.first_weights())


def test_softmax_and_mlp_give_distributions(views):
    X, labels = views
    tr, te = C.split(labels, 0.25, 0)
    for hidden in (None, 6):
        clf, trainer = C.train(X[:, tr], labels[tr], X[:, te], labels[te], mri.CLASSES, hidden=hidden, steps=20)
        P = clf.probabilities(X[:, te])
        assert P.shape == (5, te.size)
        np.testing.assert_allclose(P.sum(axis=0), 1.0)
        assert clf.hidden == hidden
        assert clf.first_weights().shape == ((hidden or 5), X.shape[0])


def test_folded_network_takes_raw_pixels(heart_model):
    clf, _, Xb, *_ = heart_model
    raw = clf.folded()
    np.testing.assert_allclose(raw.forward(Xb)[0], clf.probabilities(Xb)[1], rtol=1e-9, atol=1e-12)


def test_checkpoints_and_run():
    marks = C.checkpoints(300, 15)
    assert marks[0] == 1 and marks[-1] == 300 and marks == sorted(set(marks)) and len(marks) <= 15
    assert C.checkpoints(3, 20) == [1, 2, 3] and C.checkpoints(0) == []
    X = np.random.default_rng(0).normal(size=(4, 40))
    y = (X[0] > 0).astype(int)
    clf, trainer = C.start_training(X, y, X, y, ("no", "yes"))
    seen = [m["step"] for m in C.run(trainer, 50, 8)]
    assert seen[0] == 0 and seen[-1] == 50 and trainer.steps == 50


def test_network_problem_explains_mismatches():
    assert C.network_problem(C.build_network(1024, 2), 32, 2) is None
    msg = C.network_problem(C.build_network(576, 2), 32, 2, sizes=(24, 32, 48))
    assert "576" in msg and "1,024" in msg and "24 × 24" in msg
    assert "5 softmax units" in C.network_problem(C.build_network(1024, 2), 32, 5)
    assert "one sigmoid unit" in C.network_problem(C.build_network(1024, 5), 32, 2)


# -- evaluation ------------------------------------------------------------------------------------
def test_confusion_matrix_counts():
    true = np.array([0, 0, 1, 2, 2, 2])
    pred = np.array([0, 1, 1, 2, 0, 2])
    Cm = C.confusion_matrix(true, pred, 3)
    expected = np.zeros((3, 3), dtype=int)
    for t, p in zip(true, pred):
        expected[t, p] += 1
    np.testing.assert_array_equal(Cm, expected)
    assert Cm.sum() == true.size and np.trace(Cm) == 4
    assert C.most_confused(Cm) == (0, 1, 1)          # ties: the first in row-major order
    assert C.most_confused(np.eye(3, dtype=int)) is None
    with pytest.raises(ValueError):
        C.confusion_matrix([0, 1], [0], 2)


def test_confusion_matrix_of_a_trained_model_sums_to_the_test_size(heart_model):
    clf, _, Xb, y, tr, te = heart_model
    Cm = C.confusion_matrix(y[te], clf.predict(Xb[:, te]), 2)
    assert Cm.sum() == te.size
    np.testing.assert_array_equal(Cm.sum(axis=1), np.bincount(y[te], minlength=2))


def test_pick_samples_round_robin_and_mistakes_first():
    true = np.array([0, 0, 0, 1, 1, 1])
    pred = np.array([0, 0, 1, 1, 1, 0])
    np.testing.assert_array_equal(C.pick_samples(true, pred, 2), [0, 3, 1, 4])
    np.testing.assert_array_equal(C.pick_samples(true, pred, 2, mistakes_first=True), [2, 5, 0, 3])


def test_logistic_regression_on_hog_beats_chance_on_faces():
    images, labels = C.faces()
    out = C.compare_features(images, labels, (9, 8, 2), C.FACE_NAMES, steps=150, seed=0)
    raw, hog_row = out["rows"]
    assert hog_row["N"] == 144 and raw["N"] == 625
    assert hog_row["test"] > 0.75 and raw["test"] > 0.6
    assert (raw["test"], hog_row["test"]) == pytest.approx((47 / 50, 48 / 50))     # seeded: of 50 test faces
    assert out["weights"].shape == (25, 25) and out["n_test"] == 50


def test_compare_features_says_when_hog_is_impossible():
    images, labels = C.faces()
    out = C.compare_features(images[::4], labels[::4], (9, 16, 2), C.FACE_NAMES, steps=5, repeats=2)
    raw, hog_row = out["rows"]
    assert hog_row["N"] == 0 and np.isnan(hog_row["test"]) and "25 × 25" in hog_row["note"]
    assert out["repeats"] == 2 and out["n_test"] == 12
    assert (raw["test_min"], raw["test_max"]) == pytest.approx((11 / 12, 1.0))      # 11 and 12 of 12 right
    assert raw["test"] == pytest.approx((11 / 12 + 1.0) / 2)


# -- sliding window --------------------------------------------------------------------------------
def _loop_map(image, clf, size, stride):
    """The reference: one window at a time."""
    rows = range(0, image.shape[0] - size + 1, stride)
    cols = range(0, image.shape[1] - size + 1, stride)
    P = np.empty((len(rows), len(cols)))
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            P[i, j] = clf.probabilities(image[r:r + size, c:c + size].reshape(-1, 1))[1, 0]
    return P


def test_heat_map_equals_a_loop_over_windows(heart_model, monkeypatch):
    clf, *_ = heart_model
    image, _ = mri.make_chest(40, seed=1)
    image = image.astype(float)
    monkeypatch.setattr(C, "MAX_WINDOW_VALUES", 3000)    # several chunks
    hm = C.heat_map(image, clf, 24, stride=3)
    np.testing.assert_allclose(hm.P, _loop_map(image, clf, 24, 3), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(hm.tops, np.arange(hm.P.shape[0]) * 3)
    assert hm.window == 24 and hm.scale == 1 and hm.products > 1
    assert hm.products == hm.P.shape[0] == 6      # 3,000 numbers hold less than a row of 6 windows: a row each


def test_heat_map_with_a_larger_window_shrinks_the_image_once(heart_model):
    clf, *_ = heart_model
    image = mri.make_chest(64, seed=2)[0].astype(float)
    hm = C.heat_map(image, clf, 24, stride=2, scale=2.0)
    small = C.shrink(image, 2.0)
    assert small.shape == (32, 32)
    np.testing.assert_allclose(hm.P, _loop_map(small, clf, 24, 2), rtol=1e-10, atol=1e-12)
    assert hm.window == 48 and hm.stride == 4 and hm.products == 1
    t, l, h, w = hm.best()
    r, c = np.unravel_index(np.argmax(hm.P), hm.P.shape)
    assert (t, l, h, w) == (4 * r, 4 * c, 48, 48)


def test_heat_map_refuses_what_does_not_fit(heart_model):
    clf, *_ = heart_model
    with pytest.raises(ValueError, match="576"):
        C.heat_map(np.zeros((64, 64)), clf, 32)
    with pytest.raises(ValueError, match="smaller than one"):
        C.heat_map(np.zeros((20, 20)), clf, 24)
    with pytest.raises(ValueError):
        C.heat_map(np.zeros((64, 64)), clf, 24, stride=0)


def test_boxes():
    assert C.overlap((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert C.overlap((0, 0, 10, 10), (20, 20, 5, 5)) == 0.0
    assert C.overlap((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(50 / 150)
    assert C.centre((10, 20, 5, 7)) == (12.0, 23.0)
    assert C.centre_distance((0, 0, 4, 4), (3, 4, 4, 4)) == 5.0
    assert C.inside((12, 23), (10, 20, 5, 7)) and not C.inside((16, 23), (10, 20, 5, 7))



def test_confusion_matrix_refuses_labels_outside_0_to_K_minus_1():
    for true, pred in (([0, 2], [0, 1]), ([0, 1], [0, 2]), ([-1, 0], [0, 0]), ([0, 1], [0.5, 1])):
        with pytest.raises(ValueError):
            C.confusion_matrix(true, pred, 2)
    with pytest.raises(ValueError, match="Label 5 is out of range"):
        C.confusion_matrix([5], [0], 5)         # once silently wrapped into row 0
    np.testing.assert_array_equal(C.confusion_matrix(np.array([1.0, 0.0]), [1, 1], 2), [[0, 1], [0, 1]])
    assert C.confusion_matrix([], [], 3).sum() == 0


def test_one_encoder_one_split_one_builder():
    from explorer.core import datasets, landscape, probability, supervised
    from explorer.core.activations import sigmoid

    assert datasets.one_hot is probability.one_hot
    assert C.one_hot is probability.one_hot
    np.testing.assert_array_equal(mri.one_hot([4, 0]), probability.one_hot([4, 0], len(mri.CLASSES)))
    assert landscape.split is supervised.split is C.split
    assert landscape.predict_classes is C.predict_classes and landscape.sigmoid is sigmoid
    np.testing.assert_array_equal(C.targets([1, 0, 1], 2), [[1.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match="out of range"):
        C.targets([0, 2], 2)


def test_split_of_unlabelled_samples_is_a_plain_seeded_split():
    train, test = C.split(250, 0.3, 0)
    assert len(train) == 175 and len(test) == 75 and not set(train) & set(test)
    np.testing.assert_array_equal(np.sort(np.r_[train, test]), np.arange(250))
    again = C.split(np.zeros(250, dtype=int), 0.3, 0)          # n unlabelled = n of one class
    np.testing.assert_array_equal(train, again[0])
    assert not np.array_equal(test, C.split(250, 0.3, 1)[1])


def test_build_network_and_predict_classes():
    net = C.build_network(3, 2, hidden=5, seed=1, hidden_activation="tanh")
    assert list(net.arch.activations) == ["tanh", "sigmoid"] and list(net.arch.widths) == [5, 1]
    assert list(C.build_network(3, 4).arch.activations) == ["softmax"]
    X = np.random.default_rng(0).normal(size=(3, 9))
    a = net.forward(X)
    np.testing.assert_array_equal(C.predict_classes(net, X), (a[0] >= 0.5).astype(int))
    soft = C.build_network(3, 4, seed=2)
    np.testing.assert_array_equal(C.predict_classes(soft, X), soft.forward(X).argmax(axis=0))
    np.testing.assert_array_equal(C.classes_of(np.array([[0.5, 0.49]])), [1, 0])
    with pytest.raises(ValueError):
        C.build_network(3, 1)


def test_classifier_predict_is_predict_classes_on_standardised_inputs(heart_model):
    clf, _, Xb, _, _, te = heart_model
    np.testing.assert_array_equal(clf.predict(Xb[:, te]), C.predict_classes(clf.net, clf.scaler(Xb[:, te])))
    np.testing.assert_array_equal(clf.predict(Xb[:, te]), (clf.probabilities(Xb[:, te])[1] >= 0.5).astype(int))


def test_heart_vs_none_defaults_to_the_view_without_a_heart(views):
    X, labels = views
    assert mri.CLASSES[mri.NO_HEART] == "Other" and not mri.HAS_HEART["Other"]
    default, explicit = C.heart_vs_none(X, labels), C.heart_vs_none(X, labels, other=mri.NO_HEART)
    for a, b in zip(default, explicit):
        np.testing.assert_array_equal(a, b)
