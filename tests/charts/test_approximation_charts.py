"""The width sweep's chart: a log axis a student can read, and the widths where the error went up."""
import math

from explorer.charts.approximation import error_vs_width, log_ticks, power_label, rises


def test_powers_of_ten_are_written_as_a_student_reads_them():
    assert [power_label(k) for k in (0, 1, -1, -3, -12, 2)] == ["1", "10", "10⁻¹", "10⁻³", "10⁻¹²", "10²"]


def test_log_ticks_span_the_values_with_at_least_three_powers():
    assert log_ticks([0.37, 2.1e-6]) == [-6, -5, -4, -3, -2, -1, 0]
    assert log_ticks([0.3, 0.2]) == [-2, -1, 0]
    assert log_ticks([math.nan, 0.05, -1.0]) == [-3, -2, -1]
    assert log_ticks([]) == [-2, -1, 0]


def test_rises_are_the_widths_where_the_error_went_up():
    assert rises([1, 2, 4, 8, 16], [0.4, 0.5, 0.01, 0.02, math.nan]) == [(1, 2), (4, 8)]
    assert rises([1, 2], [0.4, 0.1]) == []


def test_the_chart_rings_the_rises_and_labels_every_power():
    fig = error_vs_width([1, 2, 4, 8], [0.4, 0.5, 0.01, 0.002], 1500, current=4)
    names = [t.name for t in fig.data]
    assert names == ["final MSE", "higher than the width before", "width 4 (yours)"]
    ringed = fig.data[1]
    assert list(ringed.x) == [2] and list(ringed.y) == [0.5] and list(ringed.customdata) == [1]
    y = fig.layout.yaxis
    assert y.type == "log" and list(y.ticktext) == ["10⁻³", "10⁻²", "10⁻¹", "1"]
    assert list(y.tickvals) == [1e-3, 1e-2, 1e-1, 1.0]
    assert fig.layout.title.text == "Final error against width (1,500 Adam steps each, same seed)"
