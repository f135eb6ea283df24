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
MRI_PER_CLASS, MRI_SIZE = 60, 32
REPEATS = 5                # random train / test splits per model
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


@st.cache_data(max_entries=1, show_spinner=False)
def faces_data():
    return classify.faces()


@st.cache_data(max_entries=4, show_spinner="Drawing the synthetic MRI slices…")
def heart_data(seed: int):
    X, _, labels = mri.make_dataset(MRI_PER_CLASS, MRI_SIZE, seed)
    Xb, y, _ = classify.heart_vs_none(X, labels)
    return classify.to_images(Xb, (MRI_SIZE, MRI_SIZE)), y


@st.cache_data(max_entries=32, show_spinner="Training 2 × 2 × 5 neurons (raw pixels and HOG, two data sets)…")
def comparison(orientations: int, ppc: int, cpb: int, steps: int, seed: int) -> dict:
    settings = (orientations, ppc, cpb)
    face_images, face_labels = faces_data()
    heart_images, heart_labels = heart_data(seed)
    return {
        "faces": classify.compare_features(face_images, face_labels, settings, classify.FACE_NAMES,
                                           steps=steps, lr=LR, seed=seed, repeats=REPEATS),
        "heart": classify.compare_features(heart_images, heart_labels, settings, classify.HEART_NAMES,
                                           steps=steps, lr=LR, seed=seed, repeats=REPEATS),
    }


def pct(x: float) -> str:
    return "—" if not np.isfinite(x) else f"{100 * x:.1f}%"


DATA_NAMES = {"faces": "faces (LFW)", "heart": "heart (synthetic MRI)"}
SHORT_NAMES = {"faces": "faces", "heart": "heart MRI"}


def bar_rows(result: dict) -> list[dict]:
    return [{"model": f"{SHORT_NAMES[k]}<br>{row['features']}", "train": row["train"], "test": row["test"],
             "test_min": row["test_min"], "test_max": row["test_max"]}
            for k, res in result.items() for row in res["rows"]]


# Figures depend only on the settings: each is built once and shared by every session (read-only),
# except in presenter mode, which enlarges a figure's fonts in place (there they are built afresh).
BUILDERS = {
    "image": lambda key: charts.picture(load_image(key)[0], f"{images.SAMPLES[key].label}: "
                                        f"{load_image(key)[0].shape[0]} × {load_image(key)[0].shape[1]} pixels"),
    "hog": lambda key, o, p, c: charts.picture(hog_of(key, o, p, c)["picture"], f"Its HOG: {o} orientations, "
                                               f"{p} × {p}-pixel cells", hover="line strength", clip=99.5),
    "bars": lambda *settings: charts.accuracy_bars(bar_rows(comparison(*settings)), "Accuracy of one neuron"),
    "weights": lambda *settings: charts.weight_images(
        [comparison(*settings)["faces"]["weights"], comparison(*settings)["heart"]["weights"]],
        ["faces (25 × 25)", "heart MRI (32 × 32)"], "What the raw-pixel neurons learned: W as an image",
        height=340, shared=False),
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

st.subheader("Designed features vs. raw pixels: one neuron each")
seed_col, steps_col, _ = st.columns([1, 1, 2])
with seed_col:
    seed = int(number(P["fe_seed"], "Seed (data, splits, first weights)", step=1))
with steps_col:
    steps = int(select(P["fe_steps"], "Adam steps"))
st.markdown(
    "The same neuron, **a = σ(W X + b)**, learns *face vs. non-face* (scikit-image's LFW subset: 100 faces "
    "and 100 other patches, 25 × 25) and *heart vs. no heart* (synthetic MRI, 32 × 32: the *Other* slices "
    f"against as many heart slices, {MRI_PER_CLASS} of each). Once X is the pixels, once the HOG vector "
    "with the settings above. Features are standardised with the training set's mean and spread; "
    f"Adam (learning rate {LR}, minibatches of {classify.BATCH}) for the chosen number of steps; each "
    f"result is the mean over {REPEATS} random train / test splits (75% / 25%)."
)
settings = (orientations, ppc, cpb, steps, seed)
result = comparison(*settings)
table_rows = []
data_names = DATA_NAMES
for data_key, res in result.items():
    for row in res["rows"]:
        table_rows.append({"data set": data_names[data_key], "features": row["features"],
                           "N (inputs of the neuron)": f"{row['N']:,}" if row["N"] else "—",
                           "train accuracy": pct(row["train"]), "test accuracy": pct(row["test"]),
                           f"test, worst to best of {res['repeats']}":
                               f"{pct(row['test_min'])} – {pct(row['test_max'])}" if np.isfinite(row["test"]) else "—",
                           "test images": res["n_test"]})
table = pd.DataFrame(table_rows)
st.dataframe(table, hide_index=True, width="stretch")
for data_key, res in result.items():
    for row in res["rows"]:
        if row["note"]:
            st.info(f"{data_names[data_key]}, {row['features']}: {row['note']}", icon=":material/info:")
verdicts = []
for data_key, res in result.items():
    raw, hog_row = res["rows"]
    if np.isfinite(hog_row["test"]) and np.isfinite(raw["test"]):
        diff = 100 * (hog_row["test"] - raw["test"])
        one = 100 / res["n_test"]
        if abs(diff) < one:
            verdicts.append(f"**{data_names[data_key]}**: raw pixels and HOG are within one test image "
                            f"({one:.1f} points) of each other")
        else:
            better = "HOG" if diff > 0 else "raw pixels"
            verdicts.append(f"**{data_names[data_key]}**: {better} is ahead by {abs(diff):.1f} points on the "
                            f"test set (one test image is {one:.1f} points)")
if verdicts:
    st.markdown("  \n".join(verdicts) + ".")
table_downloads(table, "features-raw-vs-hog")

t1, t2 = st.columns([1, 1.25], gap="medium")
with t1:
    layout.show_figure(figure("bars", *settings), "features-accuracy")
    st.caption(f"Plain bars: training accuracy; hatched: test accuracy, the mean of {REPEATS} random splits, "
               "with a whisker from the worst to the best split. The dotted line is guessing (50%).")
with t2:
    layout.show_figure(figure("weights", *settings), "features-weights")
    st.caption("W holds one number per pixel, so it can be shown as an image: the template the neuron "
               "compares every (standardised) image with. Blue w > 0 pushes towards *face* / *heart*, red "
               "w < 0 away from it; each image on its own colour scale.")
st.caption("The MRI slices are synthetic cartoons drawn by the app (explorer/core/mri.py), not patient images; "
           "the faces are real photographs. With so few test images, a single image moves the test accuracy by "
           "2–3 points: change the seed to see how much of a difference is chance. The lecture's argument "
           "against hand-made features is about scale (thousands of classes, each needing its own insight), "
           "which no two-class comparison can show.")

face_raw, face_hog = result["faces"]["rows"]
heart_raw, heart_hog = result["heart"]["rows"]
layout.finish_page(PAGE, P.values(), [
    Exercise("Pick the face (LFW) image with 8 pixels per cell and 2 cells per block. Predict the HOG length first.",
             "25 × 25 pixels hold ⌊25 / 8⌋ = 3 cells a side, so 3 − 2 + 1 = 2 block positions a side; each block "
             "holds 2² × 9 = 36 numbers: 2 × 2 × 36 = **144** (the last pixel row and column fall outside the "
             "cells and are ignored).",
             check=lambda: key == "face" and ppc == 8 and cpb == 2),
    Exercise("Make the cells so big that a 25 × 25 face has no complete block. What happens to the HOG row of the "
             "face data?",
             "With 13 or more pixels per cell and 2 cells per block, a block needs 26 × 26 pixels, more than the "
             "face has: the feature vector would be empty, so the neuron cannot be trained on HOG. A designed "
             "feature must suit the images it is used on.",
             check=lambda: face_hog["N"] == 0,
             done="Yes: the face's HOG row shows —, and the note says why."),
    Exercise("Find HOG settings with fewer than 100 numbers for the 32 × 32 heart slices. How does the test "
             "accuracy change?",
             "E.g. 1 cell per block with 8-pixel cells and 4 orientations: 4 × 4 × 1 × 4 = 64 numbers. The neuron "
             "then sees too little of the image: heart vs no heart drops well below the raw-pixel neuron. "
             "Compressing by design throws information away.",
             check=lambda: 0 < heart_hog["N"] < 100),
    Exercise("Change the seed a few times. Does the winner (raw pixels or HOG) stay the same for each data set?",
             "The means over five splits move by a few points with the seed; differences smaller than that are "
             "chance. Judge features on more data, or on several splits, as here.",
             check=lambda: seed != P["fe_seed"].default),
])
