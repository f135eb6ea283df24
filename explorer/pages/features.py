"""Feature engineering vs. learning: HOG, a human-designed feature, next to raw pixels a neuron learns from."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import classify as charts
from explorer.core import classify, hog_features, images, mri
from explorer.ui import layout
from explorer.settings.declare import params_of
from explorer.settings.features import Settings
from explorer.ui.exercises import Exercise, refresh_on_change
from explorer.ui.export import table_downloads
from explorer.ui.url_state import number, open_settings, read, select, slider
from explorer.ui.tables import show_table

P = params_of(Settings)
PAGE = P.page
MAX_SIDE = 256             # larger photos are shrunk to this many pixels on their longer side first
MRI_PER_CLASS, MRI_SIZE = 100, 32   # 100 "Other" slices and 100 heart slices, 32 x 32
REPEATS = 3                # random train / test splits per point of the curve
TRAIN_SIZES = (10, 30, 150)    # training images: few, some, all of the training split
COMPARED_KEY = "_fe_compared"  # session only: the HOG settings the comparison was trained with
LR = 0.01

@st.cache_data(max_entries=16, show_spinner=False)
def load_image(key: str) -> tuple[np.ndarray, tuple[int, int]]:
    """The sample as grey values, shrunk to at most MAX_SIDE pixels a side (HOG stays quick); its original shape."""
    image = images.load_sample(key)
    longest = max(image.shape)
    return (classify.shrink(image, longest / MAX_SIDE) if longest > MAX_SIDE else image), image.shape


@st.cache_data(max_entries=64, show_spinner="Computing the HOG…")
def hog_of(key: str, orientations: int, ppc: int, cpb: int) -> dict:
    image, original = load_image(key)
    lay = hog_features.layout(image.shape, orientations, ppc, cpb)
    reason = hog_features.too_small(image.shape, ppc, cpb)
    if reason:
        return {"image": image, "original": original, "layout": lay, "reason": reason}
    features, picture = hog_features.hog_picture(image, orientations, ppc, cpb)
    return {"image": image, "original": original, "layout": lay, "reason": None, "picture": picture.astype(np.float32),
            "length": int(features.size)}


@st.cache_data(max_entries=4, show_spinner="Drawing the synthetic MRI slices…")
def heart_data(seed: int):
    X, _, labels = mri.make_dataset(MRI_PER_CLASS, MRI_SIZE, seed)
    Xb, y, _ = classify.heart_vs_none(X, labels)
    return classify.to_images(Xb, (MRI_SIZE, MRI_SIZE)), y


@st.cache_data(max_entries=16, show_spinner="Training 2 × 3 × 3 neurons (raw pixels and HOG, three training-set sizes)…")
def comparison(orientations: int, ppc: int, cpb: int, steps: int, seed: int) -> dict:
    """Raw pixels against HOG on heart vs. no heart, for few and for many training images."""
    images_, labels = heart_data(seed)
    reason = hog_features.too_small(images_.shape[1:], ppc, cpb)
    if reason:
        return {"reason": reason}
    return {"reason": None, **hog_features.learning_curve(images_, labels, (orientations, ppc, cpb), TRAIN_SIZES,
                                                          steps=steps, lr=LR, seed=seed, repeats=REPEATS)}


def pct(x: float) -> str:
    return "—" if not np.isfinite(x) else f"{100 * x:.1f}%"


# Figures depend only on the settings: each is built once and shared by every session (read-only),
# except in presenter mode, which enlarges a figure's fonts in place (there they are built afresh).
BUILDERS = {
    "image": lambda key: charts.picture(load_image(key)[0], f"{images.SAMPLES[key].label}: "
                                        f"{load_image(key)[0].shape[0]} × {load_image(key)[0].shape[1]} pixels"),
    "hog": lambda key, o, p, c: charts.picture(hog_of(key, o, p, c)["picture"], f"Its HOG: {o} orientations, "
                                               f"{p} × {p}-pixel cells", hover="line strength", clip=99.5),
    "curves": lambda *settings: charts.learning_curves(
        comparison(*settings)["sizes"], {"raw pixels": comparison(*settings)["raw"],
                                         "HOG": comparison(*settings)["hog"]},
        "Heart vs. no heart: test accuracy of one neuron"),
    "weights": lambda *settings: charts.weight_images(
        [comparison(*settings)["weights"]], [f"heart MRI, {comparison(*settings)['sizes'][-1]} training images"],
        "What the raw-pixel neuron learned: W as an image", height=340, shared=False),
}


@st.cache_resource(max_entries=64, show_spinner=False)
def _shared_figure(name: str, *args):
    return BUILDERS[name](*args)


def figure(name: str, *args):
    return BUILDERS[name](*args) if layout.presenter() else _shared_figure(name, *args)


def image_control():
    """The row of controls: the image here; the HOG sliders' three columns are returned for
    :func:`hog_live` to fill (they rerun only what they change)."""
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([1.3, 1, 1, 1], gap="medium")
        with c1:
            select(P.image, "Image")
    return c2, c3, c4


def hog_sliders(slots) -> Settings:
    """HOG's three design choices, in the columns ``slots``."""
    c2, c3, c4 = slots
    with c2:
        slider(P.orient, "Orientations (histogram bins)",
               help="How many direction bins each cell's histogram has, over 0° to 180°.")
    with c3:
        slider(P.ppc, "Pixels per cell", help="A cell is a square of this many pixels a side.")
    with c4:
        slider(P.cpb, "Cells per block",
               help="A block is a square of this many cells a side; blocks are normalised together "
                    "and slide one cell at a time.")
    return read(Settings)


def image_picture(key: str):
    """The image (left) beside the place of its HOG (right, returned): the HOG sliders do not
    redraw the image."""
    image, original = load_image(key)
    left, right = st.columns(2, gap="medium")
    with left:
        layout.show_figure(figure("image", key), "features-image", key="fe_fig_image")
        shrunk = (f" Shrunk from {original[0]} × {original[1]} pixels so that HOG stays quick."
                  if tuple(original) != image.shape else "")
        st.caption(images.SAMPLES[key].source + "." + shrunk)
    return right


def hog_picture(s: Settings, hog: dict) -> None:
    """The HOG picture (or why there is none)."""
    if hog["reason"]:
        st.warning(f"No HOG for these settings: {hog['reason']}. Make the cells or the blocks smaller.",
                   icon=":material/crop_free:")
    else:
        layout.show_figure(figure("hog", s.image, *s.hog), "features-hog", key="fe_fig_hog")
        st.caption("In every cell, one line per orientation bin, drawn along the edge direction that bin counts; "
                   "the brighter the line, the more gradient strength voted for it (the grey scale is clipped "
                   "at the 99.5th percentile so that weak edges show). This is all the model sees of the image.")


FORMULA = (r"\begin{aligned}n_{\text{cells}} &= \left\lfloor \frac{\text{size}}{\text{pixels per cell}} "
           r"\right\rfloor \quad\text{(per side)} \\ n_{\text{blocks}} &= n_{\text{cells}} - \text{cells per block} + 1"
           r" \quad\text{(per side)} \\ \text{length} &= n_{\text{blocks, row}} \cdot n_{\text{blocks, col}} \cdot "
           r"\text{cells per block}^2 \cdot \text{orientations}\end{aligned}")


def length_frame(key: str):
    """How long is the feature vector: the heading, the pixel count and the formula, which the HOG
    sliders do not change; returns the places of what they do change (two metrics, the table)."""
    image, _ = load_image(key)
    rows_px, cols_px = image.shape
    st.subheader("How long is the feature vector?")
    m1, m2, m3 = st.columns(3)
    m1.metric("Pixels N = H × W", f"{rows_px * cols_px:,}")
    st.latex(FORMULA)
    return m2, m3, st.container()


def length_section(hog: dict, slots) -> None:
    """The HOG length from the formula, what skimage returned, and the formula's steps."""
    m2, m3, table = slots
    lay = hog["layout"]
    m2.metric("HOG feature length", f"{lay.length:,}",
              help="From the formula below; skimage's hog() returns exactly this many numbers.")
    returned = m3.empty()     # written on every run: a fragment keeps its place in an outside column only so
    if hog["reason"] is None:
        returned.metric("Numbers skimage's hog() returned", f"{hog['length']:,}",
                  delta="equals the formula" if hog["length"] == lay.length else "differs from the formula",
                  delta_color="off")
    show_table(pd.DataFrame(hog_features.derivation(lay), columns=["step", "for this image"]), where=table)


def compared_note(s: Settings) -> None:
    """Training 18 neurons takes seconds: a HOG slider moves the pictures at once, and the comparison
    below follows when asked (a link opens with the comparison for its own settings)."""
    if COMPARED_KEY not in st.session_state:
        st.session_state[COMPARED_KEY] = s.hog
    if st.session_state[COMPARED_KEY] == s.hog:
        return
    o, p, c = st.session_state[COMPARED_KEY]
    st.info(f"The comparison below is for the earlier HOG settings ({o} orientations, {p}-pixel cells, "
            f"{c} cells per block). Training the neurons again takes a few seconds.", icon=":material/history:")
    if st.button("Compare with the settings above", key="fe_compare", icon=":material/play_arrow:"):
        st.session_state[COMPARED_KEY] = s.hog
        st.rerun(scope="app")          # the comparison is outside this fragment


def exercise_states(s: Settings) -> tuple[bool, bool, bool]:
    """What the first three exercises check: the face with 8-pixel cells and 2-cell blocks; no HOG
    for a 32 x 32 heart slice; fewer than 100 HOG numbers for it."""
    heart_reason = hog_features.too_small((MRI_SIZE, MRI_SIZE), s.ppc, s.cpb)
    hog_n = 0 if heart_reason else hog_features.layout((MRI_SIZE, MRI_SIZE), *s.hog).length
    return s.image == "face" and s.ppc == 8 and s.cpb == 2, bool(heart_reason), 0 < hog_n < 100


def hog_section() -> Settings:
    """The image, its HOG and the feature vector's length. The image's choice reruns all of it;
    the HOG sliders (:func:`hog_live`) only what they change."""
    sliders = image_control()
    key = read(Settings).image
    right = image_picture(key)
    lengths = length_frame(key)
    note = st.container()
    return hog_live(sliders, right, lengths, note)


@st.fragment
def hog_live(sliders, picture, lengths, note) -> Settings:
    """What the HOG sliders change, written into the places the section made for it (a fragment: a
    slider reruns only this, the image and the formula stay; so does the comparison below, trained
    for the settings it names)."""
    s = hog_sliders(sliders)
    hog = hog_of(s.image, *s.hog)
    with picture:
        hog_picture(s, hog)
    length_section(hog, lengths)
    with note.empty().container():    # (written even when there is no note: see length_section)
        compared_note(s)
    refresh_on_change(PAGE, "checks", exercise_states(s))
    return s


@st.fragment
def comparison_section() -> int:
    """The raw-vs-HOG comparison for the HOG settings it was asked for: its seed and steps rerun only
    this section (the HOG pictures above do not change with them). Returns the seed."""
    st.subheader("Designed features vs. raw pixels: few images or many")
    seed_col, steps_col, _ = st.columns([1, 1, 2])
    with seed_col:
        number(P.seed, "Seed (data, splits, first weights)", step=1)
    with steps_col:
        select(P.steps, "Adam steps")
    s = read(Settings)
    if not layout.presenter():
        st.markdown(
            "The same neuron, **a = σ(W X + b)**, learns *heart vs. no heart* on synthetic MRI slices (32 × 32: "
            f"{MRI_PER_CLASS} *Other* slices against {MRI_PER_CLASS} heart slices), once with X the pixels, once the "
            f"HOG vector with the settings above, from {', '.join(map(str, TRAIN_SIZES[:-1]))} and all the training "
            f"images. Features standardised on the training images; Adam (learning rate {LR}, minibatches of "
            f"{classify.BATCH}); every point is the mean test accuracy over {REPEATS} random train / test splits "
            "(75% / 25%).")
    comparison_results(st.session_state.get(COMPARED_KEY, s.hog), s.steps, s.seed)
    if not layout.presenter():
        st.caption("The MRI slices are synthetic cartoons drawn by the app (explorer/core/mri.py), not patient images. "
                   "Change the seed to see how much of a difference is chance. The lecture's argument against hand-made "
                   "features is about scale (thousands of classes, each needing its own insight, and data enough to "
                   "learn the features instead), which no two-class comparison can show.")
    refresh_on_change(PAGE, "seed", s.seed != P.seed.default)
    return s.seed


def comparison_results(hog: tuple[int, int, int], steps: int, seed: int) -> None:
    """The learning curves, the raw-pixel neuron's W and the table, for the HOG settings ``hog``
    (orientations, pixels per cell, cells per block), ``steps`` Adam steps and ``seed``."""
    settings = (*hog, steps, seed)          # the key of the cached training and its figures
    result = comparison(*settings)
    if result["reason"]:
        st.warning(f"No HOG of the 32 × 32 heart slices with these settings: {result['reason']}. Make the cells "
                   "or the blocks smaller to compare.", icon=":material/crop_free:")
    else:
        sizes = result["sizes"]
        one = 100 / result["n_test"]
        gaps = [100 * (h - r) for r, h in zip(result["raw"], result["hog"])]
        table = pd.DataFrame({
            "training images": sizes, "test images": [result["n_test"]] * len(sizes),
            "inputs N, raw pixels": [result["N_raw"]] * len(sizes), "inputs N, HOG": [result["N_hog"]] * len(sizes),
            "test accuracy %, raw pixels": [round(100 * v, 1) for v in result["raw"]],
            "test accuracy %, HOG": [round(100 * v, 1) for v in result["hog"]],
            "HOG − raw (points)": [round(g, 1) for g in gaps]})
        few, many = gaps[0], gaps[-1]

        def lead(gap: float) -> str:
            if abs(gap) < one:
                return f"the two are within one test image ({one:.1f} points)"
            return f"{'HOG' if gap > 0 else 'raw pixels'} is ahead by {abs(gap):.1f} points"
        takeaway = (f"**With {sizes[0]} training images, {lead(few)}; with {sizes[-1]}, {lead(many)}.**")
        if few >= 2 * one and many < few / 2:
            takeaway += (" The designed feature carries knowledge the neuron would otherwise have to learn from "
                         "data: it helps most when data is scarce, and its lead melts as the data grows.")
        st.markdown(takeaway)
        t1, t2 = st.columns([1.25, 1], gap="medium")
        with t1:
            layout.show_figure(figure("curves", *settings), "features-learning-curves", share=0.55)
        with t2:
            layout.show_figure(figure("weights", *settings), "features-weights", share=0.45)
            st.caption("W holds one number per pixel, so it can be shown as an image: the template the neuron "
                       "compares every (standardised) slice with. Blue w > 0 pushes towards *heart*, red w < 0 away.")
        show_table(table)
        table_downloads(table, "features-raw-vs-hog")


# ---------------------------------------------------------------------------------------------
open_settings(Settings)
layout.page_header(
    "Feature engineering vs. learning",
    "Before deep learning, people **designed** features: the histogram of oriented gradients (HOG) cuts "
    "an image into cells and counts edge directions in each. A model then works on that feature vector "
    "instead of the pixels. Here you see HOG, and then measure one neuron (logistic regression) "
    "trained on raw pixels against the same neuron trained on HOG.",
    "change the cell size and the number of orientations and watch the picture and the length of the "
    "feature vector; then compare the accuracies below.",
    "every design choice (cell, block, bins) is a human decision baked into the features; the "
    "raw-pixel neuron has to learn its own template, and which one wins depends on the data.",
)


def body() -> None:
    """Everything below the header (one fragment: a click reruns this, not the sidebar)."""
    s = hog_section()
    seed = comparison_section()
    face_window, no_heart_hog, short_hog = exercise_states(s)
    layout.show_exercises(PAGE, [
        Exercise("Pick the face (LFW) image with 8 pixels per cell and 2 cells per block. Predict the HOG length first.",
                 "25 × 25 pixels hold ⌊25 / 8⌋ = 3 cells a side, so 3 − 2 + 1 = 2 block positions a side; each block "
                 "holds 2² × 9 = 36 numbers: 2 × 2 × 36 = **144** (the last pixel row and column fall outside the "
                 "cells and are ignored).",
                 check=lambda: face_window),
        Exercise("Make the cells so big that a 32 × 32 heart slice has no complete block. What happens to the "
                 "comparison?",
                 "With 17 or more pixels per cell and 2 cells per block, a block needs 34 × 34 pixels, more than the "
                 "slice has: the feature vector would be empty, so the neuron cannot be trained on HOG. A designed "
                 "feature must suit the images it is used on.",
                 check=lambda: no_heart_hog,
                 done="Yes: the page says why there is no HOG to compare."),
        Exercise("Find HOG settings with fewer than 100 numbers for the 32 × 32 heart slices. How does the test "
                 "accuracy change?",
                 "E.g. 1 cell per block with 8-pixel cells and 4 orientations: 4 × 4 × 1 × 4 = 64 numbers. The neuron "
                 "then sees too little of the image: heart vs no heart drops well below the raw-pixel neuron. "
                 "Compressing by design throws information away.",
                 check=lambda: short_hog),
        Exercise("Change the seed a few times. Does HOG stay ahead with few training images?",
                 "The means over three splits move by a few points with the seed; differences smaller than that are "
                 "chance. Judge features on more data, or on several splits, as here.",
                 check=lambda: seed != P.seed.default),
    ])


layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
