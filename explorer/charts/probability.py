"""From scores to probabilities: the sigmoid and its inverse, softmax bars, a neuron's probability map."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import DIVERGING, NEUTRAL, PALETTE, new_figure, styled, trace

BLUE, ORANGE, GREEN, VERMILLION, GREY = PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[5], NEUTRAL


def _label_side(z: float) -> str:
    """Where the label of the point (z, σ(z)) stays clear of the curve and inside the plot."""
    if z < 0:
        return "top right" if z < -5 else "top left"
    return "bottom left" if z > 5 else "bottom right"


def _decision_regions(lo: float, hi: float, z_threshold: float) -> tuple[list[dict], list[dict]]:
    """The shaded z ranges where the prediction is 1 and 0 (shapes) and their names (annotations)."""
    shapes, annotations = [], []
    # where the prediction is class 1: z >= logit(threshold); shaded and named, not colour alone
    # labels where the curve is not: class 0 top left (σ ≈ 0 there), class 1 bottom right (σ ≈ 1)
    for x0, x1, colour, label, pos in ((max(z_threshold, lo), hi, BLUE, "predict 1 (“Yes”)", "right"),
                                       (lo, min(z_threshold, hi), ORANGE, "predict 0 (“No”)", "left")):
        if x1 > x0:
            shapes.append({"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                           "fillcolor": colour, "opacity": 0.12, "line": {"width": 0}, "layer": "below"})
            annotations.append({"xref": "x", "yref": "y domain", "x": x1 if pos == "right" else x0,
                                "y": 0.0 if pos == "right" else 1.0, "xanchor": pos,
                                "yanchor": "bottom" if pos == "right" else "top", "text": label,
                                "showarrow": False, "font": {"color": GREY}})
    return shapes, annotations


def sigmoid_and_logit(z_grid: np.ndarray, a_grid: np.ndarray, z: float, a: float, threshold: float,
                      z_threshold: float) -> go.Figure:
    """Left: a = σ(z) with the point (z, a) and the threshold; right: its inverse z = logit(a).

    ``z_grid``/``a_grid`` are the σ curve (so the right panel is the same points, axes swapped);
    ``z_threshold = logit(threshold)`` is where the predicted class changes. Built in one go
    (two axes side by side, shapes and labels as plain dicts): plotly is slow to add them one by one.
    No legend: the panels' titles name the curves (a = σ(z), z = logit(a)) and the points are labelled.
    """
    lo, hi = float(z_grid[0]), float(z_grid[-1])
    keep = (a_grid > 0) & (a_grid < 1)
    # float32: as exact as the eye needs, half the bytes sent at every move of z
    z_grid, a_grid = np.asarray(z_grid, np.float32), np.asarray(a_grid, np.float32)
    marker = {"size": 14, "color": VERMILLION, "line": {"color": "#000000", "width": 1.5}}
    data = [
        trace("scatter", x=z_grid, y=a_grid, mode="lines", name="a = σ(z)", line={"color": BLUE, "width": 3}),
        trace("scatter", x=[z], y=[a], mode="markers+text", name="your z", text=[f"σ({z:g}) = {a:.4f}"],
                   textposition=_label_side(z), textfont={"size": 14}, cliponaxis=False,
                   marker={**marker, "symbol": "circle"}),
        trace("scatter", x=a_grid[keep], y=z_grid[keep], mode="lines", name="z = logit(a)", xaxis="x2", yaxis="y2",
                   line={"color": GREEN, "width": 3, "dash": "dash"}),
        trace("scatter", x=[a], y=[z], mode="markers+text", showlegend=False, xaxis="x2", yaxis="y2",
                   text=[f"logit({a:.4f}) = {z:g}"],
                   textposition="bottom right" if z < 0 else ("top left" if z <= 5 else "bottom left"),
                   textfont={"size": 14}, cliponaxis=False, marker={**marker, "symbol": "diamond"}),
    ]
    shapes, annotations = _decision_regions(lo, hi, z_threshold)
    dashed = {"color": GREY, "dash": "dash", "width": 2}
    shapes.append({"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1,
                   "y0": threshold, "y1": threshold, "line": dashed})
    shapes.append({"type": "line", "xref": "x2", "yref": "y2 domain", "x0": threshold, "x1": threshold,
                   "y0": 0, "y1": 1, "line": dashed})
    annotations += [
        # at the left, where σ is near 0 and nothing else is (the right edge meets the next panel's axis)
        {"xref": "x domain", "yref": "y", "x": 0.01, "y": threshold, "xanchor": "left",
         "yanchor": "bottom" if threshold < 0.5 else "top",
         "text": f"threshold {threshold:g}", "showarrow": False, "font": {"color": GREY}},
        {"xref": "x domain", "yref": "paper", "x": 0.5, "y": 1.0, "yanchor": "bottom", "showarrow": False,
         "text": "a = σ(z): any score z → a probability", "font": {"size": 15}},
        {"xref": "x2 domain", "yref": "paper", "x": 0.5, "y": 1.0, "yanchor": "bottom", "showarrow": False,
         "text": "z = logit(a) = log(a / (1 − a)): back again", "font": {"size": 15}},
    ]
    verdict = "1 (“Yes”)" if a >= threshold else "0 (“No”)"
    fig = new_figure(data=data, layout={
        "shapes": shapes, "annotations": annotations,
        # the corner's −10 and 0 (x and y ticks) are kept apart by the template's 8 px pad
        "xaxis": {"domain": [0, 0.45], "range": [lo, hi], "title": {"text": "z (score, logit)"}},
        "yaxis": {"range": [-0.03, 1.03], "title": {"text": "a = σ(z)"}},
        "xaxis2": {"domain": [0.55, 1], "range": [0, 1], "anchor": "y2", "title": {"text": "a (probability)"}},
        "yaxis2": {"range": [lo, hi], "anchor": "x2", "title": {"text": "z = logit(a)"}, "ticklabelstandoff": 6},
    })
    styled(fig, f"Sigmoid and logit: z = {z:g} → a = {a:.4f} → predicted class {verdict}", height=400)
    # no legend: each panel's title names its curve and each point is labelled; a legend doubled
    # plotly.js's draw time of this figure, which is redrawn on every move of z
    fig.update_layout(margin={"b": 50, "t": 80}, showlegend=False)
    return fig


def probability_bars(names: list[str], probs: np.ndarray, true_index: int | None = None,
                     probs_T: np.ndarray | None = None, T: float | None = None) -> go.Figure:
    """a_k = softmax(z)_k per class, value printed on each bar; optionally at a temperature T too.

    The true class is named in its tick label ("★ ... (true)") so it is not marked by colour alone.
    """
    ticks = [f"★ {n} (true)" if k == true_index else n for k, n in enumerate(names)]
    hover = "%{x}: a = %{y:.6f}<extra></extra>"
    data = [trace("bar", x=ticks, y=probs, name="softmax(z)  (T = 1)", marker={"color": BLUE},
                   text=[f"{p:.3f}" for p in probs], textposition="outside", hovertemplate=hover)]
    if probs_T is not None:
        data.append(trace("bar", x=ticks, y=probs_T, name=f"softmax(z / T),  T = {T:g}",
                           marker={"color": ORANGE, "pattern": {"shape": "/"}},
                           text=[f"{p:.3f}" for p in probs_T], textposition="outside", hovertemplate=hover))
    K = len(names)
    data.append(trace("scatter", x=ticks, y=[1 / K] * K, mode="lines", name=f"uniform 1/K = {1 / K:.3g}",
                           line={"color": GREY, "dash": "dot", "width": 2}, hoverinfo="skip"))
    fig = new_figure(data=data, layout={"barmode": "group", "yaxis": {"range": [0, 1.12], "tickformat": ".1f"}})
    return styled(fig, "a = softmax(z): one probability per class, summing to 1", "class k",
                  "a_k = P(class k | x)", height=400)


def neuron_map(g1: np.ndarray, g2: np.ndarray, P: np.ndarray, w1: float, w2: float, b: float) -> go.Figure:
    """a = σ(w1 x1 + w2 x2 + b) over the plane (RdBu, fixed 0..1), its 0.5 line and the vector w.

    ``P`` is ``[len(g2), len(g1)]``. The 0.5 line is w1 x1 + w2 x2 + b = 0, drawn exactly (black);
    the arrow w points towards a → 1 and is perpendicular to the line.
    """
    data = [trace("heatmap", x=g1, y=g2, z=P, zmin=0, zmax=1, colorscale=DIVERGING,
                       # beside the plot, not under it where the x-axis title is
                       colorbar={"title": {"text": "a = σ(z)", "side": "top"}, "tickvals": [0, 0.25, 0.5, 0.75, 1],
                                 "len": 0.8, "thickness": 14},
                       hovertemplate="x₁ = %{x:.2f}, x₂ = %{y:.2f}: a = %{z:.3f}<extra></extra>")]
    annotations = []
    lo1, hi1, lo2, hi2 = float(g1[0]), float(g1[-1]), float(g2[0]), float(g2[-1])
    norm = float(np.hypot(w1, w2))
    if norm > 1e-12:
        # the line w·x + b = 0, as a long segment along the direction ⟂ w (clipped by the axes)
        x0, y0 = -b * w1 / norm**2, -b * w2 / norm**2          # the point of the line nearest 0
        dx, dy = -w2 / norm, w1 / norm
        reach = 4 * (hi1 - lo1)
        data.append(trace("scatter", x=[x0 - reach * dx, x0 + reach * dx], y=[y0 - reach * dy, y0 + reach * dy],
                               mode="lines", name="a = 0.5:  w₁x₁ + w₂x₂ + b = 0",
                               line={"color": "#000000", "width": 3}, hoverinfo="skip"))
        if lo1 <= x0 <= hi1 and lo2 <= y0 <= hi2:   # the vector w, from the line's point nearest the origin
            length = min(1.5, 0.25 * (hi1 - lo1))
            tip_x, tip_y = x0 + length * w1 / norm, y0 + length * w2 / norm
            annotations += [
                {"x": tip_x, "y": tip_y, "ax": x0, "ay": y0, "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                 "showarrow": True, "arrowhead": 3, "arrowsize": 1.3, "arrowwidth": 3, "arrowcolor": "#000000",
                 "text": ""},
                {"x": tip_x + 0.35 * w1 / norm, "y": tip_y + 0.35 * w2 / norm, "text": "<b>w</b>", "showarrow": False,
                 "font": {"size": 18, "color": "#000000"}, "bgcolor": "rgba(255,255,255,0.8)"},
            ]
    fig = new_figure(data=data, layout={
        "annotations": annotations, "showlegend": True,
        "xaxis": {"range": [lo1, hi1], "constrain": "domain"},
        "yaxis": {"range": [lo2, hi2], "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
    })
    styled(fig, f"One neuron: a = σ(w₁x₁ + w₂x₂ + b) with w = ({w1:g}, {w2:g}), b = {b:g}",
           "x₁", "x₂", height=600)
    fig.update_layout(margin={"b": 50, "t": 90},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "center", "x": 0.5})
    return fig
