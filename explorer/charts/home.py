"""The home page's picture: the lecture's path from pixels to a probability, as one row of steps."""
from __future__ import annotations

import plotly.graph_objects as go

from explorer.charts.style import FONT_SIZE, PALETTE, TRANSPARENT, new_figure, styled, trace

STEPS = [
    ("an image", "H × W pixels", PALETTE[4]),
    ("X", "N × 1 numbers", PALETTE[2]),
    ("Z = W X + b", "K scores", PALETTE[0]),
    ("σ / softmax", "K probabilities", PALETTE[1]),
    ("a network", "layers of neurons", PALETTE[3]),
]


def lecture_path(steps=STEPS) -> go.Figure:
    """Boxes joined by arrows, left to right: what the lecture builds, in its order."""
    shapes, notes = [], []
    n = len(steps)
    width, gap = 1.0, 0.45
    for i, (name, detail, colour) in enumerate(steps):
        x0 = i * (width + gap)
        shapes.append({"type": "rect", "x0": x0, "x1": x0 + width, "y0": 0, "y1": 1, "line": {"color": colour, "width": 3},
                       "fillcolor": colour, "opacity": 0.25, "layer": "below"})
        notes.append({"x": x0 + width / 2, "y": 0.62, "text": f"<b>{name}</b>", "showarrow": False,
                      "font": {"size": FONT_SIZE + 3}})
        notes.append({"x": x0 + width / 2, "y": 0.3, "text": detail, "showarrow": False, "font": {"size": FONT_SIZE - 1}})
        if i < n - 1:
            notes.append({"x": x0 + width + gap - 0.04, "y": 0.5, "ax": x0 + width + 0.04, "ay": 0.5,
                          "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "text": "", "showarrow": True,
                          "arrowhead": 3, "arrowsize": 1.2, "arrowwidth": 2.5, "arrowcolor": "#888888"})
    fig = new_figure(layout={
        "shapes": shapes, "annotations": notes,
        "xaxis": {"visible": False, "range": [-0.05, n * (width + gap) - gap + 0.05], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-0.05, 1.05], "fixedrange": True}})
    styled(fig, "The lecture in one line: from pixels to a probability", height=200)
    # set after styled() (which sets its own margin), each as one property: update_layout validates path by path
    fig.layout.margin = {"l": 10, "r": 10, "t": 44, "b": 10}
    fig.layout.plot_bgcolor = TRANSPARENT
    fig.layout.dragmode = False
    return fig
