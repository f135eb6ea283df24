"""The learning landscape: supervised, unsupervised, self-supervised and reinforcement learning, each live."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import landscape as charts
from explorer.core import clustering, components, inpainting, mri
from explorer.core import reinforcement as rl
from explorer.core import supervised as sup
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.settings.landscape import (MAX_ITERS, MRI_PER_CLASS, MRI_SEED, MRI_SIZE, N_IMAGES, N_TEST, TABS,
                                        TEST_SHARE, Settings)
from explorer.ui.exercises import refresh_on_change
from explorer.ui.url_state import open_settings, read, select, slider, toggle
from explorer.ui.tables import show_table

N_POINTS = 200
GRID_STEPS = 72          # the class-region grid: fine enough for the eye, a 5 KB image
N_PCS = 20
DRAWS = 20
# The supervised classifier: 150 full-batch Adam steps at 0.1 fit these 100 points as well as 400 at 0.05
# did (same test accuracies on blobs and moons) in under half the time, so a new noise or seed answers fast.
SUP_STEPS, SUP_LR = 150, 0.1
REPRESENTATIONS = {"pixels": f"raw pixels ({MRI_SIZE ** 2:,} numbers)", "learned": "learned by inpainting",
                   "random": "control: random directions"}
TRAINED = "_ls_rl_trained"      # session state: the Train button has been pressed
PAGE = Settings.__params__.page

# =============================================================================== cached work
@st.cache_data(max_entries=32, show_spinner=False)
def point_set(data: str, noise: float, seed: int):
    return sup.points(data, N_POINTS, noise, seed)


def extent_of(X: np.ndarray) -> float:
    return float(np.ceil((np.abs(X).max() + 0.25) * 4) / 4)


# no spinner: 150 steps on 100 points take a few tens of milliseconds, and a cache miss's spinner would add
# an element (and its removal) in the fragment, shifting the elements after it
@st.cache_data(max_entries=32, show_spinner=False)
def supervised(data: str, noise: float, seed: int, hidden: int, shuffle: bool) -> dict:
    X, labels = point_set(data, noise, seed)
    train, test = sup.split(X.shape[1], 0.5, seed)
    y_train = labels[train]
    if shuffle:
        y_train = np.random.default_rng([seed, 5]).permutation(y_train)
    net = sup.train_classifier(X[:, train], y_train, hidden, steps=SUP_STEPS, lr=SUP_LR, seed=seed)
    e = extent_of(X)
    g = np.linspace(-e, e, GRID_STEPS)
    x1, x2 = np.meshgrid(g, g)
    regions = sup.predict_classes(net, np.stack([x1.ravel(), x2.ravel()])).reshape(GRID_STEPS, GRID_STEPS)
    return {"X": X, "labels": labels, "train": train, "test": test, "y_train": y_train, "g": g, "regions": regions,
            "train_acc": float(np.mean(sup.predict_classes(net, X[:, train]) == y_train)),
            "test_acc": float(np.mean(sup.predict_classes(net, X[:, test]) == labels[test]))}


def build_supervised_figure(data: str, noise: float, seed: int, hidden: int, shuffle: bool, names: tuple):
    """The classifier's class regions over the plane, with the training and test points."""
    res = supervised(data, noise, seed, hidden, shuffle)
    X, train, test = res["X"], res["train"], res["test"]
    title = f"{'Shuffled' if shuffle else 'True'} labels → predicted class: test accuracy {pct(res['test_acc'])}"
    return charts.class_regions(res["g"], res["g"], res["regions"], X[:, train], res["y_train"], X[:, test],
                                res["labels"][test], list(names), title)


# built once per setting and shared read-only: a step back to a noise or seed already seen builds nothing
supervised_figure = st.cache_resource(max_entries=32, show_spinner=False)(build_supervised_figure)


@st.cache_data(max_entries=64, show_spinner=False)
def clusters(data: str, noise: float, seed: int, k: int, init: str, kseed: int) -> clustering.KMeansRun:
    X, _ = point_set(data, noise, seed)
    return clustering.kmeans(X, k, MAX_ITERS, kseed, init)


@st.cache_data(max_entries=1, show_spinner=f"Drawing {N_IMAGES} synthetic MRI slices…")
def mri_images():
    """Normalised images ``[B, 32, 32]``, their views, heart labels, and the (pool, test) split."""
    X, _, views = mri.make_dataset(MRI_PER_CLASS, MRI_SIZE, MRI_SEED)
    images = mri.normalise_images(X, MRI_SIZE)
    heart = np.array([int(mri.HAS_HEART[mri.CLASSES[v]]) for v in views])
    pool, test = sup.split(len(images), TEST_SHARE, MRI_SEED)
    return images, views, heart, pool, test


@st.cache_data(max_entries=1, show_spinner=False)
def mri_labels():
    """``(views, heart, pool, test)`` without the images: small, so quick to fetch from the cache."""
    return mri_images()[1:]


@st.cache_data(max_entries=16, show_spinner=False)
def mri_image(index: int) -> np.ndarray:
    return mri_images()[0][index]


@st.cache_data(max_entries=1, show_spinner="Computing the principal components…")
def principal_components() -> components.PCA:
    images = mri_images()[0]
    return components.pca(images.reshape(len(images), -1).T, N_PCS)


@st.cache_data(max_entries=4, show_spinner="Fitting the inpainter on every patch of the unlabelled images…")
def inpainter(mask: str):
    images, _, _, pool, test = mri_images()
    model = inpainting.fit_inpainter(inpainting.patches(images[pool]).reshape(-1, inpainting.PATCH**2), inpainting.patch_mask(mask))
    errors = inpainting.inpaint_errors(model, inpainting.patches(images[test]).reshape(-1, inpainting.PATCH**2))
    return model, errors


@st.cache_data(max_entries=32, show_spinner="Training the downstream classifiers (20 draws of the labelled images "
                                            "per count)…")
def downstream(mask: str, r: int) -> dict:
    images, _, heart, pool, test = mri_images()
    model, _ = inpainter(mask)
    return inpainting.compare_representations(images, heart, pool, test, model, r, inpainting.LABEL_COUNTS, DRAWS, MRI_SEED)


@st.cache_data(max_entries=64, show_spinner="The agent is learning by trial and error…")
def agent(world: str, episodes: int, alpha: float, gamma: float, epsilon: float, seed: int) -> dict:
    grid = rl.GridWorld(rl.LAYOUTS[world])
    run = rl.q_learning(grid, episodes, alpha, gamma, epsilon, seed)
    path, outcome = rl.greedy_path(grid, run.Q)
    return {"run": run, "path": path, "outcome": outcome, "shortest": grid.shortest_path()}


def grid_arrays(world: str, run: rl.QLearningRun | None):
    """``V`` and arrow text ``[H, W]`` for the chart: NaN / "" for walls, terminals and unvisited cells."""
    rows = rl.LAYOUTS[world]
    H, W = len(rows), len(rows[0])
    V = np.full((H, W), np.nan)
    arrows = np.full((H, W), "", dtype=object)
    if run is None:
        return V, arrows
    values, policy = run.values(), run.policy()
    for s in range(H * W):
        r, c = divmod(s, W)
        if rows[r][c] in "#GP" or run.visits[s] == 0:
            continue
        V[r, c] = values[s]
        arrows[r, c] = rl.ARROWS[policy[s]]
    return V, arrows


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def overview() -> None:
    """The title, what to try, and the four kinds of learning side by side."""
    layout.page_header(
        "The learning landscape",
        "The lecture's slide *Deep Learning Landscapes* names four ways to learn. They differ in **what the data "
        "gives you**: the answers Y (supervised), nothing but X (unsupervised), a signal made from X itself "
        "(self-supervised), or only a reward from an environment you act in (reinforcement). Each tab runs a "
        "small live example.",
        "shuffle the labels of the supervised points; step k-means through its iterations on the same points "
        "without labels; hide part of every MRI patch and predict it; train the grid-world agent for 20 and for "
        "2,000 episodes.",
        "the same points give a boundary when labelled and clusters when not; a task made from the images alone "
        "teaches features that help when labels are few; the agent learns from reward alone, badly at first.",
    )
    # on a phone the table scrolls inside its own box instead of widening the page
    show_table(pd.DataFrame({
        "Supervised": ["labelled X and Y", "the labels Y", "the map X → Y, to predict (“Is a cat?”)",
                       "a boundary between labelled points"],
        "Unsupervised": ["unlabelled X", "the structure of X", "groups and directions: a representation",
                         "k-means on the same points, PCA of MRI images"],
        "Self-supervised": ["unlabelled X", "a hidden part of X, predicted from the rest",
                            "a representation that helps downstream tasks", "fill in hidden pixels of MRI patches"],
        "Reinforcement": ["an environment to act in", "rewards, now and then", "actions that reach the goal",
                          "Q-learning in a grid world"],
    }, index=["Data", "Learns from", "Learns", "Here"]), index=True)


# =============================================================================== the 2-D points
def points_panel(P) -> None:
    """The 2-D points' controls: shown on the Supervised and Unsupervised tabs (the same points on both)."""
    with st.container(border=True):
        st.markdown(f"**The 2-D points**: {N_POINTS} points, one column of X : 2 × {N_POINTS} each "
                    "(the same on *Supervised* and *Unsupervised*).")
        d1, d2, d3 = st.columns(3)
        with d1:
            select(P.data, "Point set")
        with d2:
            slider(P.noise, "Noise", step=0.05)
        with d3:
            slider(P.seed, "Seed of the points")


# =============================================================================== supervised
@st.fragment
def supervised_tab(P, points_here: bool, show: bool) -> None:
    """The Supervised tab. A fragment: a change of its controls (the points' among them, while they
    sit here) reruns this tab only."""
    if points_here:
        points_panel(P)
    st.markdown("**Labelled X and Y → learn X → Y → predict.** Half of the points, with their labels, "
                f"train a classifier (cross-entropy, Adam, {SUP_STEPS} steps); the other half test it. The labels are "
                "the only thing that tells the model what to look for.")
    left, right = st.columns([1, 2.2], gap="large")
    with left, st.container(border=True):
        select(P.model, "Classifier")
        toggle(P.shuffle, "Shuffle the training labels",
               help="Give every training point the label of another, at random: the same X, "
                    "supervision that means nothing.")
    if show:
        s = read(Settings)
        refresh_on_change(PAGE, "supervised", (s.data, s.k, s.model, s.shuffle))
        supervised_section(s, left, right)


def supervised_section(s: Settings, left, right) -> None:
    """The classifier's accuracies and its class regions over the plane, with the points."""
    res = supervised(s.data, s.noise, s.seed, s.model, s.shuffle)
    names = s.class_names
    train, test = res["train"], res["test"]
    with left:
        st.metric("Training accuracy", pct(res["train_acc"]),
                  help="On the training points, against the labels the model was given"
                       + (" (shuffled)." if s.shuffle else "."))
        st.metric("Test accuracy", pct(res["test_acc"]),
                  help="On the test points the model never saw, against their true labels.")
        st.caption(f"Guessing scores about {pct(1.0 / len(names))}. Measured on {train.size} training and "
                   f"{test.size} test points, {len(names)} classes, noise {s.noise:g}.")
    # presenter mode enlarges the figure in place: a fresh one then, never the shared cached one
    figure = (build_supervised_figure if layout.presenter() else supervised_figure)(
        s.data, s.noise, s.seed, s.model, s.shuffle, tuple(names))
    with right:
        layout.show_figure(figure, "supervised-boundary", key="ls_fig_sup")
    if s.shuffle:
        st.warning("With shuffled labels the supervision carries no information about X. "
                   + ("The MLP still fits part of the training set (it memorises), but on new points it is "
                      "back to guessing." if s.model else "The straight boundary finds no pattern to fit, and "
                      "on new points it is back to guessing."),
                   icon=":material/shuffle:")
    else:
        st.caption("Filled markers: training points, whose labels the model learned from. Open markers: test "
                   "points, never seen. The tinted fill is the class the model predicts at each place of the plane.")


# =============================================================================== unsupervised
@st.fragment
def unsupervised_tab(P, points_here: bool, show: bool) -> None:
    """The Unsupervised tab: k-means on the 2-D points, PCA of the MRI slices. A fragment, as the others."""
    if points_here:
        points_panel(P)
    st.markdown("**Unlabelled X → learn a representation.** The same 200 points, *without* their labels. "
                "**k-means** looks for k groups: it alternates (1) give every point to its nearest centroid, "
                "(2) move every centroid to the mean of its points. Both steps can only lower "
                "J = Σ ‖x − c‖², so it stops when nothing changes.")
    left, right = st.columns([1, 2.2], gap="large")
    with left, st.container(border=True):
        slider(P.k, "Number of clusters k")
        select(P.init, "Start from")
        slider(P.kseed, "Seed of the start")
        slider(P.iter, "Iteration t (0: the starting centroids)")
    if show:
        s = read(Settings)
        refresh_on_change(PAGE, "unsupervised", (s.data, s.k))
        clustering_section(s, left, right)
    st.divider()
    st.markdown(f"**PCA of the synthetic MRI slices** ({N_IMAGES} images, {MRI_SIZE} × {MRI_SIZE} = "
                f"{MRI_SIZE ** 2:,} numbers each, each divided by its mean brightness). Principal component "
                "analysis finds the directions in which the images vary most: the eigenvectors of their "
                "covariance, computed from the SVD X − μ = U S Vᵀ. "
                "No labels are used; the scatter is coloured by view *after* the fit.")
    p1, p2, _ = st.columns([1, 1, 2])
    with p1:
        slider(P.pcx, "Horizontal axis: component")
    with p2:
        slider(P.pcy, "Vertical axis: component")
    if show:
        components_section(read(Settings))


def clustering_section(s: Settings, left, right) -> None:
    """k-means at iteration t: the clusters and centroid trails, J, convergence, purity, J's curve."""
    run = clusters(s.data, s.noise, s.seed, s.k, s.init, s.kseed)
    X, truth = point_set(s.data, s.noise, s.seed)
    e = extent_of(X)
    t, conv = s.iter, run.converged_at
    with right:
        state = "the start" if t == 0 else f"iteration {t}"
        if conv is not None and t >= conv:
            state += " (converged)"
        layout.show_figure(charts.kmeans_map(X, run.labels[t], run.centroids[: t + 1], f"k-means, k = {s.k}: "
                                             f"{state}, J = {run.objective[t]:.3f}", (-e, e, -e, e)),
                           "kmeans-clusters", key="ls_fig_kmeans")
    with left:
        st.metric("J at this iteration", f"{run.objective[t]:.3f}",
                  help="Sum over all points of the squared distance to their centroid.")
        st.metric("Converged at", f"t = {conv}" if conv is not None else f"not within {MAX_ITERS}",
                  help="The first iteration whose assignment equals the previous one: later iterations "
                       "change nothing.")
        st.metric("Purity against the hidden labels", pct(clustering.purity(run.labels[t], truth)),
                  help="Looked at only after the fact: the share of points whose cluster's most common "
                       "true class is their own. k-means never saw the labels.")
    c1, c2 = st.columns([1.4, 1], gap="large")
    with c1:
        layout.show_figure(charts.objective_curve(run.objective, t, conv, "The objective J never goes up"),
                           "kmeans-objective", key="ls_fig_objective")
    with c2:
        st.markdown("The dotted trails are the centroids' moves, from the start (t = 0) to t. "
                    + ("**k-means++** starts from spread-out points (each next one drawn with probability "
                       "∝ its squared distance to the centroids so far), so few moves are needed. "
                       if s.init == "k-means++" else
                       "**Random points** may start two centroids in one group: the moves are longer, and "
                       "k-means can stop in a worse local minimum (compare J with k-means++). ")
                    + "Purity is measured with the labels the *Supervised* tab learned from; k-means "
                    "never saw them.")


def components_section(s: Settings) -> None:
    """PCA of the MRI slices: the images on two chosen components, the explained variance, eigen-images."""
    pcx, pcy = s.pcx, s.pcy
    fit = principal_components()
    views = mri_labels()[0]
    c1, c2 = st.columns([1.3, 1], gap="large")
    with c1:
        if pcx == pcy:
            st.info("Both axes show the same component: pick two different ones to see a plane.",
                    icon=":material/info:")
        layout.show_figure(charts.pca_scatter(fit.scores[pcx - 1], fit.scores[pcy - 1], views, mri.CLASSES,
                                              f"PC{pcx} score ({pct(fit.ratio[pcx - 1])} of the variance)",
                                              f"PC{pcy} score ({pct(fit.ratio[pcy - 1])} of the variance)",
                                              f"{N_IMAGES} images on PC{pcx} and PC{pcy}, coloured by view afterwards"),
                           "pca-scatter", key="ls_fig_pca")
    with c2:
        layout.show_figure(charts.variance_bars(fit.ratio, "Explained variance per component"),
                           "pca-variance", key="ls_fig_variance")
    eigen = [fit.mean[:, 0].reshape(MRI_SIZE, MRI_SIZE)] + [fit.components[:, i].reshape(MRI_SIZE, MRI_SIZE)
                                                            for i in range(5)]
    tiles = ["mean image μ"] + [f"PC{i + 1}: {pct(fit.ratio[i])}" for i in range(5)]
    layout.show_figure(charts.image_row(eigen, tiles,
                                        "The mean image (grey) and the first five eigen-images (blue > 0, red < 0)",
                                        centred=[False] + [True] * 5, shared=False, height=270),
                       "pca-eigen-images", key="ls_fig_eigen")
    st.caption("Every image ≈ μ + z₁·PC1 + z₂·PC2 + …; the scatter shows each image's z for the two chosen "
               "components. Views that land in separate places differ along those directions, found without "
               "a single label.")


# =============================================================================== self-supervised
@st.fragment
def self_supervised_tab(P, show: bool) -> None:
    """The Self-supervised tab: in-painting MRI patches, and what that teaches downstream. A fragment."""
    st.markdown("**Unlabelled X → make a supervisory signal from X itself → learn a representation that helps "
                "downstream.** The task: in every 8 × 8 patch of the MRI slices, hide some pixels and predict "
                "them from the visible ones. The answers come free with the images, no one labels anything. "
                "The predictor is linear, ĥ = W (v − μᵥ) + μₕ, fitted by ridge least squares on all "
                f"overlapping patches of {N_IMAGES - N_TEST} unlabelled images.")
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            select(P.mask, "Hidden part of each patch")
        with c2:
            slider(P.r, "Learned directions r",
                   help="How many numbers describe a patch: its size along the first r directions of "
                        "Cov(ĥ, v) = W C_vv, the visible patterns that move the prediction most.")
        with c3:
            select(P.nlab, "Labels per class (downstream)")
        with c4:
            slider(P.img, "Test image shown")
    if show:
        s = read(Settings)
        refresh_on_change(PAGE, "self-supervised", (s.mask, s.r))
        inpainting_section(s)


def inpainting_section(s: Settings) -> None:
    """1: a test image's hidden pixels filled in, the errors; 2: the learned directions; 3: downstream."""
    views, _, _, test = mri_labels()
    model, errors = inpainter(s.mask)
    index = int(test[s.img - 1])
    image = mri_image(index)
    masked, filled = inpainting.inpaint_image(model, image)
    st.markdown("**1 · The pretext task: fill in the hidden pixels** (of a test image, never used for fitting)")
    layout.show_figure(charts.image_row([masked, filled, image],
                                        ["input: hidden pixels in orange", "prediction filled in", "truth"],
                                        f"Test image {s.img} ({mri.CLASSES[views[index]]}): every 8 × 8 tile, "
                                        f"{inpainting.MASKS[s.mask]}", height=340, hidden_colour=charts.HIDDEN_COLOUR),
                       "ssl-inpainting", key="ls_fig_inpaint")
    m1, m2, m3 = st.columns(3)
    m1.metric("Mean squared error: the predictor", f"{errors['mse']:.3f}",
              help=f"Over the hidden pixels of every patch of the {N_TEST} test images (pixel values are relative to "
                   "the image's mean brightness, about 1).")
    m2.metric("Always predicting the average", f"{errors['mse_mean']:.3f}",
              help="The baseline: the mean hidden patch of the training patches, whatever is visible.")
    m3.metric("R² = 1 − error / baseline error", f"{errors['r2']:.2f}",
              help="1: perfect; 0: no better than the average.")
    learned_directions(model, s.r)
    downstream_section(s)


def learned_directions(model, r: int) -> None:
    """The first r directions of the in-painter as patches (what the pretext task taught)."""
    st.markdown(f"**2 · What it learned: the first {r} direction{'s' if r > 1 else ''} of W** "
                "(W = U S Eᵀ; a row of Eᵀ weighs the visible pixels the prediction depends on most)")
    p = inpainting.PATCH
    dirs = []
    for i in range(r):
        d = np.full(p * p, np.nan)
        d[~model.mask.ravel()] = model.directions[i]
        dirs.append(d.reshape(p, p))
    layout.show_figure(charts.image_row(dirs, [f"direction {i + 1}" for i in range(r)],
                                        "Learned patch features (blue > 0, red < 0; the hidden part in orange)",
                                        centred=True, height=300, hidden_colour=charts.HIDDEN_COLOUR, value="weight"),
                       "ssl-directions", key="ls_fig_directions")


def downstream_section(s: Settings) -> None:
    """Heart or no heart from few labels: raw pixels, the learned features and the random control."""
    mask, r, nlab = s.mask, s.r, s.nlab
    st.markdown("**3 · Reuse it downstream: heart or no heart, with few labels.** An image is described by |z| "
                f"of every overlapping patch, z = Eᵀᵣ (v − μᵥ) ({49 * r} numbers); logistic regression learns from "
                f"{nlab} labelled images per class. The **control**: random directions of the same shape. Does "
                "what was *learned* help, or only the patch-and-size recipe? (Mean ± one standard deviation over "
                f"{DRAWS} draws of the labelled images.)")
    acc = downstream(mask, r)
    j = inpainting.LABEL_COUNTS.index(nlab)
    c1, c2 = st.columns([1.6, 1], gap="large")
    with c1:
        layout.show_figure(charts.accuracy_vs_labels(inpainting.LABEL_COUNTS, acc, REPRESENTATIONS, nlab,
                                                     f"Heart vs no heart on {N_TEST} test images"),
                           "ssl-downstream", key="ls_fig_downstream")
    with c2:
        for key, label in REPRESENTATIONS.items():
            a = acc[key][j]
            st.metric(f"{label}, {nlab} labels per class", f"{100 * a.mean():.1f}%", f"± {100 * a.std():.1f}",
                      delta_color="off", delta_arrow="off")
    verdict = control_verdict(acc["learned"][j], acc["random"][j])
    (st.success if verdict["clear"] and verdict["gain"] > 0 else st.info)(
        verdict["text"] + f" Raw pixels: {100 * acc['pixels'][j].mean():.1f}%.", icon=":material/science:")
    st.caption(f"A toy: one linear predictor, {N_IMAGES} cartoon images, balanced accuracy (the mean of the hit "
               "rates on heart and on no-heart images: guessing scores 50%). Real self-supervised learning "
               "(masked autoencoders, contrastive learning) uses deep networks and millions of images.")


def control_verdict(learned: np.ndarray, control: np.ndarray) -> dict:
    """The learned features against the random-directions control, draw by draw (the same labelled images
    in each draw): the mean gain, in how many draws the learned ones win, and whether the gain is clear
    (more than twice its standard error and at least one point)."""
    diff = np.asarray(learned, dtype=float) - np.asarray(control, dtype=float)
    n = diff.size
    gain = float(diff.mean())
    se = float(diff.std(ddof=1) / np.sqrt(n)) if n > 1 else float("inf")
    wins = int(np.sum(diff > 0))
    clear = abs(gain) >= 0.01 and abs(gain) > 2 * se
    L, R = 100 * float(np.mean(learned)), 100 * float(np.mean(control))
    numbers = f"{L:.1f}% against {R:.1f}% ({100 * gain:+.1f} points; better in {wins} of {n} draws)"
    if clear and gain > 0:
        text = (f"**The learned in-painting features beat the random-directions control: {numbers}.** What the "
                "pretext task learned helps, not only the recipe.")
    elif clear:
        text = (f"**The learned in-painting features trail the random-directions control: {numbers}.** Here the "
                "recipe does the work, not what was learned.")
    else:
        text = (f"**The learned in-painting features and the random-directions control are level: {numbers}**, "
                "within the spread between draws.")
    return {"gain": gain, "se": se, "wins": wins, "n": n, "clear": clear, "text": text}


# =============================================================================== reinforcement
@st.fragment
def reinforcement_tab(P, show: bool) -> None:
    """The Reinforcement tab: a grid world and tabular Q-learning, trained on demand. A fragment."""
    st.markdown("**An environment, actions and rewards → learn actions that reach the goal.** No one shows the "
                "agent the way. It moves (up, right, down, left), each move costs 0.04, the goal pays +1 and "
                "a pit −1, and both end the episode. **Tabular Q-learning** keeps a score Q(s, a) for every "
                "cell and move and, after each move, nudges it towards what the move earned plus the best it "
                "expects from the next cell:")
    st.latex(r"Q(s,a) \leftarrow Q(s,a) + \alpha\,\big[\,r + \gamma \max_{a'} Q(s',a') - Q(s,a)\,\big]")
    left, right = st.columns([1, 2.4], gap="large")
    with left, st.container(border=True):
        select(P.world, "Grid world")
        select(P.episodes, "Episodes of training")
        slider(P.eps, "Exploration ε (chance of a random move)", step=0.01)
        slider(P.alpha, "Learning rate α", step=0.05)
        slider(P.gamma, "Discount γ", step=0.01)
        slider(P.rlseed, "Seed")
        if st.button("Train the agent", key="ls_train", type="primary", icon=":material/play_arrow:",
                     width="stretch"):
            st.session_state[TRAINED] = True
    if not show:
        return
    s = read(Settings)
    trained = bool(st.session_state.get(TRAINED))
    refresh_on_change(PAGE, "reinforcement", (s.world, trained))
    grid = rl.GridWorld(rl.LAYOUTS[s.world])
    if not trained:
        with right:
            V, arrows = grid_arrays(s.world, None)
            layout.show_figure(charts.grid_policy(grid.rows, V, arrows, None, f"{rl.LAYOUT_NAMES[s.world]}: "
                                                  "the agent knows nothing yet"), "grid-world", key="ls_fig_grid")
            st.info("Press **Train the agent**: it plays the episodes from S, learning from each move. "
                    "After that the results follow the settings.", icon=":material/play_arrow:")
        return
    reinforcement_section(s, grid, left, right)


def reinforcement_section(s: Settings, grid: rl.GridWorld, left, right) -> None:
    """The trained agent: its greedy policy and path, how often it reached the goal, its reward curve."""
    res = agent(s.world, s.episodes, s.alpha, s.gamma, s.eps, s.rlseed)
    run = res["run"]
    V, arrows = grid_arrays(s.world, run)
    shortest = res["shortest"]
    moves = len(res["path"]) - 1
    outcome = {1: f"reaches the goal in {moves} moves", -1: f"falls into a pit after {moves} moves",
               0: "walks in a loop and never arrives"}[res["outcome"]]
    with right:
        layout.show_figure(charts.grid_policy(grid.rows, V, arrows, res["path"],
                                              f"After {s.episodes:,} episodes: greedy policy (arrows) and "
                                              "V(s) = max Q(s, a)"), "grid-world", key="ls_fig_grid")
    with left:
        st.metric("Greedy path from S", f"{moves} moves" if res["outcome"] == 1 else "no goal",
                  f"shortest possible: {shortest}", delta_color="off", delta_arrow="off")
        last = run.outcome[-min(100, s.episodes):]
        st.metric(f"Goal reached, last {len(last)} episodes", pct(np.mean(last == 1)),
                  help="While training the agent still explores (ε), so some episodes fail even when its "
                       "greedy policy is right.")
        st.caption(f"{s.episodes:,} episodes, {int(run.lengths.sum()):,} moves of trial and error.")
    reward_section(s, res, outcome, moves)


def reward_section(s: Settings, res: dict, outcome: str, moves: int) -> None:
    """The reward per episode while learning, beside what the greedy agent does."""
    run, shortest = res["run"], res["shortest"]
    best = rl.GOAL_REWARD + rl.STEP_REWARD * (shortest - 1) if shortest else None
    window = max(1, min(50, s.episodes // 10))
    c1, c2 = st.columns([1.5, 1], gap="large")
    with c1:
        layout.show_figure(charts.reward_curve(run.returns, rl.moving_average(run.returns, window), window, best,
                                               "Reward per episode while learning"), "reward-curve",
                           key="ls_fig_reward")
    with c2:
        optimal = res["outcome"] == 1 and moves == shortest
        st.markdown(f"The greedy agent (always the best-scored move, no exploration) **{outcome}**"
                    + (" — a shortest path." if optimal else ".")
                    + " Cells without an arrow were never visited. V(s) is the discounted reward the agent "
                      "expects from each cell: it grows towards the goal.")
        if not optimal:
            st.warning("Not there yet: train for more episodes, or explore more (raise ε).", icon=":material/explore:")
        if s.world == "cliff" and s.eps > 0:
            st.caption("On the cliff, Q-learning learns the shortest path along the edge, but while it explores, "
                       "a random step can drop it in: the reward curve stays below the best even after learning.")


def exercises(s: Settings) -> list[Exercise]:
    return [
        Exercise("Shuffle the training labels with the MLP. What happens to the training and the test accuracy?",
                 "The training accuracy stays well above guessing: 16 tanh units can bend around part of the "
                 "randomly labelled points (memorising). The test accuracy falls to about guessing (33% for three "
                 "blobs): the points are the same, but the labels no longer say anything about X, so there is "
                 "nothing to generalise. In supervised learning, the labels are the teacher.",
                 check=lambda: s.shuffle and s.model == 16),
        Exercise("Choose two moons and k = 2 in the Unsupervised tab. Does k-means find the two moons?",
                 "No. k-means gives each point to the nearest centroid, so two clusters are always split by a "
                 "straight line (halfway between the centroids): it cuts across the interleaved moons. Its J is "
                 "lower that way than for the true moons. Without labels, ‘structure’ means what the method "
                 "measures: round, compact groups for k-means.",
                 check=lambda: s.data == "moons" and s.k == 2),
        Exercise("In Self-supervised, hide the right half of each patch and keep r = 2. Do the learned directions "
                 "now beat the random ones?",
                 "Read the verdict under the chart: it compares learned and random directions draw by draw, on the "
                 "same labelled images. Predicting a whole half from the other half forces W to use edges that run "
                 "across the patch; hiding the centre asks for smooth fill-in. Which pretext task teaches features "
                 "that help depends on what the downstream question needs.",
                 check=lambda: s.mask == "right" and s.r == 2),
        Exercise("Train the agent on the cliff with ε = 0.1, then again with ε = 0. Compare the reward curves.",
                 "With ε = 0.1 the greedy path runs along the cliff edge (the shortest, 8 moves), but the reward "
                 "curve stays below the best possible: each random exploratory step next to the edge can fall in "
                 "(−1). Q-learning learns the value of the greedy policy, not of the exploring one it follows "
                 "(Sutton and Barto's cliff walking). With ε = 0 the agent only explores because all Q start at 0 "
                 "and every move costs: it still finds the goal, and then earns the best reward every episode.",
                 check=lambda: s.world == "cliff" and bool(st.session_state.get(TRAINED))),
    ]


# =============================================================================== the page
P = open_settings(Settings)
overview()
# The open tab is in the URL (ls_tab). Every tab's widgets run on every full rerun, so the address always holds
# all settings; only the open tab computes and draws. Each tab is a fragment: its controls rerun it alone.
tabs = st.tabs(list(TABS.values()), key="ls_tab", bind="query-params")
# The points' controls sit in the open tab when it uses them; on the other tabs they run in the (hidden)
# Supervised tab, so that their settings stay in the address without cluttering a tab they do nothing on.
with tabs[0]:
    supervised_tab(P, points_here=not tabs[1].open, show=bool(tabs[0].open))
with tabs[1]:
    unsupervised_tab(P, points_here=bool(tabs[1].open), show=bool(tabs[1].open))
with tabs[2]:
    self_supervised_tab(P, show=bool(tabs[2].open))
with tabs[3]:
    reinforcement_tab(P, show=bool(tabs[3].open))
layout.finish_page(PAGE, P.values(), exercises(read(Settings)))
