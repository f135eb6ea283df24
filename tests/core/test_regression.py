"""Linear regression core: loss, closed form, gradient and gradient descent vs references."""
from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.regression import (
    gradient,
    gradient_descent,
    hessian,
    least_squares,
    loss_surface,
    make_line_data,
    max_stable_lr,
    sse_loss,
)



def loss_loop(w, b, x, y):
    """The slide's sum, literally."""
    return sum((yi - (w * xi + b)) ** 2 for xi, yi in zip(x.tolist(), y.tolist()))


def loss_exact(w, b, x, y):
    """The slide's sum in exact rational arithmetic (no rounding at all)."""
    w, b = Fraction(w), Fraction(b)
    return float(sum((Fraction(yi) - (w * Fraction(xi) + b)) ** 2 for xi, yi in zip(x.tolist(), y.tolist())))


def lstsq_reference(x, y):
    A = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    return w, b


# ---------------------------------------------------------------- data


def test_make_line_data_shapes_and_determinism():
    x, y = make_line_data(30, w=2.0, b=1.0, noise=0.5, seed=3)
    assert x.shape == y.shape == (30,)
    x2, y2 = make_line_data(30, w=2.0, b=1.0, noise=0.5, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = make_line_data(30, seed=4)
    assert not np.array_equal(x, x3)
    assert np.all((x >= 0.0) & (x <= 1.0))


def test_make_line_data_without_noise_is_the_line():
    x, y = make_line_data(20, w=-3.0, b=0.5, noise=0.0, seed=0, x_range=(-2, 5))
    np.testing.assert_allclose(y, -3.0 * x + 0.5, rtol=0, atol=1e-12)
    assert x.min() >= -2 and x.max() <= 5


def test_make_line_data_noise_has_the_requested_spread():
    x, y = make_line_data(20000, w=1.0, b=0.0, noise=0.5, seed=1)
    assert np.std(y - x) == pytest.approx(0.5, rel=0.03)


@pytest.mark.parametrize("kwargs", [
    dict(n=0), dict(n=-5), dict(n=2.5), dict(n=10**7), dict(n="10"),
    dict(n=10, noise=-1.0), dict(n=10, w=np.nan), dict(n=10, b=np.inf),
    dict(n=10, x_range=(1.0, 1.0)), dict(n=10, x_range=(2.0, 1.0)),
])
def test_make_line_data_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        make_line_data(**kwargs)


# ---------------------------------------------------------------- loss


def test_sse_loss_is_the_slides_sum():
    x, y = make_line_data(25, w=1.5, b=-0.5, noise=0.3, seed=2)
    for w, b in [(0.0, 0.0), (1.5, -0.5), (-2.0, 3.0), (10.0, 1e-3)]:
        got = sse_loss(w, b, x, y)
        assert isinstance(got, float)
        assert got == pytest.approx(loss_loop(w, b, x, y), rel=1e-12)


def test_sse_loss_is_a_sum_not_a_mean():
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([1.0, 1.0, 1.0])
    # residuals for w=0, b=0 are all 1: the sum is 3 (a mean would be 1)
    assert sse_loss(0.0, 0.0, x, y) == 3.0
    assert sse_loss(0.0, 1.0, x, y) == 0.0
    assert sse_loss(1.0, 0.0, x, y) == pytest.approx(1 + 0 + 1)


def test_sse_loss_broadcasts_over_w_and_b():
    x, y = make_line_data(12, seed=5)
    w = np.linspace(-1, 3, 7)
    b = np.linspace(-2, 2, 5)
    L = sse_loss(w[:, None], b[None, :], x, y)
    assert L.shape == (7, 5)
    for i, wi in enumerate(w):
        for j, bj in enumerate(b):
            assert L[i, j] == pytest.approx(loss_loop(wi, bj, x, y), rel=1e-12)
    # a 1-D w with a scalar b
    np.testing.assert_allclose(sse_loss(w, 0.25, x, y), [loss_loop(wi, 0.25, x, y) for wi in w], rtol=1e-12)


def test_sse_loss_is_accurate_where_an_expanded_square_would_cancel():
    # a perfect line far from the origin: Σy² is huge while the loss is tiny
    x = np.linspace(1000.0, 1001.0, 50)
    y = 3.0 * x + 5.0
    for dw, db in [(0.0, 0.0), (1e-9, 0.0), (0.0, 1e-7), (2e-8, -3e-6)]:
        w, b = 3.0 + dw, 5.0 + db
        assert sse_loss(w, b, x, y) == pytest.approx(loss_exact(w, b, x, y), rel=1e-6, abs=1e-20)


@pytest.mark.parametrize("x", [[2.0, 2.0, 2.0], [7.0]])
def test_sse_loss_with_all_x_equal(x):
    x = np.array(x)
    y = np.arange(x.size, dtype=float)
    for w, b in [(0.0, 0.0), (1.0, -1.0), (-3.0, 6.5)]:
        assert sse_loss(w, b, x, y) == pytest.approx(loss_loop(w, b, x, y), rel=1e-12, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 30), seed=st.integers(0, 1000),
       w=st.floats(-100, 100), b=st.floats(-100, 100), noise=st.floats(0, 10))
def test_sse_loss_matches_the_literal_sum(n, seed, w, b, noise):
    x, y = make_line_data(n, w=1.5, b=-2.0, noise=noise, seed=seed, x_range=(-5, 5))
    assert sse_loss(w, b, x, y) == pytest.approx(loss_loop(w, b, x, y), rel=1e-9, abs=1e-9)


def test_sse_loss_of_huge_parameters_is_inf_without_warnings(no_warnings):
    x, y = make_line_data(5, seed=0)
    assert sse_loss(1e300, 0.0, x, y) == np.inf


def test_sse_loss_on_a_big_grid_is_constant_work_per_point():
    """O(1) per (w, b) whatever N: the grid never meets an N x grid array (that would be 2.9 GB here).
    Measured as allocated memory (deterministic), not as time; benchmarks/ holds timings."""
    import tracemalloc

    x, y = make_line_data(5000, seed=0)
    w, b = np.linspace(-2, 6, 300), np.linspace(-3, 5, 300)
    tracemalloc.start()
    try:
        L = loss_surface(x, y, w, b)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 300 * 300 * 4       # a few grid-sized arrays (720 kB each), never N of them
    assert L.shape == (300, 300) and np.all(np.isfinite(L))
    for i, j in [(0, 0), (137, 42), (299, 299)]:
        assert L[i, j] == pytest.approx(loss_loop(w[j], b[i], x, y), rel=1e-9)


def test_loss_surface_rows_are_b_and_columns_are_w():
    x, y = make_line_data(15, seed=7)
    w_grid = np.linspace(-1, 4, 11)
    b_grid = np.linspace(-3, 3, 6)
    L = loss_surface(x, y, w_grid, b_grid)
    assert L.shape == (6, 11)
    W, B = np.meshgrid(w_grid, b_grid)
    expected = np.array([[loss_loop(wv, bv, x, y) for wv, bv in zip(wr, br)] for wr, br in zip(W, B)])
    np.testing.assert_allclose(L, expected, rtol=1e-12)
    # the grid minimum sits next to the least-squares solution
    i, j = np.unravel_index(np.argmin(L), L.shape)
    w_star, b_star = least_squares(x, y)
    assert abs(w_grid[j] - w_star) <= 0.5 + 1e-12 and abs(b_grid[i] - b_star) <= 0.6 + 1e-12


def test_loss_surface_rejects_2d_grids():
    x, y = make_line_data(5, seed=0)
    with pytest.raises(ValueError, match="1-D"):
        loss_surface(x, y, np.zeros((2, 2)), np.zeros(3))


@pytest.mark.parametrize("x, y", [
    ([1.0, 2.0], [1.0]),             # different lengths
    ([], []),                        # no samples
    ([1.0, np.nan], [1.0, 2.0]),     # nan
    ([1.0, 2.0], [np.inf, 2.0]),     # inf
])
def test_bad_samples_are_refused(x, y):
    with pytest.raises(ValueError):
        sse_loss(0.0, 0.0, x, y)


def test_row_vector_samples_in_lecture_layout_are_accepted():
    x, y = make_line_data(8, seed=1)
    assert sse_loss(1.0, 2.0, x[None, :], y[None, :]) == pytest.approx(sse_loss(1.0, 2.0, x, y))


# ---------------------------------------------------------------- closed form


@pytest.mark.parametrize("seed", range(25))
def test_least_squares_matches_numpy_lstsq(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 200))
    x = rng.normal(rng.normal(0, 5), rng.uniform(0.01, 10), n)
    y = rng.normal(0, 3) * x + rng.normal(0, 3) + rng.normal(0, rng.uniform(0, 2), n)
    w, b = least_squares(x, y)
    w_ref, b_ref = lstsq_reference(x, y)
    assert w == pytest.approx(w_ref, rel=1e-8, abs=1e-9)
    assert b == pytest.approx(b_ref, rel=1e-8, abs=1e-9)


def test_least_squares_recovers_an_exact_line():
    x, y = make_line_data(10, w=2.0, b=1.0, noise=0.0, seed=0)
    w, b = least_squares(x, y)
    assert (w, b) == (pytest.approx(2.0, abs=1e-12), pytest.approx(1.0, abs=1e-12))
    assert sse_loss(w, b, x, y) == pytest.approx(0.0, abs=1e-20)


def test_least_squares_is_the_minimum_of_the_loss():
    x, y = make_line_data(40, noise=1.0, seed=11)
    w, b = least_squares(x, y)
    best = sse_loss(w, b, x, y)
    rng = np.random.default_rng(0)
    dw, db = rng.normal(0, 0.1, 200), rng.normal(0, 0.1, 200)
    assert np.all(sse_loss(w + dw, b + db, x, y) >= best)


@pytest.mark.parametrize("x", [[3.0, 3.0, 3.0], [0.1] * 7, [5.0]])
def test_least_squares_with_all_x_equal_is_a_clear_error(x):
    with pytest.raises(ValueError, match="x values are equal"):
        least_squares(x, np.arange(len(x), dtype=float))


# ---------------------------------------------------------------- gradient


@pytest.mark.parametrize("seed", range(10))
def test_gradient_matches_central_finite_differences(seed):
    rng = np.random.default_rng(seed)
    x, y = make_line_data(int(rng.integers(1, 60)), w=rng.normal(), b=rng.normal(), noise=0.4, seed=seed)
    w, b = rng.normal(0, 2, 2)
    h = 1e-5
    fd_w = (sse_loss(w + h, b, x, y) - sse_loss(w - h, b, x, y)) / (2 * h)
    fd_b = (sse_loss(w, b + h, x, y) - sse_loss(w, b - h, x, y)) / (2 * h)
    dw, db = gradient(w, b, x, y)
    assert isinstance(dw, float) and isinstance(db, float)
    assert dw == pytest.approx(fd_w, rel=1e-6, abs=1e-6)
    assert db == pytest.approx(fd_b, rel=1e-6, abs=1e-6)


def test_gradient_matches_the_residual_formula():
    x, y = make_line_data(30, seed=9)
    w, b = 0.7, -0.2
    r = y - (w * x + b)
    dw, db = gradient(w, b, x, y)
    assert dw == pytest.approx(-2 * np.sum(x * r), rel=1e-12)
    assert db == pytest.approx(-2 * np.sum(r), rel=1e-12)


def test_gradient_is_zero_at_least_squares():
    x, y = make_line_data(50, noise=0.8, seed=4)
    dw, db = gradient(*least_squares(x, y), x, y)
    assert abs(dw) < 1e-9 and abs(db) < 1e-9


def test_gradient_broadcasts_over_a_grid():
    x, y = make_line_data(10, seed=2)
    w = np.linspace(-1, 1, 4)[None, :]
    b = np.linspace(-2, 2, 3)[:, None]
    dw, db = gradient(w, b, x, y)
    assert dw.shape == db.shape == (3, 4)
    assert dw[2, 1] == pytest.approx(gradient(float(w[0, 1]), float(b[2, 0]), x, y)[0])
    assert db[0, 3] == pytest.approx(gradient(float(w[0, 3]), float(b[0, 0]), x, y)[1])


def test_hessian_matches_finite_differences_of_the_gradient():
    x, y = make_line_data(20, seed=8)
    h = 1e-4
    gw = np.subtract(gradient(1.0 + h, 0.5, x, y), gradient(1.0 - h, 0.5, x, y)) / (2 * h)
    gb = np.subtract(gradient(1.0, 0.5 + h, x, y), gradient(1.0, 0.5 - h, x, y)) / (2 * h)
    np.testing.assert_allclose(hessian(x), np.column_stack([gw, gb]), rtol=1e-7)


@pytest.mark.parametrize("seed", range(8))
def test_max_stable_lr_is_two_over_the_largest_eigenvalue(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(rng.normal(0, 3), rng.uniform(0.1, 4), int(rng.integers(1, 100)))
    n, sx, sxx = x.size, x.sum(), x @ x
    lam_max = (sxx + n) + np.sqrt((sxx - n) ** 2 + 4 * sx**2)  # closed form for 2[[a, b], [b, c]]
    assert max_stable_lr(x) == pytest.approx(2 / lam_max, rel=1e-10)


def test_max_stable_lr_for_centred_unit_data():
    x = np.array([-1.0, 1.0])  # H = 2 [[2, 0], [0, 2]] -> λ_max = 4
    assert max_stable_lr(x) == pytest.approx(0.5)


# ---------------------------------------------------------------- gradient descent


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_descent_converges_to_least_squares(no_warnings, fraction, seed):
    x, y = make_line_data(40, w=2.0, b=1.0, noise=0.3, seed=seed)
    lr = fraction * max_stable_lr(x)
    path = gradient_descent(x, y, w0=-3.0, b0=4.0, lr=lr, steps=200_000, loss_tol=0.0)
    assert path.status == "converged" and path.converged and not path.diverged
    w_ref, b_ref = lstsq_reference(x, y)
    assert path.w[-1] == pytest.approx(w_ref, abs=1e-6)
    assert path.b[-1] == pytest.approx(b_ref, abs=1e-6)
    assert path.loss[-1] == pytest.approx(sse_loss(w_ref, b_ref, x, y), rel=1e-9)
    assert "Converged" in path.message


def test_gradient_descent_path_starts_at_the_start_and_follows_the_update():
    x, y = make_line_data(20, seed=3)
    lr = 0.3 * max_stable_lr(x)
    path = gradient_descent(x, y, w0=0.5, b0=-1.0, lr=lr, steps=5)
    assert path.status == "running"
    assert path.steps_run == 5 and len(path.w) == len(path.b) == len(path.loss) == 6
    assert (path.w[0], path.b[0]) == (0.5, -1.0)
    w, b = 0.5, -1.0
    for k in range(1, 6):
        dw, db = gradient(w, b, x, y)
        w, b = w - lr * dw, b - lr * db
        assert path.w[k] == pytest.approx(w, rel=1e-12)
        assert path.b[k] == pytest.approx(b, rel=1e-12)
    np.testing.assert_allclose(path.loss, sse_loss(path.w, path.b, x, y), rtol=1e-10)


def test_gradient_descent_loss_never_increases_below_the_limit():
    x, y = make_line_data(30, noise=0.5, seed=5)
    path = gradient_descent(x, y, w0=5.0, b0=-5.0, lr=0.95 * max_stable_lr(x), steps=500)
    assert np.all(np.diff(path.loss) <= 1e-9 * path.loss[0])


def test_gradient_descent_can_be_continued():
    x, y = make_line_data(30, seed=6)
    lr = 0.2 * max_stable_lr(x)
    once = gradient_descent(x, y, 1.0, 1.0, lr, steps=20)
    first = gradient_descent(x, y, 1.0, 1.0, lr, steps=10)
    second = gradient_descent(x, y, first.w[-1], first.b[-1], lr, steps=10)
    assert first.status == second.status == "running"
    np.testing.assert_allclose(np.r_[first.w, second.w[1:]], once.w, rtol=1e-13)


def test_gradient_descent_with_zero_steps_returns_just_the_start():
    x, y = make_line_data(10, seed=0)
    path = gradient_descent(x, y, 1.0, 2.0, lr=0.01, steps=0)
    assert path.steps_run == 0 and path.status == "running"
    assert path.loss[0] == pytest.approx(sse_loss(1.0, 2.0, x, y))


def test_gradient_descent_started_at_the_optimum_converges_at_once():
    x, y = make_line_data(10, noise=0.2, seed=0)
    path = gradient_descent(x, y, *least_squares(x, y), lr=0.1 * max_stable_lr(x), steps=100)
    assert path.status == "converged" and path.steps_run == 0


@pytest.mark.parametrize("factor", [1.05, 1.5, 3.0, 1e3, 1e300])
def test_gradient_descent_above_the_limit_diverges_without_warnings(no_warnings, factor):
    x, y = make_line_data(40, w=2.0, b=1.0, noise=0.3, seed=0)
    lr = factor * max_stable_lr(x)
    path = gradient_descent(x, y, w0=0.0, b0=0.0, lr=lr, steps=100_000)
    assert path.status == "diverged" and path.diverged
    assert path.steps_run < 100_000                    # stopped early
    assert np.all(np.isfinite(path.w)) and np.all(np.isfinite(path.b))
    assert np.all(np.isfinite(path.loss))
    assert "Diverged" in path.message and "stable limit" in path.message
    assert path.lr_max == pytest.approx(max_stable_lr(x))


def test_divergence_is_detected_at_1e12_times_the_start():
    x, y = make_line_data(40, seed=0)
    path = gradient_descent(x, y, 0.0, 0.0, lr=1.2 * max_stable_lr(x), steps=100_000)
    assert path.loss[-1] > 1e12 * path.loss[0]
    assert np.all(path.loss[:-1] <= 1e12 * path.loss[0])
    assert path.steps_run < 1000
    assert path.steps_run == 42      # seeded: 1.2 x the limit grows the loss by 1e12 in 42 steps


def test_gradient_descent_with_an_infinite_start_loss_is_diverged(no_warnings):
    x, y = make_line_data(10, seed=0)
    path = gradient_descent(x, y, w0=1e300, b0=0.0, lr=0.01, steps=10)
    assert path.status == "diverged" and path.steps_run == 0
    assert "start" in path.message


def test_gradient_descent_on_degenerate_x_still_runs(no_warnings):
    x = np.full(10, 2.0)
    y = np.linspace(0, 1, 10)
    path = gradient_descent(x, y, 0.0, 0.0, lr=0.5 * max_stable_lr(x), steps=10_000)
    assert path.status == "converged"
    # every line through (2, mean y) is optimal
    assert 2 * path.w[-1] + path.b[-1] == pytest.approx(y.mean(), abs=1e-6)


@pytest.mark.parametrize("kwargs", [
    dict(lr=0.0), dict(lr=-0.1), dict(lr=np.nan), dict(lr=np.inf),
    dict(steps=-1), dict(steps=1.5), dict(w0=np.nan), dict(b0=np.inf),
])
def test_gradient_descent_rejects_bad_arguments(kwargs):
    x, y = make_line_data(10, seed=0)
    args = dict(w0=0.0, b0=0.0, lr=0.01, steps=10) | kwargs
    with pytest.raises(ValueError):
        gradient_descent(x, y, **args)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 50),
    seed=st.integers(0, 10_000),
    w0=st.floats(-50, 50),
    b0=st.floats(-50, 50),
    fraction=st.floats(0.05, 20.0),
)
def test_gradient_descent_never_warns_and_status_matches_the_limit(n, seed, w0, b0, fraction):
    x, y = make_line_data(n, w=1.0, b=-1.0, noise=0.5, seed=seed, x_range=(-3, 3))
    lr = fraction * max_stable_lr(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = gradient_descent(x, y, w0, b0, lr, steps=3000)
    assert path.status in {"converged", "running", "diverged"}
    assert np.all(np.isfinite(path.loss))
    if fraction <= 0.9 and np.ptp(x) > 0.5:
        assert path.status != "diverged"
    if fraction >= 1.1 and path.status != "converged":
        # only a start already at the optimum (to tolerance) avoids blowing up
        assert path.status == "diverged"


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.95])
def test_gradient_descent_says_converged_once_the_loss_reads_as_the_minimum(no_warnings, fraction):
    """A student reads 4 digits: a loss 1e-6 above the minimum is converged, not "run more steps"."""
    x, y = make_line_data(30, w=2.0, b=1.0, noise=0.5, seed=0)   # the page's defaults
    loss_min = sse_loss(*lstsq_reference(x, y), x, y)
    lr = fraction * max_stable_lr(x)
    tight = gradient_descent(x, y, w0=-3.0, b0=5.0, lr=lr, steps=200_000, loss_tol=0.0)
    path = gradient_descent(x, y, w0=-3.0, b0=5.0, lr=lr, steps=200_000)
    assert path.converged and "within 0.01 % of the minimum" in path.message
    assert path.loss[-1] - loss_min <= 1e-4 * loss_min
    assert path.loss[-2] - loss_min > 1e-4 * loss_min          # it stopped at the first such step
    assert path.steps_run < tight.steps_run
    # 0.01 % above the minimum can still read one higher in the 4th digit (6.5780 against 6.5774 here)
    assert (f"{loss_min:.4g}", f"{path.loss[-1]:.4g}") == ("6.577", "6.578")


def test_gradient_descent_noise_free_data_converges_relative_to_the_start(no_warnings):
    x, y = make_line_data(20, w=2.0, b=1.0, noise=0.0, seed=0)
    path = gradient_descent(x, y, w0=-3.0, b0=5.0, lr=0.5 * max_stable_lr(x), steps=100_000)
    assert path.converged
    assert path.loss[-1] <= 1e-12 * path.loss[0] * 1.0001
