"""Linear map and batches: Z = W X + b for one image and for a batch, shapes first, then the numbers.

Settings: :mod:`explorer.settings.linear_map`, read into one frozen ``Settings`` for the sections.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.charts import linear_map as charts
from explorer.charts.style import SEQUENTIAL
from explorer.core import mri
from explorer.core.architecture import format_bytes
from explorer.core.linear_map import affine_parts, example, shapes
from explorer.navigation import PAGES
from explorer.ui import layout
from explorer.ui.controls import input_size
from explorer.ui.exercises import Exercise
from explorer.settings.declare import params_of
from explorer.settings.linear_map import Settings
from explorer.ui.url_state import number, open_settings, read, slider
from explorer.ui.tables import show_table

PAGE = "linear_map"
CARDIAC_VIEWS = list(mri.CLASSES)
SHOW_NUMBERS = {"N": 8, "K": 5, "B": 8}     # print every number up to these sizes

PRESETS = {      # button: its label and the settings (by field) it sets
    "one": ("Heart? · one image", {"K": 1, "B": 1}),
    "batch": ("Heart? · B = 8 images", {"K": 1, "B": 8}),
    "views": ("5 cardiac views · B = 8", {"K": 5, "B": 8}),
}


def apply_preset(name: str) -> None:
    P = params_of(Settings)
    for field, value in PRESETS[name][1].items():
        st.session_state[getattr(P, field).key] = value


def class_names(K: int) -> list[str]:
    if K == 5:
        return [f"{k} {name}" for k, name in enumerate(CARDIAC_VIEWS)]
    if K == 1:
        return ["0 heart?"]
    return [f"class {k}" for k in range(K)]


@st.cache_data(max_entries=64, show_spinner=False)
def small_example(N: int, K: int, B: int, seed: int):
    W, X, b = example(N, K, B, seed)
    parts = affine_parts(W, X, b)
    return W, X, b, parts.WX, parts.b_broadcast, parts.Z


@st.cache_resource(max_entries=64, show_spinner=False)
def number_figures(N: int, K: int, B: int, seed: int):
    """The two figures of every number, built once per setting and shared (read-only: presenter mode
    enlarges a copy)."""
    W, X, b, WX, b_wide, Z = small_example(N, K, B, seed)
    rows = CARDIAC_VIEWS if K == 5 else [str(k) for k in range(K)]
    row_title = "view k" if K == 5 else "class k"
    pixels, images = [str(n) for n in range(N)], [str(j) for j in range(B)]
    inputs = charts.number_panels(
        [charts.Panel("W", W, rows, pixels, row_title, "pixel n"),
         charts.Panel("X", X, pixels, images, "pixel n", "image j", SEQUENTIAL),
         charts.Panel("b", b, rows, [""], row_title, "")],
        ["·", "+"], "Step 0: the inputs W (K × N), X (N × B) and b (K × 1)")
    total = charts.number_panels(
        [charts.Panel("W X", WX, rows, images, row_title, "image j"),
         charts.Panel("b, broadcast", b_wide, rows, ["b"] * B, "", "b and B − 1 copies (faded)", faded_from=1),
         charts.Panel("Z = W X + b", Z, rows, images, "", "image j")],
        ["+", "="], "Steps 1 and 2: the product W X, plus b repeated over the B columns, gives Z")
    return inputs, total


@st.cache_resource(max_entries=64, show_spinner=False)
def blocks_figure(N: int, K: int, B: int):
    return charts.shape_blocks(N, K, B)


def dims(*sizes: int) -> str:
    return " × ".join(f"{s:,}" for s in sizes)


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def compact(n: int) -> str:
    """An exact count, thousands separated, up to 12 digits (999,999,999,999); beyond, 3 significant
    digits × 10^k with the mantissa rounded first (9.995e12 is 1.00 × 10¹³, never 10.00 × 10¹²)."""
    n = int(n)
    if abs(n) < 10**12:
        return f"{n:,}"
    mantissa, exponent = f"{n:.2e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def tex_int(n: int) -> str:
    return f"{n:,}".replace(",", "{,}")


def entry_latex(W, X, b, Z, k: int = 0, j: int = 0) -> str:
    """Z[k, j] written out: row k of W times column j of X, plus b_k."""
    terms = " + ".join(f"({W[k, n]})({X[n, j]})" for n in range(W.shape[1]))
    return (rf"Z_{{{k},{j}}} = \sum_{{n=0}}^{{N-1}} W_{{{k},n}} X_{{n,{j}}} + b_{{{k}}} = "
            rf"{terms} + ({b[k, 0]}) = {Z[k, j]}")


def link_to_broadcasting() -> None:
    """A link to the Broadcasting page, when the app has one (not when this page runs alone)."""
    page = next((info for info in PAGES if info.module == "broadcasting"), None)
    if page is None:
        return
    try:
        st.page_link(str(page.path), label=f"{page.title}: the rule, step by step", icon=page.icon)
    except Exception:  # noqa: BLE001 - this page runs outside the app's navigation (a test, a single-page run)
        pass


# -- sections ----------------------------------------------------------------------------
def header() -> None:
    layout.page_header(
        "Linear map and batches: Z = W X + b",
        "The lecture's first mapping, **z = W X + b**: an image of N = H × W pixels is one column X "
        "(N × 1); a *batch* puts B images side by side (N × B). With K outputs, W is K × N (one row per "
        "class), b is K × 1 and Z is K × B: one column of scores per image.",
        "press the three buttons in turn: one image for the heart question (K = 1, B = 1), the slide's "
        "batch of B = 8, then the K = 5 cardiac views; then switch to an image of H × W pixels.",
        "the inner sizes must match (W has N columns, X has N rows); the batch size B changes X and Z "
        "but never W or b, so the parameters K·N + K do not depend on B; and the one column of b is "
        "repeated over the B columns (broadcasting).",
    )


def size_controls(P) -> None:
    """The presets, N (or H × W), K, B and the seed."""
    for name, (label, _) in PRESETS.items():
        st.button(label, key=f"lm_preset_{name}", on_click=apply_preset, args=(name,), width="stretch")
    input_size(P.input, P.N, P.H, P.W, "N, inputs (pixels) per image")
    slider(P.K, "K, outputs (classes)")
    number(P.B, "B, images in the batch", step=1)
    number(P.seed, "seed (for the example numbers)", step=1)


def shapes_section(s: Settings) -> None:
    """Z = W X + b with every shape, the counts, and the broadcast of b in words."""
    N, K, B = s.n_inputs, s.K, s.B
    sh = shapes(N, K, B)
    st.latex(rf"\large \underbrace{{Z}}_{{{tex_int(K)} \times {tex_int(B)}}} = "
             rf"\underbrace{{W}}_{{{tex_int(K)} \times \color{{#D55E00}}{{{tex_int(N)}}}}}\;"
             rf"\underbrace{{X}}_{{\color{{#D55E00}}{{{tex_int(N)}}} \times {tex_int(B)}}} + "
             rf"\underbrace{{b}}_{{{tex_int(K)} \times 1}}")
    m1, m2, m3 = st.columns(3)
    m1.metric("Z (scores)", dims(*sh.Z), help="K × B: one column of K scores per image.")
    m2.metric("Parameters", compact(sh.n_params),
              help=f"K·N + K = {sh.n_params:,} numbers in W and b. B does not appear.")
    m3.metric("Multiplications", compact(sh.multiply_adds),
              help=f"K · N · B = {sh.multiply_adds:,}: each of the K·B entries of W X is a sum of N products.")
    table = pd.DataFrame({
        "": ["X (images)", "Z (scores)", "W, b (parameters)", "multiplications in W X"],
        "one image": [dims(N, 1), dims(K, 1), f"{sh.n_params:,}", f"{K * N:,}"],
        f"batch of B = {B:,}": [dims(*sh.X), dims(*sh.Z), f"{sh.n_params:,}", f"{sh.multiply_adds:,}"],
    })
    show_table(table)
    views = f" (rows: {', '.join(mri.CLASSES)})" if K == 5 else (" (the heart question: one score)" if K == 1 else "")
    st.caption(f"Row k of W holds the weights W_k of class k{views}; column j of X is image j. "
               "The slides' batch has B = 8 images.")
    st.markdown(
        f"**Broadcasting.** W X is {dims(K, B)} but b is {dims(K, 1)}. numpy *repeats* the single column "
        f"of b over the {B:,} columns (a dimension of size 1 is stretched to match), so the same b_k is added "
        "to every column: to every image of the batch. This is the rule of the *Broadcasting* page: "
        f"{dims(K, 1)} with {dims(K, B)} gives {dims(K, B)}.")
    link_to_broadcasting()


def small_enough(s: Settings) -> bool:
    return s.n_inputs <= SHOW_NUMBERS["N"] and s.K <= SHOW_NUMBERS["K"] and s.B <= SHOW_NUMBERS["B"]


def hidden_numbers(s: Settings) -> None:
    """Why the numbers are not printed (too many), and whether the arrays could even be built."""
    N, K, B = s.n_inputs, s.K, s.B
    over = ", ".join(f"{name} = {value:,} (more than {SHOW_NUMBERS[name]})"
                     for name, value in (("N", N), ("K", K), ("B", B)) if value > SHOW_NUMBERS[name])
    why = (f"The numbers are hidden because {over}: W X alone would print {K * B:,} sums of {N:,} products, "
           f"and X {N * B:,} values, too many to read on a screen. The shapes above are exact. "
           f"Choose N ≤ {SHOW_NUMBERS['N']}, K ≤ {SHOW_NUMBERS['K']} and B ≤ {SHOW_NUMBERS['B']} "
           "to see every number.")
    sh = shapes(N, K, B)
    if sh.too_large():
        why += (f" These sizes would not even be built here: W, X, b and Z together hold {sh.n_numbers:,} "
                f"numbers, {format_bytes(sh.nbytes())} as float32.")
    st.info(why, icon=":material/visibility_off:")


def numbers_section(s: Settings) -> None:
    """Every number of a small seeded example: W, X, b; then W X, b repeated, Z; one entry written out."""
    N, K, B = s.n_inputs, s.K, s.B
    W, X, b, WX, b_wide, Z = small_example(N, K, B, s.seed)
    st.caption("Small seeded integers, easy to check by hand: W in −3..3, X in 0..9 (like pixel values), "
               "b in −5..5. Colours: red < 0 < blue (X: viridis); the printed value is what counts.")
    # on a phone the matrices keep a readable size and scroll sideways inside their own box
    with layout.wide_box("lm_numbers", min_width=680):
        inputs, total = number_figures(N, K, B, s.seed)
        layout.show_figure(inputs, "linear-map-inputs", share=1.0)
        layout.show_figure(total, "linear-map-sum", share=1.0)
    st.markdown("One entry, written out: row 0 of W times column 0 of X, plus b₀")
    st.latex(entry_latex(W, X, b, Z))


def exercises(s: Settings) -> list[Exercise]:
    return [
        Exercise("Predict the shape of Z for the five cardiac views and a batch of 8 before you set it.",
                 "W is K × N = 5 × N, X is N × B = N × 8, so Z = W X + b is **5 × 8**: one column of five "
                 "scores per image.",
                 check=lambda: s.K == 5 and s.B == 8),
        Exercise("How many parameters does the heart question (K = 1) have for a 34 × 10 image?",
                 "N = 340, so W has 340 weights and b one bias: K·N + K = **341**, whatever the batch size.",
                 check=lambda: s.n_inputs == 340 and s.K == 1),
        Exercise("Set B = 1. What happens to the broadcast of b?",
                 "Nothing needs stretching: b (K × 1) already has the shape of W X (K × 1). Broadcasting only "
                 "repeats b when B > 1.",
                 check=lambda: s.B == 1),
    ]


# ---------------------------------------------------------------------------------------
def body() -> None:
    """Everything below the title: the sizes, their shapes and counts, the numbers, the exercises."""
    controls, main = st.columns([1, 2.4], gap="large")
    with controls, st.container(border=True):
        size_controls(P)
    s = read(Settings)
    with main:
        shapes_section(s)
    with layout.wide_box("lm_shapes", min_width=720):   # on a phone: readable, scrolled inside its box
        layout.show_figure(blocks_figure(s.n_inputs, s.K, s.B), "linear-map-shapes", share=1.0)
    st.subheader("The numbers")
    if small_enough(s):
        numbers_section(s)
    else:
        hidden_numbers(s)
    layout.show_exercises(PAGE, exercises(s))


P = open_settings(Settings)
header()
layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
