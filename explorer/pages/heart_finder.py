"""Heart finder and cardiac views: logistic and softmax regression (and an MLP) trained live on synthetic MRI."""
import dataclasses
import hashlib
import secrets
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from explorer.charts import classify as charts
from explorer.core import classify, mri
from explorer.settings.heart_finder import HEART_VIEWS, NO_HEART, SIZES, TASKS, Settings
from explorer.ui import layout
from explorer.ui.exercises import Exercise, refresh_on_change
from explorer.ui.network_files import network_downloads, network_upload
from explorer.ui.url_state import number, open_settings, radio, read, select, slider, toggle

PAGE = "heart_finder"
TEST_FRACTION = 0.25
CHEST_FACTOR = 4          # the chest image is this many times the training size a side
UPDATES = 15              # progress updates while training
MAX_MODELS = 8            # trained models kept per session
MAX_MAPS = 8              # heat maps kept per model
MAX_FIGURES = 24          # figures kept per session
MODELS = "_hf_models"     # session state: {Settings.model_key(): Model}
UPLOADS = "_hf_uploads"   # session state: {(file digest, data settings): Model}, the uploaded network
FIGURES = "_hf_figures"   # session state: {(Model.token, figure name): figure}


# -- data ------------------------------------------------------------------------------------------
@st.cache_data(max_entries=8, show_spinner="Drawing the synthetic MRI slices…")
def dataset(n: int, size: int, seed: int):
    return mri.make_dataset(n, size, seed)


@st.cache_data(max_entries=16, show_spinner=False)
def task_data(binary: bool, n: int, size: int, seed: int) -> dict:
    """The images, labels and train / test split of a task (heart / no heart, or the five views)."""
    X, _, labels = dataset(n, size, seed)
    if binary:
        X, y, views = classify.heart_vs_none(X, labels)
        names = classify.HEART_NAMES
    else:
        y, views, names = labels, labels, mri.CLASSES
    train, test = classify.split(y, TEST_FRACTION, seed)
    return {"X": X, "y": y, "views": views, "names": tuple(names), "train": train, "test": test}


def data_for(s: Settings, task: str | None = None) -> dict:
    return task_data((task or s.task) == "binary", s.n, s.size, s.seed)


@st.cache_data(max_entries=16, show_spinner=False)
def chest(size: int, seed: int, view: str):
    image, box = mri.make_chest(size, seed, view=view)
    return image.astype(float), tuple(box)


@st.cache_data(max_entries=4, show_spinner=False)
def examples(size: int, seed: int):
    """One slice of every view, for the data preview."""
    return [mri.make_slice(v, size, seed).astype(float) for v in mri.CLASSES]


def build_data_figure(size: int, seed: int):
    heart_labels = ["heart" if mri.HAS_HEART[v] else "no heart" for v in mri.CLASSES]
    return charts.weight_images(examples(size, seed), [f"{v} ({h})" for v, h in zip(mri.CLASSES, heart_labels)],
                                f"{size} × {size} synthetic slices, values 0 to 4095", height=280, shared=False,
                                colorscale=charts.GRAY, centred=False)


@st.cache_resource(max_entries=8, show_spinner=False)
def data_figure(size: int, seed: int):
    """The data preview, built once per setting (deterministic, read-only: shared by every session)."""
    return build_data_figure(size, seed)


def split_sizes(task: str, n: int) -> tuple[int, int]:
    """(training, test) image counts of a task, without drawing a single image: every class has n images
    (heart / no heart: the no-heart slices and as many heart slices), split as ``classify.split`` does."""
    classes = 2 if task == "binary" else len(mri.CLASSES)
    test = min(max(int(round(TEST_FRACTION * n)), 1 if n >= 2 else 0), n - 1)
    return classes * (n - test), classes * test


# -- the session's models ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Evaluation:
    """A classifier on a task's images: probabilities ``P : [K, test]``, predictions, confusion matrix."""

    P: np.ndarray
    pred: np.ndarray
    true: np.ndarray
    C: np.ndarray
    test_accuracy: float
    train_accuracy: float

    @classmethod
    def of(cls, clf: classify.Classifier, data: dict) -> "Evaluation":
        X, y, te, tr = data["X"], data["y"], data["test"], data["train"]
        pred = clf.predict(X[:, te])
        return cls(clf.probabilities(X[:, te]), pred, y[te], classify.confusion_matrix(y[te], pred, clf.K),
                   classify.accuracy_of(y[te], pred), classify.accuracy_of(y[tr], clf.predict(X[:, tr])))

    @property
    def n_wrong(self) -> int:
        return int(np.sum(self.pred != self.true))


@dataclass
class Model:
    """A classifier trained in this session (or loaded from a file), how its training went, and what the
    page computed with it: its evaluation on the task's images and its heat maps over chests."""

    clf: classify.Classifier
    task: str                                   # "binary", "views" or "mlp"
    history: list = field(default_factory=list)
    status: str = "ready"                       # the trainer's; "loaded" for a file
    message: str = ""
    epochs_per_step: float | None = None
    token: str = field(default_factory=lambda: secrets.token_hex(6))   # names its figures
    _evaluation: Evaluation | None = None
    _maps: dict = field(default_factory=dict)

    @property
    def loaded(self) -> bool:
        return self.status == "loaded"

    def evaluation(self, data: dict) -> Evaluation:
        """On the page's test images (a model is kept per data setting, so once per model)."""
        if self._evaluation is None:
            self._evaluation = Evaluation.of(self.clf, data)
        return self._evaluation

    def heat_map(self, image, s: Settings) -> classify.HeatMap:
        """P(heart) per window of ``image``: class 1 of a binary model; 1 − P(no-heart classes) of a
        five-view model (the last few maps kept)."""
        key = s.window_key()
        if key not in self._maps:
            self._maps[key] = heart_map(image, self.clf, s.size, s.stride, s.scale)
            while len(self._maps) > MAX_MAPS:
                self._maps.pop(next(iter(self._maps)))
        return self._maps[key]


def heart_map(image, clf: classify.Classifier, size: int, stride: int, scale: float) -> classify.HeatMap:
    """P(heart) per window: class 1 of a binary model; 1 − P(no-heart classes) of a five-view model."""
    if clf.K == 2:
        return classify.heat_map(image, clf, size, stride, scale)
    names = list(clf.names)
    P = None
    for v in NO_HEART:
        hm = classify.heat_map(image, clf, size, stride, scale, positive=names.index(v))
        P = hm.P if P is None else P + hm.P
    return dataclasses.replace(hm, P=np.clip(1.0 - P, 0.0, 1.0))


def cached_figure(model: Model, name, build):
    """A figure built once per model and display setting, kept in the session (beside the model, not in it).

    Presenter mode enlarges a figure's fonts in place, so there every figure is built afresh.
    """
    if layout.presenter():
        return build()
    figs = st.session_state.setdefault(FIGURES, {})
    key = (model.token, name)
    if key not in figs:
        figs[key] = build()
        while len(figs) > MAX_FIGURES:
            figs.pop(next(iter(figs)))
    return figs[key]


# -- settings and training -----------------------------------------------------------------------------
def controls(P) -> None:
    with st.container(border=True):
        task = radio(P.task, "Task", horizontal=True)
        c = st.columns(6, gap="small") if not layout.presenter() else [*st.columns(3), *st.columns(3)]
        with c[0]:
            number(P.n, "Images per class", step=10, help="Slices drawn of each of the five views; heart / no "
                   "heart uses all the Other slices and as many heart slices.")
        with c[1]:
            select(P.size, "Image size")
        with c[2]:
            select(P.lr, "Learning rate", help=f"Of Adam, on minibatches of {classify.BATCH} images.")
        with c[3]:
            select(P.steps, "Steps")
        with c[4]:
            number(P.hidden, "Hidden width (MLP)", step=1, disabled=task != "mlp")
        with c[5]:
            number(P.seed, "Seed", step=1, help="Draws the slices, the split and the first weights.")


def train_model(s: Settings, progress=None, chart=None) -> Model:
    """Train the task's model for ``s`` (reporting progress), keep it in the session, return it."""
    data = data_for(s)
    X, y, tr, te = data["X"], data["y"], data["train"], data["test"]
    hidden = s.hidden if s.task == "mlp" else None
    clf, trainer = classify.start_training(X[:, tr], y[tr], X[:, te], y[te], data["names"], hidden, s.lr, s.seed)
    for i, m in enumerate(classify.run(trainer, s.steps, UPDATES)):
        if progress is not None:
            train_acc, test_acc = 100 * m.get("train_accuracy", 0), 100 * m.get("test_accuracy", 0)
            progress.progress(min(1.0, m["step"] / s.steps), text=f"Step {m['step']} of {s.steps}: train "
                              f"accuracy {train_acc:.0f}%, test {test_acc:.0f}%")
        if chart is not None and i % 3 == 0:
            with chart:
                layout.show_figure(charts.training_curves(trainer.history, "Training…"), "heart-finder-training",
                                   key=f"_hf_live_{i}")
    model = Model(clf, s.task, list(trainer.history), trainer.status, trainer.message,
                  min(classify.BATCH, tr.size) / tr.size)
    models = st.session_state.setdefault(MODELS, {})
    models[s.model_key()] = model
    while len(models) > MAX_MODELS:
        models.pop(next(iter(models)))
    return model


def training_panel(s: Settings) -> None:
    """The Train button and, while it trains, the progress (a fragment: the rest of the page waits)."""
    trained = s.model_key() in st.session_state.get(MODELS, {})
    b, note = st.columns([1, 4], vertical_alignment="center")
    pressed = b.button("Train again" if trained else "Train", key="hf_train", type="primary",
                       icon=":material/model_training:", width="stretch")
    hidden = f", {s.hidden} hidden ReLU units" if s.task == "mlp" else ""
    note.caption(f"{TASKS[s.task]}{hidden}: {s.steps} Adam steps of {classify.BATCH} images, "
                 f"learning rate {s.lr:g}, seed {s.seed}. The same settings always give the same model.")
    if pressed:
        progress = st.progress(0.0, text="Starting…")
        chart = st.empty()
        train_model(s, progress, chart)
        st.rerun()


def uploaded_model(s: Settings) -> Model | None:
    """A network file from the upload box, if it fits this task and image size (else a message, None)."""
    loaded = network_upload("heart-finder")
    if loaded is None:
        return None
    net, _ = loaded
    binary = s.task == "binary"
    problem = classify.network_problem(net, s.size, 2 if binary else len(mri.CLASSES), tuple(SIZES))
    if problem:
        other = "the five views" if binary else "heart / no heart"
        fits_other = classify.network_problem(net, s.size, len(mri.CLASSES) if binary else 2) is None
        st.error(problem + (f" Switch the task to {other} to use it." if fits_other else ""),
                 icon=":material/error:")
        return None
    digest = hashlib.sha256(b"".join(p.tobytes() for p in net.parameters())).hexdigest()
    key = (digest, s.task, s.n, s.size, s.seed)
    kept = st.session_state.setdefault(UPLOADS, {})
    if key not in kept:       # evaluated and drawn once per file and data setting
        names = classify.HEART_NAMES if binary else mri.CLASSES
        clf = classify.Classifier(net, classify.Standardiser.identity(net.n_in), tuple(names))
        task = "binary" if binary else ("mlp" if len(net.layers) > 1 else "views")
        kept.clear()
        kept[key] = Model(clf, task, status="loaded")
    return kept[key]


# -- results -----------------------------------------------------------------------------------------
def templates(clf: classify.Classifier, size: int) -> tuple[list, list, str]:
    W = clf.first_weights()
    if clf.hidden:
        shown = min(W.shape[0], 10)
        return ([W[j].reshape(size, size) for j in range(shown)], [f"unit {j + 1}" for j in range(shown)],
                f"First-layer weights W[1] of {shown} of the {W.shape[0]} hidden units (each a 1 × N row as an image)")
    if clf.K == 2:
        return [W[0].reshape(size, size)], ["heart (W of the one sigmoid unit)"], \
            f"The learned weights W (1 × {size * size:,}) as a {size} × {size} image"
    return ([W[k].reshape(size, size) for k in range(clf.K)], list(clf.names),
            f"The learned weights W ({clf.K} × {size * size:,}): one row per class, each as a {size} × {size} image")


def show_metrics(model: Model, ev: Evaluation, data: dict, source: str) -> None:
    clf = model.clf
    if model.status == "diverged":
        st.error(model.message, icon=":material/error:")
    st.caption(source)
    m = st.columns(5)
    m[0].metric("Train accuracy", f"{100 * ev.train_accuracy:.1f}%", help=f"{data['train'].size} training images")
    m[1].metric("Test accuracy", f"{100 * ev.test_accuracy:.1f}%", help="Images the model never saw while training.")
    m[2].metric("Test images", f"{data['test'].size}", help=f"{100 * TEST_FRACTION:.0f}% of every class.")
    m[3].metric("Parameters", f"{clf.net.n_params:,}", help=classify.describe_network(clf.net.n_in, clf.K, clf.hidden))
    m[4].metric("Chance level", f"{100 / clf.K:.0f}%", help="Guessing: 1 / K of the images right.")


def show_curves_and_confusion(model: Model, ev: Evaluation, data: dict) -> None:
    clf = model.clf
    if model.history:
        left, right = st.columns([1.25, 1], gap="medium")
        with left:
            layout.show_figure(cached_figure(model, "curves", lambda: charts.training_curves(
                model.history, "Accuracy and loss over training", model.epochs_per_step)),
                "heart-finder-training-curves")
    else:
        left, right = st.columns([0.01, 1])
    with right:
        layout.show_figure(cached_figure(model, "confusion", lambda: charts.confusion(
            ev.C, clf.names, f"Confusion matrix: {data['test'].size} test images")), "heart-finder-confusion")
        worst = classify.most_confused(ev.C)
        if worst:
            i, j, count = worst
            st.caption(f"Most frequent mistake: {count} × **{clf.names[i]}** taken for **{clf.names[j]}**. "
                       "The diagonal counts the right answers; each row sums to that class's test images.")
        else:
            st.caption("No mistakes on the test images: every count is on the diagonal.")


TEMPLATE_CAPTIONS = {
    "mlp": "An MLP's first layer learns its own pictures (blue w > 0, red w < 0); the output layer then mixes the "
           "hidden units' answers into the five class scores, so no single image is a class template any more.",
    "binary": "The neuron's score is z = W X + b: the image multiplied pixel by pixel with this template and summed "
              "(on standardised pixels), then P(heart) = σ(z). Blue w > 0: a bright pixel here votes for *heart*; "
              "red w < 0: against it.",
    "views": "Each class's score is z_k = W_k X + b_k: the image multiplied pixel by pixel with the row W_k and "
             "summed (on standardised pixels), then softmax over the five scores. Blue w > 0: a bright pixel here "
             "votes for the class; red w < 0: against it. All on one colour scale.",
}


def show_templates(model: Model, size: int) -> None:
    clf = model.clf

    def build():
        images, titles, title = templates(clf, size)
        return charts.weight_images(images, titles, title, height=300 if len(images) > 1 else 340, per_row=5)

    layout.show_figure(cached_figure(model, "templates", build), "heart-finder-templates")
    st.caption(TEMPLATE_CAPTIONS["mlp" if clf.hidden else "binary" if clf.K == 2 else "views"])


def show_samples(P, model: Model, ev: Evaluation, data: dict, size: int) -> None:
    clf = model.clf
    wrong = toggle(P.wrong, "Mistakes first")
    idx = classify.pick_samples(ev.true, ev.pred, 5 if clf.K == 2 else 2, mistakes_first=wrong)
    if clf.K == 2:
        idx = idx[np.argsort(ev.true[idx], kind="stable")]

    def build():
        shown = classify.to_images(data["X"][:, data["test"][idx]], (size, size))
        return charts.samples(list(shown), ev.P[:, idx], ev.true[idx], ev.pred[idx], clf.names,
                              f"Test images and their probabilities ({ev.n_wrong} of {ev.true.size} test images wrong)")

    layout.show_figure(cached_figure(model, ("samples", wrong), build), "heart-finder-samples")
    st.caption(f"{charts.RIGHT} right, {charts.WRONG} wrong (true → predicted); the bar of the true class is solid "
               "and outlined, the others pale. "
               + ("Binary: the one sigmoid output is P(heart); P(no heart) = 1 − P(heart)." if clf.K == 2 else
                  "Softmax: the five bars of each image add up to 1."))


def show_results(P, s: Settings, model: Model, data: dict, source: str) -> Evaluation:
    ev = model.evaluation(data)
    show_metrics(model, ev, data, source)
    show_curves_and_confusion(model, ev, data)
    show_templates(model, s.size)
    show_samples(P, model, ev, data, s.size)
    return ev


def show_downloads(s: Settings, model: Model, ev: Evaluation) -> None:
    config = {"page": "heart-finder", "task": model.task, "classes": list(model.clf.names), "image_size": s.size,
              "input": f"one {s.size} x {s.size} synthetic MRI slice, raw 12-bit values, flattened row "
                       "by row; the standardisation is folded into layer 1",
              "images_per_class": s.n, "seed": s.seed, "learning_rate": s.lr, "steps": s.steps,
              "train_accuracy": ev.train_accuracy, "test_accuracy": ev.test_accuracy}
    network_downloads(model.clf.folded(), config, f"heart-finder-{model.task}-{s.size}px")


def show_data(s: Settings, expanded: bool) -> None:
    with st.expander("The data: one synthetic slice of every view", expanded=expanded):
        build = build_data_figure if layout.presenter() else data_figure
        layout.show_figure(build(s.size, s.seed), "heart-finder-data")
        n_train, n_test = split_sizes(s.task, s.n)
        what = (f"the {'/'.join(NO_HEART)} slices (no heart) and as many heart slices, taken from "
                f"{', '.join(HEART_VIEWS[:-1])} and {HEART_VIEWS[-1]} in turn"
                if s.task == "binary" else "the five views, the same number of each")
        st.caption(f"{n_train + n_test} images: {what}; {n_train} for training, {n_test} for testing. "
                   f"{mri.DESCRIPTIONS[NO_HEART[0]].capitalize()}. Drawn from ellipses and polygons with MRI-like "
                   "blur, coil shading and noise: cartoons for learning, not for judging real scans.")


# -- finding the heart -------------------------------------------------------------------------------
def slid_model(model: Model) -> tuple[str, str]:
    """Which model slides over the chest, and how it gives P(heart): (name, formula)."""
    clf = model.clf
    where = "loaded from the file" if model.loaded else "trained above"
    if clf.K == 2:
        kind = "MLP" if clf.hidden else "logistic regression"
        return f"the heart / no heart {kind} {where}", "P(heart) from its one sigmoid output"
    other = " + ".join(f"P({v})" for v in NO_HEART)
    kind = "MLP" if clf.hidden else "softmax regression"
    return (f"the five-view {kind} {where}",
            f"P(heart) = 1 − {other}, the sum of the {len(HEART_VIEWS)} heart views' probabilities")


def finder_controls(P, size: int) -> None:
    c = st.columns(4, gap="medium") if not layout.presenter() else [*st.columns(2), *st.columns(2)]
    with c[0]:
        number(P.chest, "Chest image seed", step=1)
    with c[1]:
        select(P.view, "View of the chest slice")
    with c[2]:
        slider(P.stride, "Stride (input pixels)",
               help="How far the window moves each time, in the classifier's input pixels.")
    with c[3]:
        radio(P.scale, "Window size", horizontal=True,
              help=f"×1: windows of {size} × {size} chest pixels, as the classifier was trained. "
                   f"×2: windows of {2 * size} × {2 * size}, the chest shrunk by 2 first so that "
                   f"each becomes {size} × {size}.")


def finder_metrics(hm: classify.HeatMap, box, size: int) -> None:
    best = hm.best()
    n_windows = hm.P.size
    m = st.columns(4)
    how = ("in one matrix product" if hm.products == 1 else
           f"in {hm.products} matrix products (blocks of windows, to bound the memory)")
    m[0].metric("Windows classified", f"{n_windows:,}", help=f"{hm.P.shape[0]} × {hm.P.shape[1]} positions, "
                f"{how}: every window is a column of X, which is {size * size:,} × {n_windows:,} in all.")
    m[1].metric("Highest P(heart)", f"{hm.P.max():.3f}")
    m[2].metric("Its centre to the heart's centre", f"{classify.centre_distance(best, box):.1f} px")
    m[3].metric("Centre inside the heart box", "yes ✓" if classify.inside(classify.centre(best), box) else "no ✗")


def show_finder(P, model: Model) -> None:
    """The chest, the sliding window and its P(heart) map (a fragment: its controls redraw only this)."""
    finder_controls(P, read(Settings).size)
    s = read(Settings)                       # this fragment's own widgets, as they are now
    refresh_on_change(PAGE, "scale", s.scale)   # the fourth exercise's check follows the window size
    name, formula = slid_model(model)
    side = CHEST_FACTOR * s.size
    image, box = chest(side, s.chest, s.view)
    hm = model.heat_map(image, s)
    st.markdown(f"Sliding **{name}**: {formula}.")
    finder_metrics(hm, box, s.size)
    short = "heart / no heart classifier" if model.clf.K == 2 else "five-view model"
    centres_r, centres_c = hm.tops + (hm.window - 1) / 2, hm.lefts + (hm.window - 1) / 2
    layout.show_figure(cached_figure(model, ("heat", s.window_key()), lambda: charts.heat_map(
        image, hm.P, centres_r, centres_c, box, hm.best(),
        f"Sliding the {short} over a {side} × {side} synthetic chest: windows of "
        f"{hm.window:.0f} × {hm.window:.0f} pixels, every {hm.stride:.0f} pixels")), "heart-finder-heat-map")
    st.caption("Each window is a column of X; the right panel paints its P(heart) at the window's centre (none "
               "is centred in the grey border). The model only ever saw whole slices, never windows of a chest, "
               "so it lights up on anything like the bright blood pools it learned. A real detector is trained "
               "on windows (or end to end: the lecture's *data-driven detection*).")


def header() -> None:
    layout.page_header(
        "Heart finder and cardiac views",
        "The lecture's running example, trained live on **synthetic** MRI cartoons: **logistic regression** "
        "(W is 1 × N) decides *heart / no heart*; **softmax regression** (W is K × N, "
        f"K = {len(mri.CLASSES)}) names the view: {', '.join(mri.CLASSES[:-1])} or {mri.CLASSES[-1]}; "
        "an **MLP** adds a hidden layer.",
        "press **Train**, look at the learned templates and the confusion matrix; then switch to the five views, "
        "and slide the model over a chest.",
        "each row of W, as an image, is a template of its class; views that share chambers are confused most; "
        "a classifier of whole slices is not yet a good detector.",
    )


def exercises(s: Settings, model: Model | None, ev: Evaluation | None) -> list[Exercise]:
    shown_task = model.task if model else None
    return [
        Exercise("Train the five views with softmax regression. Which two views are confused most, and why?",
                 "Usually **CH2 and CH3**: both cut the left ventricle and the left atrium; CH3 only adds the outflow "
                 "tract into the aorta, a few pixels. A linear template per class cannot separate them well; the "
                 "four-chamber view and the short axis look different enough.",
                 check=lambda: ev is not None and shown_task == "views"),
        Exercise("Give the model only 10 images per class and train. Compare train and test accuracy.",
                 "Training accuracy reaches 100%, test accuracy falls well below: with N = 1,024 weights per class "
                 "and a handful of images, the model memorises the training slices (overfitting). More data closes the "
                 "gap.",
                 check=lambda: ev is not None and s.n == 10),
        Exercise("Train the MLP with only 4 hidden units. Does it beat softmax regression?",
                 "Not clearly: four hidden units squeeze every image into 4 numbers before the 5-way softmax, and the "
                 "test accuracy lands near the linear model's, sometimes above, sometimes below. Try 32 units too: on a "
                 "few hundred synthetic slices the extra parameters mostly buy the power to memorise the training set. "
                 "Depth pays off with more data and harder problems.",
                 check=lambda: ev is not None and shown_task == "mlp" and s.hidden <= 4),
        Exercise("Make the windows twice the training size (×2). Where is the most confident window now, and how "
                 "big is it?",
                 "Usually close to the heart, but much bigger than it. A ×2 window shrunk to the input size shows the "
                 "whole body, as the training slices do, and the heart lies near the body's middle: the answer is "
                 "'a heart is somewhere in here'. ×1 windows are heart-sized but look like nothing the classifier was "
                 "trained on, so other bright blobs light up too. Try a few chest seeds and compare the distances.",
                 check=lambda: model is not None and s.scale == 2.0),

    ]


# ---------------------------------------------------------------------------------------------------
def body() -> None:
    """The page below its title, one fragment (a control's change reruns this, not the sidebar and the
    navigation); training and the finder are fragments inside it. A finished training reruns the app."""
    controls(P)
    s = read(Settings)
    st.fragment(training_panel)(s)
    with st.expander("Load a saved network instead (.npz from this page)"):
        upload = uploaded_model(s)
    trained = st.session_state.get(MODELS, {}).get(s.model_key())
    model = upload or trained
    ev = None
    if model is None:
        st.info("No model for these settings yet: press **Train** (a few seconds). Meanwhile, here is the data.",
                icon=":material/model_training:")
    else:
        source = ("The network loaded from the file, evaluated on this page's test images." if upload else
                  "Trained in this session: "
                  f"{classify.describe_network(model.clf.net.n_in, model.clf.K, model.clf.hidden)}.")
        data = data_for(s)          # drawn only when there is a model to evaluate (a second or more)
        ev = show_results(P, s, model, data, source)
        if model is trained:
            show_downloads(s, model, ev)
    show_data(s, expanded=model is None)

    st.subheader("Finding the heart: slide the classifier over a chest")
    if model is None:
        st.info("Press **Train** above: the model trained there is what slides over the chest.",
                icon=":material/search:")
    else:
        st.fragment(show_finder)(P, model)
    layout.show_exercises(PAGE, exercises(s, model, ev))


P = open_settings(Settings)
header()
layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
