"""Broadcasting: type two or three shapes, see them aligned from the right, get numpy's result.

Settings: :mod:`explorer.settings.broadcasting`, read into one frozen ``Settings``; the typed shapes,
parsed, travel as one ``Shapes`` to the sections.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import broadcasting as charts
from explorer.core.broadcasting import (
    INCOMPATIBLE,
    MAX_EXAMPLE,
    MAX_TEXT,
    MISSING,
    STRETCHED,
    ShapeError,
    broadcast_example,
    explain_broadcast,
    format_shape,
    parse_shape,
)
from explorer.settings.broadcasting import Settings
from explorer.settings.declare import params_of
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.safe_text import escape_markdown
from explorer.ui.url_state import open_settings, radio, read
from explorer.ui.url_state import text as text_input
from explorer.ui.tables import show_table

PAGE = "broadcasting"


INPUTS = {  # field: (name, label)
    "a": ("A", "Shape of A"),
    "b": ("B", "Shape of B"),
    "c": ("C", "Shape of C (optional: leave empty)"),
}

PRESETS = {  # key: (button, shapes, what it shows)
    "slide": ("Slide: 8×1×6×1 and 7×1×5", ("8x1x6x1", "7x1x5", ""),
              "The slide's example (from numpy's documentation): a 4-D and a 3-D array give an "
              "**8 × 7 × 6 × 5** result. Every 1 is stretched, and B's missing first dimension counts as 1."),
    "bias1": ("Bias of one unit: 1×B + 1×1", ("1x8", "1x1", ""),
              "The lecture's **Z = W X + b** with one unit: **Z** is 1 × B (here B = 8 samples) and **b** "
              "is 1 × 1. Broadcasting adds the same b to every entry of Z."),
    "biasK": ("Bias of K units: K×B + K×1", ("5x8", "5x1", ""),
              "A layer of K = 5 units on B = 8 samples: **Z = W X** is K × B and **b** is K × 1, so "
              "unit k's bias b_k is added to row k, for every sample (column)."),
    "fail": ("Fails: bias as a row, K×B + 1×K", ("5x8", "1x5", ""),
             "A common mistake: writing the bias as a row (1 × K) instead of a column (K × 1). "
             "The trailing dimensions are B = 8 and K = 5: they differ and neither is 1."),
    "three": ("Three shapes: K×1 + 1×B + scalar", ("5x1", "1x8", "()"),
              "Three inputs broadcast together, one dimension at a time: a column, a row and a scalar "
              "(shape (), no dimensions at all) give a 5 × 8 grid."),
}


def apply_preset(name: str) -> None:
    P = params_of(Settings)
    for field, text in zip(INPUTS, PRESETS[name][1]):
        st.session_state[getattr(P, field).key] = text


@dataclass(frozen=True)
class Shapes:
    """The typed shapes, parsed: None where a text cannot be read (or C is left empty)."""

    a: tuple | None
    b: tuple | None
    c: tuple | None
    c_bad: bool          # C was typed but cannot be read: left out

    @property
    def typed(self) -> list[tuple]:
        return [v for v in (self.a, self.b, self.c) if v is not None]

    @property
    def names(self) -> list[str]:
        return ["A", "B"] + (["C"] if self.c is not None else [])

    @property
    def shapes(self) -> tuple:
        return (self.a, self.b) + ((self.c,) if self.c is not None else ())


def parse_or_none(text: str) -> tuple | None:
    try:
        return parse_shape(text)
    except ShapeError:
        return None


def shapes_of(s: Settings) -> Shapes:
    c = parse_or_none(s.c) if s.c.strip() else None
    return Shapes(parse_or_none(s.a), parse_or_none(s.b), c, c is None and s.c.strip() != "")


def shape_input(P, field: str) -> None:
    """The text input for one shape, with what it reads as (or why it cannot be read) under it."""
    name, label = INPUTS[field]
    text = text_input(getattr(P, field), label, placeholder="e.g. 8x1x6x1, (7, 1, 5) or () for a scalar")
    if field == "c" and not text.strip():
        return
    try:
        shape = parse_shape(text)
    except ShapeError as err:
        st.error(f"{name} cannot be read: {escape_markdown(err)}", icon=":material/error:")
        return
    st.caption(f"{name} is {len(shape)}-D: shape {shape}")


@st.cache_data(max_entries=256, show_spinner=False)
def explain(shapes: tuple):
    return explain_broadcast(*shapes)


@st.cache_resource(max_entries=64, show_spinner=False)
def alignment_figure(shapes: tuple, names: tuple):
    """The aligned shapes as a figure, built once per setting and shared (read-only: presenter mode
    enlarges a copy)."""
    return charts.alignment(explain(shapes), list(names))


@st.cache_data(max_entries=256, show_spinner=False)
def numpy_answer(shapes: tuple) -> tuple[bool, str]:
    """numpy's own answer, computed live: (succeeded, text)."""
    try:
        return True, str(np.broadcast_shapes(*shapes))
    except ValueError as err:
        return False, str(err).split("\n")[0].rstrip(".")


def describe_step(step, names) -> str:
    if not step.ok:
        present = [f"{names[i]} has {s:,}" for i, s in enumerate(step.sizes) if s is not None and s != 1]
        none = "neither" if len(present) == 2 else "none"
        return "✗ " + ", ".join(present) + f": they differ and {none} is 1 → error"
    parts = []
    for name, status in zip(names, step.statuses):
        if status == STRETCHED:
            parts.append(f"{name}'s 1 is repeated {step.result:,} times")
        elif status == MISSING:
            parts.append(f"{name} has no such dimension: counts as 1"
                         + (f", repeated {step.result:,} times" if step.result != 1 else ""))
    return "; ".join(parts) if parts else "all equal: nothing to do"


def steps_table(explanation, names) -> pd.DataFrame:
    rows = []
    for n, step in enumerate(explanation.steps, start=1):
        row = {"step": n, "dimension (from the right)": step.axis_from_right}
        for name, size, status in zip(names, step.sizes, step.statuses):
            row[name] = "(1)" if size is None else (f"{size:,} ✗" if status == INCOMPATIBLE else f"{size:,}")
        row["result"] = f"{step.result:,}" if step.ok else "✗"
        row["what happens"] = describe_step(step, names)
        rows.append(row)
    return pd.DataFrame(rows)


def show_example(shapes, names) -> None:
    """The concrete arrays a, b, their stretched copies and a + b, when small enough."""
    ex = broadcast_example(*shapes)
    (sa, sb), (na, nb) = shapes, names
    if ex is None:
        size = math.prod(explain(tuple(shapes)).result)
        st.info(f"{na} + {nb} has {size:,} elements; the values are listed only up to {MAX_EXAMPLE} "
                "elements. Try the bias presets.", icon=":material/grid_on:")
        return
    st.markdown(f"With **{na.lower()} = arange** (0, 1, 2, ...) in the shape of {na} and **{nb.lower()} = "
                f"10 · arange** in the shape of {nb}, numpy computes {na.lower()} + {nb.lower()} as if both "
                "were first repeated to the result's shape (numpy does this without copying memory).")
    result = ex.total.shape
    if ex.total.size == 0:
        st.caption(f"The result has shape {format_shape(result)}: a size-0 dimension, so no values at all.")
        return
    rows, cols = ((1,) * (2 - ex.total.ndim) + ex.total.shape)[-2:] if ex.total.ndim <= 2 else (0, 0)
    if ex.total.ndim <= 2 and rows <= 12 and cols <= 16:   # small enough to write as matrices
        la, lb = na.lower(), nb.lower()
        st.latex(rf"{la} = {charts.matrix_latex(ex.a)}\quad({format_shape(sa)}),"
                 rf"\qquad {lb} = {charts.matrix_latex(ex.b)}\quad({format_shape(sb)})")
        st.latex(rf"\begin{{aligned}} {la} + {lb} &= "
                 rf"{charts.matrix_latex(ex.a_stretched, charts.copies_mask(sa, result))}"
                 rf" + {charts.matrix_latex(ex.b_stretched, charts.copies_mask(sb, result))} \\[6pt]"
                 rf" &= {charts.matrix_latex(ex.total)} \end{{aligned}}")
        st.caption("Grey numbers are repeats of a value that was there once: the stretched copies. "
                   f"Result shape: {format_shape(result)}.")
    else:
        c1, c2, c3 = st.columns(3)
        c1.markdown(f"**{na.lower()}** : {format_shape(sa)}")
        c1.code(np.array2string(ex.a), language=None)
        c2.markdown(f"**{nb.lower()}** : {format_shape(sb)}")
        c2.code(np.array2string(ex.b), language=None)
        c3.markdown(f"**{na.lower()} + {nb.lower()}** : {format_shape(result)}")
        c3.code(np.array2string(ex.total), language=None)


# -- sections ----------------------------------------------------------------------------
def header() -> None:
    layout.page_header(
        "Broadcasting",
        "In **Z = W X + b** the score Z is 1 × B but the bias b is 1 × 1: numpy *broadcasts* b, repeating it "
        "to Z's shape. The rule starts at the trailing (rightmost) dimensions and works left: sizes must be "
        "equal or one of them 1, and a 1 (or a missing dimension) is repeated.",
        "type two shapes (e.g. 8x1x6x1 and 7x1x5) or press a preset; add a third shape; then break it.",
        "shapes are compared from the **right**, so 5 × 8 and 5 × 1 work (the lecture's K × 1 bias) "
        "while 5 × 8 and 1 × 5 fail at the last dimension.",
    )


def inputs(P) -> None:
    """The presets and the three shape inputs."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown("**Presets:**", width="content")
        for name, (label, _, _) in PRESETS.items():
            st.button(label, key=f"bc_preset_{name}", on_click=apply_preset, args=(name,), width="content")
    for col, field in zip(st.columns(3, gap="medium"), INPUTS):
        with col:
            shape_input(P, field)


def preset_story(s: Settings) -> None:
    """What the preset now on the page shows, when the shapes are exactly a preset's."""
    story = next((text for _, shapes, text in PRESETS.values() if shapes == (s.a, s.b, s.c)), None)
    if story:
        st.info(story, icon=":material/school:")


def exercises(sh: Shapes) -> list[Exercise]:
    typed = sh.typed
    return [
        Exercise("Make the slide's example fail by changing a single number.",
                 "Turn a 1 that faces a larger size into another number: e.g. B = 7×3×5 against A = 8×1×6×1 "
                 "puts 3 against 6 in dimension −2; they differ and neither is 1.",
                 check=lambda: len(typed) >= 2 and not explain(tuple(typed)).ok),
        Exercise("Z = W X is 5 × 8 (K = 5 units, B = 8 samples). Type a bias shape that adds one number per unit.",
                 "**5×1**: a column, stretched over the 8 samples. 1×8 would also broadcast, but it adds one number "
                 "per *sample*, not per unit; 1×5 fails.",
                 check=lambda: (5, 8) in typed and (5, 1) in typed),
        Exercise("What does a scalar, shape (), broadcast with 3×4 to?",
                 "**3 × 4**: a shape with no dimensions counts as all 1s, so it stretches to anything.",
                 check=lambda: () in typed and (3, 4) in typed),
    ]


def verdict(sh: Shapes, explanation) -> None:
    """Broadcast or not, in words, and numpy's own answer beside it."""
    names, shapes = sh.names, sh.shapes
    numpy_ok, numpy_text = numpy_answer(shapes)
    if explanation.ok:
        total = explanation.n_elements
        st.success(f"**{' + '.join(names)} broadcast to {format_shape(explanation.result)}**: numpy shape "
                   f"{explanation.result}, {explanation.ndim}-D, {total:,} element{'' if total == 1 else 's'}.",
                   icon=":material/check_circle:")
    else:
        st.error(f"**{' + '.join(names)} cannot be broadcast.** The first clash, walking from the right, is at "
                 f"{explanation.error}", icon=":material/cancel:")
    agree = (numpy_ok and explanation.ok and not explanation.too_big_for_numpy
             and numpy_text == str(explanation.result)) or (not numpy_ok and not explanation.ok)
    args = ", ".join(str(s) for s in shapes)
    if explanation.too_big_for_numpy:
        st.warning(f"numpy refuses this result although the rule allows it: its sizes multiply to more than "
                   f"2⁶³ − 1 elements, too many to index. numpy says: {numpy_text}", icon=":material/memory:")
    elif agree:
        st.caption(f"✓ Checked live against numpy: `np.broadcast_shapes({args})` → "
                   + (f"`{numpy_text}`" if numpy_ok else f"ValueError: {numpy_text}")
                   + ": numpy agrees with the rule worked out below.")
    else:  # pragma: no cover - the core is tested to agree with numpy
        st.warning(f"numpy says `{numpy_text}`, which differs from the rule above.")


def rule(sh: Shapes, explanation) -> None:
    """The shapes aligned from the right, and the rule applied one dimension at a time."""
    if explanation.ndim == 0:
        st.info("Every input is a scalar (shape ()): there are no dimensions to align, and the result is a "
                "scalar too.", icon=":material/looks_one:")
        return
    names = sh.names
    layout.show_figure(alignment_figure(sh.shapes, tuple(names)), "broadcasting-alignment", key="bc_fig")
    st.markdown("**The rule, one dimension at a time** (from the right, as numpy does it)")
    # a static table: a data grid mounts a canvas and measures its columns at every change of a shape
    show_table(steps_table(explanation, names))

def example(P, sh: Shapes, explanation) -> None:
    """The values of one pair of the shapes (which pair: a radio when there are three)."""
    st.subheader("A concrete example")
    if not explanation.ok:
        st.caption("Nothing to compute: the shapes do not broadcast. Press a preset that works, or fix the "
                   "dimension named above.")
        return
    pair = radio(P.pair, "Show the values of", horizontal=True) if sh.c is not None else "ab"
    i, j = {"ab": (0, 1), "ac": (0, 2), "bc": (1, 2)}[pair]
    show_example((sh.shapes[i], sh.shapes[j]), (sh.names[i], sh.names[j]))


def result(P, sh: Shapes) -> None:
    """Everything below the inputs, once A and B can be read."""
    if sh.c_bad:
        st.caption("C is left out until its shape can be read; A and B are compared on their own.")
    explanation = explain(sh.shapes)
    st.subheader("Result")
    verdict(sh, explanation)
    rule(sh, explanation)
    example(P, sh, explanation)


# ---------------------------------------------------------------------------------------
def body() -> None:
    """Everything below the title: the inputs, the result, the example and the exercises."""
    inputs(P)
    s = read(Settings)
    sh = shapes_of(s)
    preset_story(s)
    if sh.a is None or sh.b is None:
        missing = " and ".join(name for name, shape in (("A", sh.a), ("B", sh.b)) if shape is None)
        st.info(f"Fix the shape of {missing} above (or press a preset) to see how the shapes broadcast.",
                icon=":material/edit:")
    else:
        result(P, sh)
    layout.show_exercises(PAGE, exercises(sh))


P = open_settings(Settings)
header()
layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
