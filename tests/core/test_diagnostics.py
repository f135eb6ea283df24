"""Layer diagnostics: saturation bands and dead units come from the activation registry."""
import numpy as np
import pytest

from explorer.core import activations as act
from explorer.core import diagnostics as dg


def test_saturation_bands_are_the_bounded_activations_within_the_margin():
    assert dg.SATURATION_BANDS == {"sigmoid": (0.01, 0.99), "tanh": (-0.99, 0.99)}
    assert set(dg.SATURATION_BANDS) == {n for n, a in act.ACTIVATIONS.items() if a.bounds is not None}


def test_only_relu_can_have_dead_units():
    assert dg.DEAD_CAPABLE == {"relu"}


def test_layer_stats_sigmoid_counts_values_at_the_bands():
    a = np.array([[0.005, 0.01, 0.5, 0.99], [0.2, 0.3, 0.995, 0.4]])    # 4 of 8 at or beyond a band edge
    stats = dg.layer_stats(a, "sigmoid")
    assert stats["saturated"] == 0.5 and stats["dead_units"] is None
    assert stats["mean"] == pytest.approx(a.mean()) and stats["std"] == pytest.approx(a.std())


def test_layer_stats_relu_counts_units_dead_for_the_whole_batch():
    a = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [2.0, 0.0, 3.0], [0.0, 0.0, 0.0]])
    stats = dg.layer_stats(a, "relu")
    assert stats["dead_units"] == 0.5 and stats["saturated"] is None


def test_layer_stats_of_an_unbounded_activation_has_neither():
    stats = dg.layer_stats(np.arange(6.0).reshape(2, 3), "gelu")
    assert stats == {"mean": 2.5, "std": pytest.approx(np.arange(6.0).std()), "saturated": None, "dead_units": None}


def test_histogram_drops_non_finite_values_and_widens_a_constant():
    counts, edges = dg.histogram(np.array([1.0, np.nan, 1.0, np.inf]), bins=4)
    assert counts.tolist() == [0, 0, 2, 0] and edges[0] == 0.5 and edges[-1] == 1.5
    counts, edges = dg.histogram(np.array([np.nan]))
    assert counts.tolist() == [0] and edges.tolist() == [0.0, 1.0]
