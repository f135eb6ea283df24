"""Probability core: softmax, logit, one-hot and the losses vs scipy references."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import special

from explorer.core.activations import sigmoid
from explorer.core.probability import (
    binary_cross_entropy_from_logits,
    cross_entropy_from_logits,
    log_softmax,
    logit,
    one_hot,
    softmax,
    softmax_naive,
    softmax_with_temperature,
)



def random_logits(seed, K=5, B=8, scale=3.0):
    return np.random.default_rng(seed).normal(0, scale, (K, B))


# ---------------------------------------------------------------- softmax


@pytest.mark.parametrize("seed", range(10))
def test_softmax_matches_scipy_along_the_class_axis(seed):
    Z = random_logits(seed, scale=10.0)
    np.testing.assert_allclose(softmax(Z), special.softmax(Z, axis=0), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(log_softmax(Z), special.log_softmax(Z, axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(softmax(Z).sum(axis=0), np.ones(Z.shape[1]), rtol=1e-14)
    np.testing.assert_allclose(softmax(Z, axis=1), special.softmax(Z, axis=1), rtol=1e-12, atol=1e-300)


def test_softmax_of_the_lecture_example_is_exact_while_naive_gives_nan(no_warnings):
    z = np.array([1000.0, 0.0, -1000.0])
    assert softmax(z).tolist() == [1.0, 0.0, 0.0]
    assert np.exp(log_softmax(z)).tolist() == [1.0, 0.0, 0.0]
    assert log_softmax(z).tolist() == [0.0, -1000.0, -2000.0]
    naive = softmax_naive(z)  # silent: no warnings even under the strictest settings
    assert np.isnan(naive[0])


def test_naive_softmax_agrees_for_small_logits():
    Z = random_logits(1)
    np.testing.assert_allclose(softmax_naive(Z), softmax(Z), rtol=1e-12)


@pytest.mark.parametrize("c", [-1e6, -3.5, 0.0, 2.0, 700.0, 1e6])
def test_softmax_trick_subtracting_a_constant_changes_nothing(c):
    Z = random_logits(2)
    np.testing.assert_allclose(softmax(Z - c), softmax(Z), rtol=1e-9, atol=1e-15)


def test_softmax_trick_works_per_column():
    Z = random_logits(3)
    c = np.array([[-5.0, 0.0, 3.0, 100.0, -100.0, 1.0, 2.0, 1e4]])  # one constant per sample
    np.testing.assert_allclose(softmax(Z - c), softmax(Z), rtol=1e-10, atol=1e-15)


@settings(max_examples=150, deadline=None)
@given(Z=arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5)),
                elements=st.floats(-1e4, 1e4)),
       c=st.floats(-1e4, 1e4))
def test_softmax_is_a_probability_and_shift_invariant(Z, c):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = softmax(Z)
        assert np.all((a >= 0) & (a <= 1))
        np.testing.assert_allclose(a.sum(axis=0), 1.0, rtol=1e-12)
        np.testing.assert_allclose(softmax(Z - c), a, atol=1e-9)
        np.testing.assert_allclose(a, special.softmax(Z, axis=0), atol=1e-12)


# ---------------------------------------------------------------- temperature


def test_temperature_one_is_plain_softmax():
    Z = random_logits(4)
    np.testing.assert_allclose(softmax_with_temperature(Z, 1.0), softmax(Z), rtol=1e-15)


@pytest.mark.parametrize("T", [0.1, 0.5, 2.0, 10.0])
def test_temperature_matches_scipy(T):
    Z = random_logits(5)
    np.testing.assert_allclose(softmax_with_temperature(Z, T), special.softmax(Z / T, axis=0),
                               rtol=1e-10, atol=1e-300)


def test_temperature_limits(no_warnings):
    Z = np.array([[2.0, 1.0], [1.0, 3.0], [0.5, 3.0]])
    hot = softmax_with_temperature(Z, 1e-300)
    np.testing.assert_array_equal(hot, [[1.0, 0.0], [0.0, 0.5], [0.0, 0.5]])  # ties share
    cold = softmax_with_temperature(Z, 1e12)
    np.testing.assert_allclose(cold, np.full((3, 2), 1 / 3), rtol=1e-10)
    # higher temperature = flatter distribution (higher entropy)
    entropy = [-(p * np.log(p)).sum() for p in (softmax_with_temperature(Z[:, 0], T) for T in (0.5, 1, 2, 4))]
    assert np.all(np.diff(entropy) > 0)


@pytest.mark.parametrize("T", [0.0, -1.0, np.nan, np.inf, "hot", None])
def test_temperature_must_be_positive(T):
    with pytest.raises(ValueError, match="temperature"):
        softmax_with_temperature(np.zeros((3, 2)), T)


# ---------------------------------------------------------------- logit


def test_logit_matches_scipy():
    a = np.concatenate([np.linspace(1e-6, 1 - 1e-6, 1001), [1e-300, 1e-20, 0.5, 1 - 1e-15]])
    np.testing.assert_allclose(logit(a), special.logit(a), rtol=1e-9, atol=1e-12)


def test_logit_inverts_the_sigmoid():
    # below 0 the round trip is exact to rounding down to z = -700; above 0 a = σ(z)
    # itself is rounded towards 1 (1 - a keeps fewer digits), so keep z moderate there
    z = np.linspace(-700, 0, 701)
    np.testing.assert_allclose(logit(sigmoid(z)), z, rtol=1e-12, atol=1e-12)
    z = np.linspace(0, 10, 101)
    np.testing.assert_allclose(logit(sigmoid(z)), z, rtol=1e-9, atol=1e-9)
    a = np.linspace(0.001, 0.999, 999)
    np.testing.assert_allclose(sigmoid(logit(a)), a, rtol=1e-12)
    np.testing.assert_allclose(logit(special.expit(-700.0)), -700.0, rtol=1e-12)  # log works near 0


def test_logit_endpoints_are_infinite_without_warnings(no_warnings):
    assert logit(0.0) == -np.inf
    assert logit(1.0) == np.inf
    assert logit(0.5) == 0.0 and isinstance(logit(0.5), float)
    np.testing.assert_array_equal(logit(np.array([0.0, 1.0])), [-np.inf, np.inf])
    assert np.isnan(logit(np.nan))


@pytest.mark.parametrize("a", [-0.1, 1.5, [0.5, 2.0], -np.inf])
def test_logit_outside_0_1_is_a_clear_error(a):
    with pytest.raises(ValueError, match="0 <= a <= 1"):
        logit(a)


def test_logit_is_odd_around_one_half():
    a = np.linspace(0.01, 0.49, 49)
    np.testing.assert_allclose(logit(1 - a), -logit(a), rtol=1e-12)


# ---------------------------------------------------------------- one-hot


def test_one_hot_is_K_by_B():
    Y = one_hot([0, 2, 1, 4, 2], K=5)  # the lecture's five cardiac views
    assert Y.shape == (5, 5)
    np.testing.assert_array_equal(Y.sum(axis=0), np.ones(5))
    np.testing.assert_array_equal(Y.argmax(axis=0), [0, 2, 1, 4, 2])
    np.testing.assert_array_equal(Y[:, 1], [0, 0, 1, 0, 0])
    np.testing.assert_array_equal(one_hot([1, 0], 2), np.eye(2)[:, [1, 0]])


def test_one_hot_edge_cases():
    assert one_hot(3, 4).shape == (4, 1)
    assert one_hot([], 3).shape == (3, 0)
    np.testing.assert_array_equal(one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(one_hot(np.array([2], dtype=np.uint8), 3)[:, 0], [0, 0, 1])


@pytest.mark.parametrize("labels, K, phrase", [
    ([0, 5], 5, "out of range"),
    ([-1, 0], 3, "out of range"),
    ([0.5], 3, "whole-number"),
    (["a"], 3, "whole-number"),
    ([np.nan], 3, "whole-number"),
    ([[0, 1]], 3, "1-D"),
    ([0], 0, "at least 1"),
    ([0], 2.5, "at least 1"),
    ([0], True, "at least 1"),
])
def test_one_hot_rejects_bad_labels(labels, K, phrase):
    with pytest.raises(ValueError, match=phrase):
        one_hot(labels, K)


# ---------------------------------------------------------------- binary cross-entropy


def bce_reference(z, y):
    return np.mean(-y * special.log_expit(z) - (1 - y) * special.log_expit(-z))


@pytest.mark.parametrize("seed", range(5))
def test_bce_matches_scipy_and_the_textbook_formula(seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 4, (1, 16))
    y = rng.integers(0, 2, (1, 16)).astype(float)
    got = binary_cross_entropy_from_logits(z, y)
    assert isinstance(got, float)
    assert got == pytest.approx(bce_reference(z, y), rel=1e-12)
    a = special.expit(z)
    assert got == pytest.approx(np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a))), rel=1e-9)


def test_bce_is_finite_for_extreme_logits(no_warnings):
    z = np.array([1000.0, -1000.0, 1000.0, -1000.0])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    # right with confidence: 0; wrong with confidence: 1000 each
    assert binary_cross_entropy_from_logits(z, y) == pytest.approx(2000.0 / 4)
    assert binary_cross_entropy_from_logits(z[:2], y[:2]) == 0.0
    assert binary_cross_entropy_from_logits(np.zeros(3), np.ones(3)) == pytest.approx(np.log(2))


def test_bce_with_soft_targets():
    z = np.array([0.3, -1.2])
    y = np.array([0.25, 0.9])
    assert binary_cross_entropy_from_logits(z, y) == pytest.approx(bce_reference(z, y), rel=1e-12)


@pytest.mark.parametrize("z, y", [
    (np.zeros(3), np.zeros(2)), (np.zeros(0), np.zeros(0)),
    (np.zeros(2), np.array([0.0, 2.0])), (np.zeros(2), np.array([np.nan, 1.0])),
])
def test_bce_rejects_bad_inputs(z, y):
    with pytest.raises(ValueError):
        binary_cross_entropy_from_logits(z, y)


# ---------------------------------------------------------------- cross-entropy


@pytest.mark.parametrize("seed", range(5))
def test_cross_entropy_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    K, B = 5, 12
    Z = rng.normal(0, 3, (K, B))
    Y = one_hot(rng.integers(0, K, B), K)
    expected = -np.sum(Y * special.log_softmax(Z, axis=0)) / B
    assert cross_entropy_from_logits(Z, Y) == pytest.approx(expected, rel=1e-12)
    expected2 = -np.mean(np.log(special.softmax(Z, axis=0)[Y.argmax(axis=0), np.arange(B)]))
    assert cross_entropy_from_logits(Z, Y) == pytest.approx(expected2, rel=1e-10)


def test_cross_entropy_with_two_classes_is_binary_cross_entropy():
    rng = np.random.default_rng(7)
    z = rng.normal(0, 3, 10)
    y = rng.integers(0, 2, 10)
    Z = np.vstack([np.zeros(10), z])  # softmax([0, z])[1] = σ(z)
    assert cross_entropy_from_logits(Z, one_hot(y, 2)) == pytest.approx(
        binary_cross_entropy_from_logits(z, y.astype(float)), rel=1e-12)


def test_cross_entropy_is_finite_for_extreme_logits(no_warnings):
    Z = np.array([[1000.0, 1000.0], [0.0, 0.0], [-1000.0, -np.inf]])
    Y = one_hot([0, 2], 3)
    # sample 0 is right with confidence (loss 0); sample 1 has log p = -inf (loss inf)
    assert cross_entropy_from_logits(Z[:, :1], Y[:, :1]) == 0.0
    assert cross_entropy_from_logits(Z, one_hot([0, 1], 3)) == pytest.approx(1000.0 / 2)
    assert cross_entropy_from_logits(Z[:, 1:], one_hot([0], 3)) == 0.0  # 0 · log 0 counts as 0


def test_cross_entropy_of_uniform_scores_is_log_K():
    assert cross_entropy_from_logits(np.zeros((5, 3)), one_hot([0, 1, 4], 5)) == pytest.approx(np.log(5))


def test_cross_entropy_single_sample_and_soft_targets():
    z = np.array([2.0, 1.0, 0.1])
    assert cross_entropy_from_logits(z, np.array([1.0, 0, 0])) == pytest.approx(-special.log_softmax(z)[0])
    soft = np.array([0.7, 0.2, 0.1])
    assert cross_entropy_from_logits(z, soft) == pytest.approx(-(soft * special.log_softmax(z)).sum())


@pytest.mark.parametrize("Z, Y", [
    (np.zeros((3, 2)), np.zeros((2, 3))),            # shapes differ
    (np.zeros((3, 2)), np.zeros((3, 2))),            # columns are not one-hot
    (np.zeros((3, 2)), np.full((3, 2), 0.5)),        # columns sum to 1.5
    (np.zeros((3, 1)), np.array([[1.5], [-0.5], [0.0]])),  # negative target
    (np.zeros((3, 0)), np.zeros((3, 0))),            # empty batch
])
def test_cross_entropy_rejects_bad_targets(Z, Y):
    with pytest.raises(ValueError):
        cross_entropy_from_logits(Z, Y)


# -- the softmax trick, checked in floating point ------------------------------------------------
def test_shift_check_verdicts_on_the_pages_presets():
    from explorer.core.probability import shift_check

    big = shift_check([1000.0, 999.0, 998.0], 0.0)
    assert big.verdict == "overflow" and np.isnan(big.max_abs_diff) and not big.equal_up_to_rounding
    assert "above 709.78" in big.reason
    neg = shift_check([-1000.0, -999.0, -998.0], 0.0)
    assert neg.verdict == "underflow_all" and neg.underflowed.tolist() == [0, 1, 2] and "0 / 0" in neg.reason
    small = shift_check([1.0, 2.0, 3.0], 0.0)
    assert small.verdict == "equal" and small.equal_up_to_rounding and small.max_abs_diff <= small.tolerance
    at_max = shift_check([1000.0, 999.0, 998.0], 1000.0)      # c = max z: the very same arithmetic
    assert at_max.verdict == "equal" and at_max.max_abs_diff == 0.0
    np.testing.assert_array_equal(at_max.stable, softmax(np.array([1000.0, 999.0, 998.0])))


def test_shift_check_says_when_underflow_breaks_equal_up_to_rounding():
    from explorer.core.probability import shift_check

    # exp(-740) and exp(-745) are subnormal: about one digit left, so the naive ratio is off by 5e-3
    sub = shift_check([-740.0, -745.0, -1200.0], 0.0)
    assert sub.verdict == "underflow" and sub.underflowed.tolist() == [0, 1, 2]
    assert sub.max_abs_diff == pytest.approx(0.004935, abs=1e-5)
    assert "smallest normal double" in sub.reason and "c = max z" in sub.reason
    # a probability of 1.9e-174 that the naive formula turns into 0: tiny in absolute terms, wrong in every digit
    lost = shift_check([0.0, -400.0], 400.0)
    assert lost.verdict == "underflow" and lost.underflowed.tolist() == [1] and lost.max_rel_diff == 1.0
    assert lost.naive[1] == 0.0 and lost.stable[1] == pytest.approx(np.exp(-400.0), rel=1e-14)
    # a term that underflows where the true probability is itself below 2.2e-308 changes nothing shown
    fine = shift_check([0.0, -700.0, -1100.0], 0.0)
    assert fine.verdict == "equal" and fine.underflowed.tolist() == [2] and "below 2.2e-308 anyway" in fine.reason


def test_shift_check_tolerance_is_sound_and_verdicts_are_consistent():
    """Wherever no exp(z_i − c) overflows or leaves the normal range, rounding alone explains the
    difference (so the verdict is "equal"); wherever the verdict is "equal", every entry agrees."""
    from explorer.core.probability import SMALLEST_NORMAL, shift_check

    rng = np.random.default_rng(0)
    seen = set()
    for trial in range(3000):
        K = int(rng.integers(2, 6))
        z = rng.uniform(-1200, 1200, K) if trial % 2 else rng.integers(-1200, 1201, K).astype(float)
        c = float(rng.uniform(-1200, 1200)) if trial % 3 else float(z.max() - rng.integers(0, 800))
        r = shift_check(z, c)
        seen.add(r.verdict)
        with np.errstate(over="ignore", under="ignore"):
            e = np.exp(z - c)
        if np.all(np.isfinite(e)) and np.all(e >= SMALLEST_NORMAL):
            assert r.verdict == "equal", (z, c, r.max_rel_diff, r.tolerance)
        if r.verdict == "equal":
            normal = r.stable >= SMALLEST_NORMAL
            assert np.all(np.abs(r.naive - r.stable)[normal] <= r.tolerance * r.stable[normal])
        else:
            assert r.underflowed.size or r.verdict == "overflow"
    assert seen == {"equal", "overflow", "underflow_all", "underflow"}


def test_shift_check_rejects_bad_input():
    from explorer.core.probability import shift_check

    with pytest.raises(ValueError):
        shift_check([], 0.0)
    with pytest.raises(ValueError):
        shift_check([1.0, np.inf], 0.0)
    with pytest.raises(ValueError):
        shift_check([1.0, 2.0], float("nan"))
