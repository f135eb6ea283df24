"""Pixels are numbers (heart finding): an image as the grid of values a network sees, flattened into X."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import images as image_charts
from explorer.core.images import SAMPLES, ImageError, clip_window, flatten, load_sample, load_upload
from explorer.core.limits import MAX_UPLOAD_MB
from explorer.core.mri import CLASSES, DESCRIPTIONS, has_heart, make_chest, make_slice, one_hot
from explorer.settings.declare import params_of
from explorer.settings.pixels import (DEFAULT_IMAGE, IMAGE_LABELS, MAX_WIN, SYNTHETIC, SYNTHETIC_SIZE, UPLOAD,
                                      Settings)
from explorer.ui import layout
from explorer.ui.exercises import Exercise, refresh_on_change
from explorer.ui.safe_text import escape_markdown, literal
from explorer.ui.url_state import Param, current, radio, read, sanitize, select, show_notes, slider
from explorer.ui.tables import show_table

P = params_of(Settings)
PAGE = P.page
UPLOAD_KEY = "px_upload"              # session only: the last loaded :class:`Upload`
UPLOAD_ERROR_KEY = "px_upload_error"  # session only: the last failed upload's message
FILE_KEY = "px_file"                  # the st.file_uploader widget (never in the URL)
VIEWS = ", ".join(CLASSES)            # the lecture's five cardiac views, in the slide's order


# -- what the page shows --------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    """An image uploaded in this session: its file name, values and grey-scale range."""

    name: str
    image: np.ndarray
    range: tuple[float, float]
    whole: bool            # every value a whole number (shown without decimals)


@dataclass(frozen=True)
class Shown:
    """The image on the page and what is known about it (where it comes from, its label Y)."""

    key: str               # the image choice shown (the default while "upload" has no file yet)
    image: np.ndarray      # not copied: an upload may be 4,096 x 4,096
    range: tuple[float, float]
    whole: bool
    source: str
    units: str
    known_y: int | None    # Y when the image's maker knows it, else None (the user sets it)
    heart_box: tuple[int, int, int, int] | None = None

    @property
    def synthetic(self) -> bool:
        return self.key in SYNTHETIC or self.key == "chest"

    @property
    def fmt(self) -> str:
        lo, hi = self.range
        return "{:.0f}" if self.whole else ("{:.3f}" if hi - lo <= 10 else "{:.1f}")

    def show(self, value: float) -> str:
        return self.fmt.format(value)


@dataclass(frozen=True)
class Window:
    """The window on the image, inside it: top-left pixel, height H and width W."""

    top: int
    left: int
    h: int
    w: int

    def of(self, image: np.ndarray) -> np.ndarray:
        return np.asarray(image[self.top:self.top + self.h, self.left:self.left + self.w], dtype=float)


def summary(image: np.ndarray) -> tuple[tuple[float, float], bool]:
    """The grey scale's ends and whether every value is whole, computed once per image."""
    return image_charts.display_range(image), bool(np.all(np.mod(image, 1) == 0))


@st.cache_data(max_entries=64, show_spinner=False)
def sample_image(key: str, seed: int):
    """A bundled sample: image, heart box (or None), range, whole; synthetic ones depend on ``seed``."""
    box = None
    if key in SYNTHETIC:
        image = make_slice(SYNTHETIC[key], SYNTHETIC_SIZE, seed).astype(float)
    elif key == "chest":
        image, heart = make_chest(SYNTHETIC_SIZE, seed)
        image, box = image.astype(float), tuple(heart)
    else:
        image = load_sample(key)
    return image, box, *summary(image)


@st.cache_data(max_entries=8, show_spinner=False)
def view_gallery(seed: int) -> list[np.ndarray]:
    return [make_slice(v, 64, seed) for v in CLASSES]


def handle_upload(state, uploaded) -> str | None:
    """Load an uploaded file into ``state`` (the session state, or any dict) and select it.

    ``uploaded`` has ``.name`` and ``.getvalue()`` (Streamlit's UploadedFile), or is None when
    the file was removed (the last loaded image stays available). On success an :class:`Upload`
    is stored under ``px_upload`` and chosen; on failure the message is stored under
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
        stored = image.astype(np.float32, copy=False) if exact32 else image
        state[UPLOAD_KEY] = Upload(name, stored, *summary(image))
        state.pop(UPLOAD_ERROR_KEY, None)
        state[P.img.key] = UPLOAD
        return None
    state[UPLOAD_ERROR_KEY] = message
    return message


def _on_upload() -> None:
    handle_upload(st.session_state, st.session_state.get(FILE_KEY))


def shown_image(s: Settings, upload: Upload | None) -> Shown:
    """The image for the settings ``s``: the upload, or a bundled sample (its seed for synthetic ones)."""
    if s.img == UPLOAD and upload is not None:
        return Shown(UPLOAD, upload.image, upload.range, upload.whole, f"your upload {literal(upload.name)}",
                     "the values stored in the file", None)
    key = DEFAULT_IMAGE if s.img == UPLOAD else s.img
    image, box, value_range, whole = sample_image(key, s.seed if key in SYNTHETIC or key == "chest" else 0)
    info = SAMPLES[key]
    source, known_y = info.source, info.heart
    if key in SYNTHETIC:
        known_y = has_heart(SYNTHETIC[key])
        source = source.replace("128)", f"128, seed={s.seed})")
    return Shown(key, image, value_range, whole, source, info.units, known_y, box)


# -- widgets --------------------------------------------------------------------------------------
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


def image_controls() -> None:
    """The image: a sample, or an upload; the seed of a synthetic slice."""
    with st.container(border=True):
        c1, c2, c3 = st.columns([1.1, 1.9, 1.1], gap="medium")
        with c1:
            chosen = select(P.img, "Image")
        with c2:
            st.file_uploader("…or upload your own (PNG, JPEG, TIFF or DICOM; up to 10 MB and 4,096 × 4,096 pixels)",
                             key=FILE_KEY, on_change=_on_upload, max_upload_size=MAX_UPLOAD_MB,
                             help="The file stays in this browser session only: it is not saved and not put in "
                                  "the page's link.")
        if chosen != UPLOAD or st.session_state.get(UPLOAD_KEY) is not None:
            key = chosen
        else:
            key = DEFAULT_IMAGE
        if key in SYNTHETIC or key == "chest":
            with c3:
                slider(P.seed, "Random seed of the synthetic slice",
                       help="Each seed draws another patient: position, size, contrast, noise.")
    if st.session_state.get(UPLOAD_ERROR_KEY):
        st.error(st.session_state[UPLOAD_ERROR_KEY], icon=":material/broken_image:")
    if key != chosen:
        st.info(f"No image uploaded in this session yet: showing *{IMAGE_LABELS[DEFAULT_IMAGE]}* until you upload "
                "one.", icon=":material/upload:")


def window_controls(shown: Shown) -> Window:
    """The window's four sliders, fitted to the image, and the label Y where nobody knows it."""
    H, W = shown.image.shape
    st.markdown("**Window** (the slide's table is 34 rows × 10 columns)")
    win_h = bounded_slider(P.h, 1, min(MAX_WIN, H), "Height H (rows)")
    win_w = bounded_slider(P.w, 1, min(MAX_WIN, W), "Width W (columns)")
    top = bounded_slider(P.top, 0, H - win_h, "Top row")
    left = bounded_slider(P.left, 0, W - win_w, "Left column")
    if shown.known_y is None:
        radio(P.y, "Label Y: is the heart imaged?", horizontal=False,
              help="Nobody labelled this image: a data set's labels come from people.")
    return Window(*clip_window(shown.image.shape, top, left, win_h, win_w))


# -- sections -------------------------------------------------------------------------------------
def image_metrics(shown: Shown) -> None:
    H, W = shown.image.shape
    m1, m2, m3, m4 = st.columns([1.3, 1.1, 0.8, 0.8])
    m1.metric("Image H × W", f"{H} × {W}")
    m2.metric("Whole image N = H × W", f"{H * W:,}")
    m3.metric("Smallest value", shown.show(shown.range[0]))
    m4.metric("Largest value", shown.show(shown.range[1]))


def image_section(shown: Shown, win: Window) -> None:
    """The image with the window (orange) and the heart's box (dashed blue)."""
    lo, hi = shown.range
    fig = image_charts.image_figure(shown.image, f"{IMAGE_LABELS[shown.key]}: hover to read a pixel's value",
                                    zrange=shown.range, window=(win.top, win.left, win.h, win.w),
                                    heart_box=shown.heart_box)
    layout.show_figure(fig, f"pixels-{shown.key}", key="px_fig_image")
    st.caption(f"Source: {shown.source}. Values: {shown.units}. Grey scale from {shown.show(lo)} (black) to "
               f"{shown.show(hi)} (white); the orange rectangle is the window"
               + ("; the dashed blue box is where the generator drew the heart." if shown.heart_box else "."))


def table_section(shown: Shown, win: Window) -> None:
    """The window as a table of numbers, each cell in its pixel's grey (an HTML table of numbers only:
    a styled st.dataframe costs the browser ten times as much on every move of the window)."""
    values = win.of(shown.image)
    lo, hi = shown.range
    st.caption(f"Rows {win.top} to {win.top + win.h - 1}, columns {win.left} to {win.left + win.w - 1} of the "
               f"image: {win.h} × {win.w} = {win.h * win.w:,} numbers, each cell shaded with its pixel's grey.")
    st.html(image_charts.window_table_html(values, lo, hi, shown.fmt, row0=win.top, col0=win.left))


def column_latex(symbols: list[str], values: list[str]) -> str:
    def bmatrix(entries):
        return r"\begin{bmatrix}" + r" \\ ".join(entries) + r"\end{bmatrix}"
    return r"X = " + bmatrix(symbols) + " = " + bmatrix(values)


def label_text(s: Settings, shown: Shown) -> str:
    """What the page knows of Y: from the generator, from the user, or nothing yet."""
    if shown.synthetic:
        what = DESCRIPTIONS[SYNTHETIC[shown.key]] if shown.key in SYNTHETIC else \
            "a chest slice with the heart in the dashed box"
        return f"**Y = {shown.known_y}**, known because the generator drew it: {what}."
    if s.y == "unknown":
        return "**Y unknown**: nobody has labelled this image. Set it on the left, as a person labelling a data set would."
    return f"**Y = {s.y}** (set by you): " + ("the heart is imaged." if s.y == "1" else "no heart.")


def flattened_section(s: Settings, shown: Shown, win: Window, X: np.ndarray) -> None:
    """X = the window read row by row: its shape, first and last entries, and the label Y."""
    N = X.shape[0]
    H, W = shown.image.shape
    st.markdown("**Flattened into X** (row by row)")
    f1, f2 = st.columns(2)
    f1.metric("N = H × W", f"{N:,}", help=f"{win.h} rows × {win.w} columns")
    f2.metric("Shape of X", f"{N:,} × 1")
    head, tail = list(range(min(N, 3))), list(range(max(N - 2, 3), N))
    gap = [r"\vdots"] if N > 5 else []
    symbols = [f"x_{{{i}}}" for i in head] + gap + [f"x_{{{i}}}" for i in tail]
    shown_values = [shown.show(X[i, 0]) for i in head] + gap + [shown.show(X[i, 0]) for i in tail]
    st.latex(column_latex(symbols, shown_values))
    st.caption(f"x_i is the pixel in window row i // W, column i mod W (W = {win.w}): x_0 is the top-left "
               f"pixel, x_{win.w} starts the second row, x_{N - 1} is the bottom-right one. Counting from 0, "
               f"N numbers end at x_(N−1); the slide's x_N is one too many.")
    st.markdown("**Label Y** (heart finding: Y = 1 if the heart is imaged, else 0)  \n" + label_text(s, shown))
    st.caption(f"The whole image flattened would be N = {H:,} × {W:,} = {H * W:,} numbers, and the slide's "
               f"network N → 3 → 2 → 1 would have 3N + 14 = {3 * H * W + 14:,} parameters.")


@st.fragment
def window_section(shown: Shown) -> int:
    """Everything the window changes (its sliders rerun only this): the image with the window, the
    table, X. The image's own controls and the five views above and below stay as they are."""
    sliders, picture = st.columns([1, 2.4], gap="large")
    with sliders, st.container(border=True):
        win = window_controls(shown)
    s = read(Settings)
    with picture:
        image_section(shown, win)
    st.subheader("What the computer sees: the window as numbers")
    table_col, x_col = st.columns([2.2, 1], gap="large")
    with table_col:
        table_section(shown, win)
    X = flatten(win.of(shown.image))
    with x_col:
        flattened_section(s, shown, win, X)
    layout.show_figure(image_charts.flattened_figure(X, win.w, f"X, the window flattened: N = {X.shape[0]:,} "
                                                     f"values; each band of {win.w} is one row of the window",
                                                     row0=win.top, col0=win.left),
                       "pixels-flattened", key="px_fig_flattened")
    refresh_on_change(PAGE, "n400", X.shape[0] == 400)          # the exercises' checks
    refresh_on_change(PAGE, "labelled", s.y != "unknown")
    return X.shape[0]


def views_section(seed: int) -> None:
    """The expander: the five cardiac views and their one-hot columns (multi-class, K = 5)."""
    with st.expander("Multi-class: the five cardiac views and their one-hot labels Y (K = 5)"):
        onehot = one_hot(np.arange(len(CLASSES)))
        vectors = ["[" + ",".join(str(int(v)) for v in onehot[:, k]) + "]ᵀ" for k in range(len(CLASSES))]
        layout.show_figure(image_charts.views_figure(view_gallery(seed), list(CLASSES), vectors),
                           "pixels-cardiac-views")
        st.caption(f"Synthetic cartoon slices (explorer.core.mri), 64 × 64, in the slide's class order {VIEWS}. "
                   + " ".join(f"**{v}**: {DESCRIPTIONS[v]}." for v in CLASSES))
        show_table(pd.DataFrame(onehot.astype(int), index=[f"row {k}: {v}" for k, v in enumerate(CLASSES)],
                                columns=[f"image {b + 1} ({v})" for b, v in enumerate(CLASSES)]), index=True, width="content")
        st.caption("Y as a K × B matrix: one column per image (here B = 5, one of each view), a single 1 in the "
                   "row of its class.")


# -- page -----------------------------------------------------------------------------------------
# The URL's values are checked here; their notes are shown at the end, because the window's
# sliders check a link's window against the image's size only when they are drawn.
sanitize(P.values(), PAGE)
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


def body() -> None:
    """Everything below the header (one fragment: a click reruns this, not the sidebar)."""
    notes_slot = st.container()
    image_controls()
    settings = read(Settings)
    shown = shown_image(settings, st.session_state.get(UPLOAD_KEY))
    image_metrics(shown)
    N = window_section(shown)
    views_section(current(P.seed))
    with notes_slot:
        show_notes(PAGE)

    layout.show_exercises(PAGE, [
        Exercise("How many numbers does X hold for a 20 × 20 window? Set it and check.",
                 "N = H × W = 20 × 20 = **400**: X is 400 × 1, one row per pixel, read row by row.",
                 check=lambda: N == 400),
        Exercise("Move the window onto the heart of a synthetic slice. Which numbers are blood, which muscle?",
                 "Blood pools are the brightest (thousands), the myocardium around them darker, the lungs "
                 "darkest. The classifier only ever sees these numbers, never the picture."),
        Exercise("Pick an image whose label is unknown (the cat, the camera man) and set Y yourself.",
                 "Y = 1 only if a heart is imaged: the cat and the camera man are Y = 0 for the heart question.",
                 check=lambda: not settings.img.startswith("syn_") and current(P.y) != "unknown"),
    ])


layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
