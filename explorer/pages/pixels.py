"""Pixels are numbers (heart finding): an image as the grid of values a network sees, flattened into X."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import images as image_charts
from explorer.core.limits import MAX_UPLOAD_MB
from explorer.core.images import SAMPLES, ImageError, clip_window, flatten, load_sample, load_upload
from explorer.core.mri import CLASSES, DESCRIPTIONS, has_heart, make_chest, make_slice, one_hot
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.safe_text import escape_markdown, literal
from explorer.ui.url_state import Param, current, radio, sanitize, select, show_notes, slider

PAGE = "pixels"
UPLOAD = "upload"
UPLOAD_KEY = "px_upload"              # session only: {"name", "image", "range", "whole"}
UPLOAD_ERROR_KEY = "px_upload_error"  # session only: the last failed upload's message
FILE_KEY = "px_file"                  # the st.file_uploader widget (never in the URL)
MAX_WIN = 64                          # largest window side: 64 x 64 = 4,096 numbers in the table
SYNTHETIC_SIZE = 128
SYNTHETIC = {f"syn_{v.lower()}": v for v in CLASSES}
IMAGE_LABELS = {key: s.label for key, s in SAMPLES.items()}
IMAGE_LABELS[UPLOAD] = "Your upload"
DEFAULT_IMAGE = "syn_sax"

P = {
    "img": Param.choice("px_img", DEFAULT_IMAGE, IMAGE_LABELS),
    "seed": Param("px_seed", 0, "int", 0, 9999),
    "h": Param("px_h", 34, "int", 1, MAX_WIN),          # the slide's table: 34 rows x 10 columns
    "w": Param("px_w", 10, "int", 1, MAX_WIN),
    "top": Param("px_top", 42, "int", 0, 4095),
    "left": Param("px_left", 72, "int", 0, 4095),
    "y": Param.choice("px_y", "unknown", {"unknown": "unknown", "1": "1: the heart is imaged",
                                          "0": "0: no heart"}),
}


# -- data ---------------------------------------------------------------------------------------
def summary(image: np.ndarray) -> dict:
    """What the page shows about a whole image, computed once per image (not on every rerun)."""
    return {"range": image_charts.display_range(image), "whole": bool(np.all(np.mod(image, 1) == 0))}


@st.cache_data(max_entries=64, show_spinner=False)
def sample_image(key: str, seed: int) -> dict:
    """A bundled sample: {"image", "box" (the heart, or None), "range", "whole"}; synthetic ones depend on ``seed``."""
    box = None
    if key in SYNTHETIC:
        image = make_slice(SYNTHETIC[key], SYNTHETIC_SIZE, seed).astype(float)
    elif key == "chest":
        image, heart = make_chest(SYNTHETIC_SIZE, seed)
        image, box = image.astype(float), tuple(heart)
    else:
        image = load_sample(key)
    return {"image": image, "box": box, **summary(image)}


@st.cache_data(max_entries=8, show_spinner=False)
def view_gallery(seed: int) -> list[np.ndarray]:
    return [make_slice(v, 64, seed) for v in CLASSES]


def handle_upload(state, uploaded) -> str | None:
    """Load an uploaded file into ``state`` (the session state, or any dict) and select it.

    ``uploaded`` has ``.name`` and ``.getvalue()`` (Streamlit's UploadedFile), or is None when
    the file was removed (the last loaded image stays available). On success the image is
    stored under ``px_upload`` and chosen; on failure the message is stored under
    ``px_upload_error`` and returned, and the current choice stays as it was.
    """
    if uploaded is None:
        state.pop(UPLOAD_ERROR_KEY, None)
        return None
    name = str(getattr(uploaded, "name", "") or "the file")
    try:
        image = load_upload(uploaded.getvalue(), name)
    except ImageError as e:
        message = f"{literal(name)} was not loaded: {escape_markdown(e)}"
    except Exception as e:  # never a traceback on the page
        message = f"{literal(name)} was not loaded: it could not be read ({type(e).__name__})."
    else:
        exact32 = image.dtype == np.float32 or np.array_equal(image, image.astype(np.float32))   # no 64 MB copy
        state[UPLOAD_KEY] = {"name": name, "image": image.astype(np.float32, copy=False) if exact32 else image, **summary(image)}
        state.pop(UPLOAD_ERROR_KEY, None)
        state[P["img"].key] = UPLOAD
        return None
    state[UPLOAD_ERROR_KEY] = message
    return message


def _on_upload() -> None:
    handle_upload(st.session_state, st.session_state.get(FILE_KEY))


def bounded_slider(p: Param, lo: int, hi: int, label: str, **kwargs) -> int:
    """A URL-bound slider whose range depends on the image: ``lo .. hi``.

    A link's value is checked against this range the first time (with a note if it does not
    fit). The value the user last chose is remembered: a smaller image moves the slider inside its
    range, and a larger one afterwards gives the chosen value back (the slide's 34 × 10 window
    returns to the MRI after a visit to a small image).
    """
    wanted_key, shown_key = f"_{p.key}_wanted", f"_{p.key}_shown"
    default = min(max(p.default, lo), hi)
    if hi <= lo:
        st.caption(f"{label}: {lo} (the only value this image allows)")
        return lo
    fitted = Param(p.key, default, "int", lo, hi)
    if p.key not in st.session_state:
        sanitize([fitted], PAGE)
    else:
        value = int(st.session_state[p.key])
        # moved by the user since the last run (not by this function): that is the new wish
        wanted = value if value != st.session_state.get(shown_key, value) else \
            int(st.session_state.get(wanted_key, value))
        st.session_state[wanted_key] = wanted
        target = min(max(wanted, lo), hi)
        if target != value:
            st.session_state[p.key] = target
    chosen = int(slider(fitted, label, **kwargs))
    st.session_state[shown_key] = chosen
    st.session_state.setdefault(wanted_key, chosen)
    return chosen


def column_latex(symbols: list[str], values: list[str]) -> str:
    def bmatrix(entries):
        return r"\begin{bmatrix}" + r" \\ ".join(entries) + r"\end{bmatrix}"
    return r"X = " + bmatrix(symbols) + " = " + bmatrix(values)


# -- page -----------------------------------------------------------------------------------------
sanitize(list(P.values()), PAGE)
layout.page_header(
    "Pixels are numbers",
    "The lecture's running example is **heart finding**: given an MRI image, say whether it shows the heart "
    "(**Y = 1**) or not (**Y = 0**). But a computer sees the numbers, not the content: every pixel is one "
    "value (here 12-bit MRI signal, 0 to 4,095), and a model gets them flattened into one column **X** of "
    "**N = H × W** numbers.",
    "move the orange window across the heart of *Synthetic SAX* and watch the numbers jump where bright "
    "blood meets dark muscle and black lung; then pick the cat, or upload an image of your own.",
    "the table *is* the picture (large numbers are bright pixels); flattening reads the window row by row, "
    "so two pixels one above the other end up W entries apart in X; N grows with the area: the slide's "
    "34 × 10 window is N = 340, a whole 128 × 128 slice N = 16,384.",
)
notes_slot = st.container()           # URL notes, filled at the end (the window's range depends on the image)

controls, picture = st.columns([1, 2.4], gap="large")
with controls, st.container(border=True):
    chosen = select(P["img"], "Image")
    st.file_uploader("…or upload your own (PNG, JPEG, TIFF or DICOM; up to 10 MB and 4,096 × 4,096 pixels)",
                     key=FILE_KEY, on_change=_on_upload, max_upload_size=MAX_UPLOAD_MB,
                     help="The file stays in this browser session only: it is not saved and not put in the "
                          "page's link.")
    if st.session_state.get(UPLOAD_ERROR_KEY):
        st.error(st.session_state[UPLOAD_ERROR_KEY], icon=":material/broken_image:")

    upload = st.session_state.get(UPLOAD_KEY)
    key = chosen
    if chosen == UPLOAD and upload is None:
        st.info(f"No image uploaded in this session yet: showing *{IMAGE_LABELS[DEFAULT_IMAGE]}* until you upload one.",
                icon=":material/upload:")
        key = DEFAULT_IMAGE
    seed = 0
    if key in SYNTHETIC or key == "chest":
        seed = int(slider(P["seed"], "Random seed of the synthetic slice",
                          help="Each seed draws another patient: position, size, contrast, noise."))

    if key == UPLOAD:
        loaded, heart_box = upload, None
        source, units, known_y = f"your upload {literal(upload['name'])}", "the values stored in the file", None
    else:
        loaded = sample_image(key, seed)
        heart_box = loaded["box"]
        info = SAMPLES[key]
        source, units, known_y = info.source, info.units, info.heart
        if key in SYNTHETIC:
            known_y = has_heart(SYNTHETIC[key])
            source = source.replace("128)", f"128, seed={seed})")
    image = loaded["image"]                  # not copied: an upload may be 4,096 x 4,096
    H, W = image.shape

    st.markdown("**Window** (the slide's table is 34 rows × 10 columns)")
    win_h = bounded_slider(P["h"], 1, min(MAX_WIN, H), "Height H (rows)")
    win_w = bounded_slider(P["w"], 1, min(MAX_WIN, W), "Width W (columns)")
    top = bounded_slider(P["top"], 0, H - win_h, "Top row")
    left = bounded_slider(P["left"], 0, W - win_w, "Left column")
    top, left, win_h, win_w = clip_window(image.shape, top, left, win_h, win_w)

    if known_y is None:
        user_y = radio(P["y"], "Label Y: is the heart imaged?", horizontal=False,
                       help="Nobody labelled this image: a data set's labels come from people.")
    else:
        user_y = None

lo, hi = loaded["range"]
fmt = "{:.0f}" if loaded["whole"] else ("{:.3f}" if hi - lo <= 10 else "{:.1f}")
with picture:
    m1, m2, m3, m4 = st.columns([1.3, 1.1, 0.8, 0.8])
    m1.metric("Image H × W", f"{H} × {W}")
    m2.metric("Whole image N = H × W", f"{H * W:,}")
    m3.metric("Smallest value", fmt.format(lo))
    m4.metric("Largest value", fmt.format(hi))
    fig = image_charts.image_figure(image, f"{IMAGE_LABELS[key]}: hover to read a pixel's value", zrange=(lo, hi),
                                    window=(top, left, win_h, win_w), heart_box=heart_box)
    layout.show_figure(fig, f"pixels-{key}")
    st.caption(f"Source: {source}. Values: {units}. Grey scale from {fmt.format(lo)} (black) to "
               f"{fmt.format(hi)} (white); the orange rectangle is the window"
               + ("; the dashed blue box is where the generator drew the heart." if heart_box else "."))

win = np.asarray(image[top:top + win_h, left:left + win_w], dtype=float)
st.subheader("What the computer sees: the window as numbers")
table_col, x_col = st.columns([2.2, 1], gap="large")
with table_col:
    st.caption(f"Rows {top} to {top + win_h - 1}, columns {left} to {left + win_w - 1} of the image: "
               f"{win_h} × {win_w} = {win_h * win_w:,} numbers, each cell shaded with its pixel's grey.")
    frame = pd.DataFrame(win, index=range(top, top + win_h), columns=[str(c) for c in range(left, left + win_w)])
    styled_table = frame.style.apply(lambda _: image_charts.cell_css(win, lo, hi), axis=None).format(fmt)
    cell_width = 14 + 8 * max(len(fmt.format(float(v))) for v in (win.min(), win.max()))
    st.dataframe(styled_table, height=min(38 + 35 * win_h, 1230), width="content",
                 column_config={"_index": st.column_config.Column(width=40),
                                **{c: st.column_config.Column(width=cell_width) for c in frame.columns}})

X = flatten(win)
N = X.shape[0]
with x_col:
    st.markdown("**Flattened into X** (row by row)")
    f1, f2 = st.columns(2)
    f1.metric("N = H × W", f"{N:,}", help=f"{win_h} rows × {win_w} columns")
    f2.metric("Shape of X", f"{N:,} × 1")
    head = list(range(min(N, 3)))
    tail = [i for i in range(max(N - 2, 3), N)]
    symbols = [f"x_{{{i}}}" for i in head] + ([r"\vdots"] if N > 5 else []) + [f"x_{{{i}}}" for i in tail]
    values = [fmt.format(X[i, 0]) for i in head] + ([r"\vdots"] if N > 5 else []) + [fmt.format(X[i, 0]) for i in tail]
    st.latex(column_latex(symbols, values))
    st.caption(f"x_i is the pixel in window row i // W, column i mod W (W = {win_w}): x_0 is the top-left "
               f"pixel, x_{win_w} starts the second row, x_{N - 1} is the bottom-right one. Counting from 0, "
               f"N numbers end at x_(N−1); the slide's x_N is one too many.")
    if key in SYNTHETIC or key == "chest":
        what = DESCRIPTIONS[SYNTHETIC[key]] if key in SYNTHETIC else "a chest slice with the heart in the dashed box"
        y_text = f"**Y = {known_y}**, known because the generator drew it: {what}."
    elif user_y == "unknown":
        y_text = "**Y unknown**: nobody has labelled this image. Set it on the left, as a person labelling a data set would."
    else:
        y_text = f"**Y = {user_y}** (set by you): " + ("the heart is imaged." if user_y == "1" else "no heart.")
    st.markdown("**Label Y** (heart finding: Y = 1 if the heart is imaged, else 0)  \n" + y_text)
    st.caption(f"The whole image flattened would be N = {H:,} × {W:,} = {H * W:,} numbers, and the slide's "
               f"network N → 3 → 2 → 1 would have 3N + 14 = {3 * H * W + 14:,} parameters.")

layout.show_figure(image_charts.flattened_figure(X, win_w, f"X, the window flattened: N = {N:,} values; "
                                                 f"each band of {win_w} is one row of the window",
                                                 row0=top, col0=left),
                   "pixels-flattened")

with st.expander("Multi-class: the five cardiac views and their one-hot labels Y (K = 5)"):
    gallery = view_gallery(current(P["seed"]))
    onehot = one_hot(np.arange(len(CLASSES)))
    vectors = ["[" + ",".join(str(int(v)) for v in onehot[:, k]) + "]ᵀ" for k in range(len(CLASSES))]
    layout.show_figure(image_charts.views_figure(gallery, list(CLASSES), vectors), "pixels-cardiac-views")
    st.caption("Synthetic cartoon slices (explorer.core.mri), 64 × 64, in the slide's class order "
               "CH3, CH2, CH4, SAX, Other. " + " ".join(f"**{v}**: {DESCRIPTIONS[v]}." for v in CLASSES))
    st.dataframe(pd.DataFrame(onehot.astype(int), index=[f"row {k}: {v}" for k, v in enumerate(CLASSES)],
                              columns=[f"image {b + 1} ({v})" for b, v in enumerate(CLASSES)]), width="content")
    st.caption("Y as a K × B matrix: one column per image (here B = 5, one of each view), a single 1 in the "
               "row of its class.")

with notes_slot:
    show_notes(PAGE)

layout.finish_page(PAGE, P.values(), [
    Exercise("How many numbers does X hold for a 20 × 20 window? Set it and check.",
             "N = H × W = 20 × 20 = **400**: X is 400 × 1, one row per pixel, read row by row.",
             check=lambda: N == 400),
    Exercise("Move the window onto the heart of a synthetic slice. Which numbers are blood, which muscle?",
             "Blood pools are the brightest (thousands), the myocardium around them darker, the lungs "
             "darkest. The classifier only ever sees these numbers, never the picture."),
    Exercise("Pick an image whose label is unknown (the cat, the camera man) and set Y yourself.",
             "Y = 1 only if a heart is imaged: the cat and the camera man are Y = 0 for the heart question.",
             check=lambda: not str(chosen).startswith("syn_") and current(P["y"]) != "unknown"),
])
