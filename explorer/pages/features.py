"""Feature engineering vs. learning: HOG, a human-designed feature, next to raw pixels a neuron learns from."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import classify as charts
from explorer.core import classify, hog_features, images, mri
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.export import table_downloads
from explorer.ui.url_state import Param, number, sanitize, select, show_notes, slider

PAGE = "features"
IMAGE_KEYS = ("cat", "camera", "face", "mr_small", "syn_ch4", "syn_sax", "syn_ch2", "syn_ch3", "syn_other", "chest")
MAX_SIDE = 256             # larger photos are shrunk to this many pixels on their longer side first
MRI_PER_CLASS, MRI_SIZE = 100, 32   # 100 "Other" slices and 100 heart slices, 32 x 32
REPEATS = 3                # random train / test splits per point of the curve
TRAIN_SIZES = (10, 30, 150)    # training images: few, some, all of the training split
COMPARED_KEY = "_fe_compared"  # session only: the HOG settings the comparison was trained with
LR = 0.01

P = {
    "fe_image": Param.choice("fe_image", "cat", {k: images.SAMPLES[k].label for k in IMAGE_KEYS}),
    "fe_orient": Param("fe_orient", 9, "int", 1, 18),
    "fe_ppc": Param("fe_ppc", 8, "int", 4, 32),
    "fe_cpb": Param("fe_cpb", 2, "int", 1, 4),
    "fe_steps": Param.choice("fe_steps", 300, {100: "100", 300: "300", 1000: "1000"}),
    "fe_seed": Param("fe_seed", 0, "int", 0, 999_999),
}


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


# ---------------------------------------------------------------------------------------------
sanitize(list(P.values()), PAGE)
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
show_notes(PAGE)

with st.container(border=True):
    c1, c2, c3, c4 = st.columns([1.3, 1, 1, 1], gap="medium")
    with c1:
        key = select(P["fe_image"], "Image")
    with c2:
        orientations = int(slider(P["fe_orient"], "Orientations (histogram bins)",
                                  help="How many direction bins each cell's histogram has, over 0° to 180°."))
    with c3:
        ppc = int(slider(P["fe_ppc"], "Pixels per cell", help="A cell is a square of this many pixels a side."))
    with c4:
        cpb = int(slider(P["fe_cpb"], "Cells per block",
                         help="A block is a square of this many cells a side; blocks are normalised together "
                              "and slide one cell at a time."))

hog = hog_of(key, orientations, ppc, cpb)
image, lay = hog["image"], hog["layout"]
rows_px, cols_px = image.shape
left, right = st.columns(2, gap="medium")
with left:
    layout.show_figure(figure("image", key), "features-image")
    shrunk = (f" Shrunk from {hog['original'][0]} × {hog['original'][1]} pixels so that HOG stays quick."
              if tuple(hog["original"]) != image.shape else "")
    st.caption(images.SAMPLES[key].source + "." + shrunk)
with right:
    if hog["reason"]:
        st.warning(f"No HOG for these settings: {hog['reason']}. Make the cells or the blocks smaller.",
                   icon=":material/crop_free:")
    else:
        layout.show_figure(figure("hog", key, orientations, ppc, cpb), "features-hog")
        st.caption("In every cell, one line per orientation bin, drawn along the edge direction that bin counts; "
                   "the brighter the line, the more gradient strength voted for it (the grey scale is clipped "
                   "at the 99.5th percentile so that weak edges show). This is all the model sees of the image.")

st.subheader("How long is the feature vector?")
m1, m2, m3 = st.columns(3)
m1.metric("Pixels N = H × W", f"{rows_px * cols_px:,}")
m2.metric("HOG feature length", f"{lay.length:,}",
          help="From the formula below; skimage's hog() returns exactly this many numbers.")
if hog["reason"] is None:
    m3.metric("Numbers skimage's hog() returned", f"{hog['length']:,}",
              delta="equals the formula" if hog["length"] == lay.length else "differs from the formula",
              delta_color="off")
st.latex(r"\begin{aligned}n_{\text{cells}} &= \left\lfloor \frac{\text{size}}{\text{pixels per cell}} "
         r"\right\rfloor \quad\text{(per side)} \\ n_{\text{blocks}} &= n_{\text{cells}} - \text{cells per block} + 1"
         r" \quad\text{(per side)} \\ \text{length} &= n_{\text{blocks, row}} \cdot n_{\text{blocks, col}} \cdot "
         r"\text{cells per block}^2 \cdot \text{orientations}\end{aligned}")
st.dataframe(pd.DataFrame(hog_features.derivation(lay), columns=["step", "for this image"]),
             hide_index=True, width="stretch")


@st.fragment
def comparison_section(orientations: int, ppc: int, cpb: int) -> tuple[int, dict]:
    """The raw-vs-HOG comparison: its seed and steps rerun only this section (the HOG pictures above
    do not change with them)."""
    st.subheader("Designed features vs. raw pixels: few images or many")
    seed_col, steps_col, _ = st.columns([1, 1, 2])
    with seed_col:
        seed = int(number(P["fe_seed"], "Seed (data, splits, first weights)", step=1))
    with steps_col:
        steps = int(select(P["fe_steps"], "Adam steps"))
    if not layout.presenter():
        st.markdown(
            "The same neuron, **a = σ(W X + b)**, learns *heart vs. no heart* on synthetic MRI slices (32 × 32: "
            f"{MRI_PER_CLASS} *Other* slices against {MRI_PER_CLASS} heart slices), once with X the pixels, once the "
            f"HOG vector with the settings above, from {', '.join(map(str, TRAIN_SIZES[:-1]))} and all the training "
            f"images. Features standardised on the training images; Adam (learning rate {LR}, minibatches of "
            f"{classify.BATCH}); every point is the mean test accuracy over {REPEATS} random train / test splits "
            "(75% / 25%).")
    # Training 18 neurons takes seconds: a HOG slider moves the pictures above at once, and the
    # comparison follows when asked (a link opens with the comparison for its own settings).
    current = (orientations, ppc, cpb)
    if COMPARED_KEY not in st.session_state:
        st.session_state[COMPARED_KEY] = current
    if st.session_state[COMPARED_KEY] != current:
        o, p, c = st.session_state[COMPARED_KEY]
        st.info(f"The comparison below is for the earlier HOG settings ({o} orientations, {p}-pixel cells, "
                f"{c} cells per block). Training the neurons again takes a few seconds.",
                icon=":material/history:")
        st.button("Compare with the settings above", key="fe_compare", icon=":material/play_arrow:",
                  on_click=st.session_state.__setitem__, args=(COMPARED_KEY, current))
    settings = (*st.session_state[COMPARED_KEY], steps, seed)
    result = comparison(*settings)
    if result["reason"]:
        st.warning(f"No HOG of the 32 × 32 heart slices with these settings: {result['reason']}. Make the cells "
                   "or the blocks smaller to compare.", icon=":material/crop_free:")
        gaps = []
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
        st.dataframe(table, hide_index=True, width="stretch")
        table_downloads(table, "features-raw-vs-hog")
    if not layout.presenter():
        st.caption("The MRI slices are synthetic cartoons drawn by the app (explorer/core/mri.py), not patient images. "
                   "Change the seed to see how much of a difference is chance. The lecture's argument against hand-made "
                   "features is about scale (thousands of classes, each needing its own insight, and data enough to "
                   "learn the features instead), which no two-class comparison can show.")
    return seed, result


seed, result = comparison_section(orientations, ppc, cpb)
heart_reason = hog_features.too_small((MRI_SIZE, MRI_SIZE), ppc, cpb)
hog_n = 0 if heart_reason else hog_features.layout((MRI_SIZE, MRI_SIZE), orientations, ppc, cpb).length
layout.finish_page(PAGE, P.values(), [
    Exercise("Pick the face (LFW) image with 8 pixels per cell and 2 cells per block. Predict the HOG length first.",
             "25 × 25 pixels hold ⌊25 / 8⌋ = 3 cells a side, so 3 − 2 + 1 = 2 block positions a side; each block "
             "holds 2² × 9 = 36 numbers: 2 × 2 × 36 = **144** (the last pixel row and column fall outside the "
             "cells and are ignored).",
             check=lambda: key == "face" and ppc == 8 and cpb == 2),
    Exercise("Make the cells so big that a 32 × 32 heart slice has no complete block. What happens to the "
             "comparison?",
             "With 17 or more pixels per cell and 2 cells per block, a block needs 34 × 34 pixels, more than the "
             "slice has: the feature vector would be empty, so the neuron cannot be trained on HOG. A designed "
             "feature must suit the images it is used on.",
             check=lambda: bool(heart_reason),
             done="Yes: the page says why there is no HOG to compare."),
    Exercise("Find HOG settings with fewer than 100 numbers for the 32 × 32 heart slices. How does the test "
             "accuracy change?",
             "E.g. 1 cell per block with 8-pixel cells and 4 orientations: 4 × 4 × 1 × 4 = 64 numbers. The neuron "
             "then sees too little of the image: heart vs no heart drops well below the raw-pixel neuron. "
             "Compressing by design throws information away.",
             check=lambda: 0 < hog_n < 100),
    Exercise("Change the seed a few times. Does HOG stay ahead with few training images?",
             "The means over three splits move by a few points with the seed; differences smaller than that are "
             "chance. Judge features on more data, or on several splits, as here.",
             check=lambda: seed != P["fe_seed"].default),
])
