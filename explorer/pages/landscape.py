"""The learning landscape: supervised, unsupervised, self-supervised and reinforcement learning, each live."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import landscape as charts
from explorer.core import landscape as core
from explorer.core import mri
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.url_state import Param, current, sanitize, select, show_notes, slider, toggle

PAGE = "landscape"
TABS = {"sup": "Supervised", "uns": "Unsupervised", "ssl": "Self-supervised", "rl": "Reinforcement"}
N_POINTS = 200
GRID_STEPS = 72          # the class-region grid: fine enough for the eye, a 5 KB image
MAX_ITERS = 15
MRI_PER_CLASS, MRI_SIZE, MRI_SEED = 50, 32, 0     # 250 synthetic slices, 32 × 32
TEST_SHARE = 0.3
N_IMAGES = MRI_PER_CLASS * len(mri.CLASSES)
N_TEST = N_IMAGES - int(round(N_IMAGES * (1 - TEST_SHARE)))
N_PCS = 20
DRAWS = 20
# The supervised classifier: 150 full-batch Adam steps at 0.1 fit these 100 points as well as 400 at 0.05
# did (same test accuracies on blobs and moons) in under half the time, so a new noise or seed answers fast.
SUP_STEPS, SUP_LR = 150, 0.1
MODELS = {0: "linear (logistic / softmax)", 16: "MLP (16 tanh units)"}
EPISODES = {n: f"{n:,}" for n in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)}
REPRESENTATIONS = {"pixels": f"raw pixels ({MRI_SIZE ** 2:,} numbers)", "learned": "learned by inpainting",
                   "random": "control: random directions"}
TRAINED = "_ls_rl_trained"      # session state: the Train button has been pressed

P = {
    "ls_tab": Param.choice("ls_tab", "sup", TABS),
    # the 2-D points (supervised and unsupervised)
    "ls_data": Param.choice("ls_data", "blobs", core.POINT_SETS),
    "ls_noise": Param("ls_noise", 0.1, "float", 0.0, 0.5),     # 0.1: two moons still look like moons
    "ls_seed": Param("ls_seed", 0, "int", 0, 999),
    # supervised
    "ls_model": Param.choice("ls_model", 16, MODELS),
    "ls_shuffle": Param("ls_shuffle", False, "bool"),
    # unsupervised: k-means and PCA
    "ls_k": Param("ls_k", 3, "int", 1, 8),
    "ls_init": Param.choice("ls_init", "k-means++", core.INITS),
    "ls_kseed": Param("ls_kseed", 0, "int", 0, 999),
    "ls_iter": Param("ls_iter", 1, "int", 0, MAX_ITERS),       # the first iteration: step on from here
    "ls_pcx": Param("ls_pcx", 1, "int", 1, 10),
    "ls_pcy": Param("ls_pcy", 2, "int", 1, 10),
    # self-supervised
    "ls_mask": Param.choice("ls_mask", "centre", core.MASKS),
    "ls_r": Param("ls_r", 2, "int", 1, 8),
    "ls_nlab": Param.choice("ls_nlab", 5, {n: str(n) for n in core.LABEL_COUNTS}),
    "ls_img": Param("ls_img", 1, "int", 1, N_TEST),
    # reinforcement
    "ls_world": Param.choice("ls_world", "pit", core.LAYOUT_NAMES),
    "ls_episodes": Param.choice("ls_episodes", 500, EPISODES),
    "ls_eps": Param("ls_eps", 0.1, "float", 0.0, 1.0),
    "ls_alpha": Param("ls_alpha", 0.5, "float", 0.05, 1.0),
    "ls_gamma": Param("ls_gamma", 0.95, "float", 0.0, 1.0),
    "ls_rlseed": Param("ls_rlseed", 0, "int", 0, 999),
}

sanitize(list(P.values()), PAGE)
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
show_notes(PAGE)

# a dataframe, not a markdown table: on a phone it scrolls inside its own box instead of widening the page
st.dataframe(pd.DataFrame({
    "Supervised": ["labelled X and Y", "the labels Y", "the map X → Y, to predict (“Is a cat?”)",
                   "a boundary between labelled points"],
    "Unsupervised": ["unlabelled X", "the structure of X", "groups and directions: a representation",
                     "k-means on the same points, PCA of MRI images"],
    "Self-supervised": ["unlabelled X", "a hidden part of X, predicted from the rest",
                        "a representation that helps downstream tasks", "fill in hidden pixels of MRI patches"],
    "Reinforcement": ["an environment to act in", "rewards, now and then", "actions that reach the goal",
                      "Q-learning in a grid world"],
}, index=["Data", "Learns from", "Learns", "Here"]), width="stretch")


# =============================================================================== cached work
@st.cache_data(max_entries=32, show_spinner=False)
def point_set(data: str, noise: float, seed: int):
    return core.points(data, N_POINTS, noise, seed)


def extent_of(X: np.ndarray) -> float:
    return float(np.ceil((np.abs(X).max() + 0.25) * 4) / 4)


@st.cache_data(max_entries=32, show_spinner="Training the classifier…")
def supervised(data: str, noise: float, seed: int, hidden: int, shuffle: bool) -> dict:
    X, labels = point_set(data, noise, seed)
    train, test = core.split(X.shape[1], 0.5, seed)
    y_train = labels[train]
    if shuffle:
        y_train = np.random.default_rng([seed, 5]).permutation(y_train)
    net = core.train_classifier(X[:, train], y_train, hidden, steps=SUP_STEPS, lr=SUP_LR, seed=seed)
    e = extent_of(X)
    g = np.linspace(-e, e, GRID_STEPS)
    x1, x2 = np.meshgrid(g, g)
    regions = core.predict_classes(net, np.stack([x1.ravel(), x2.ravel()])).reshape(GRID_STEPS, GRID_STEPS)
    return {"X": X, "labels": labels, "train": train, "test": test, "y_train": y_train, "g": g, "regions": regions,
            "train_acc": float(np.mean(core.predict_classes(net, X[:, train]) == y_train)),
            "test_acc": float(np.mean(core.predict_classes(net, X[:, test]) == labels[test]))}


@st.cache_data(max_entries=64, show_spinner=False)
def clusters(data: str, noise: float, seed: int, k: int, init: str, kseed: int) -> core.KMeansRun:
    X, _ = point_set(data, noise, seed)
    return core.kmeans(X, k, MAX_ITERS, kseed, init)


@st.cache_data(max_entries=1, show_spinner=f"Drawing {N_IMAGES} synthetic MRI slices…")
def mri_images():
    """Normalised images ``[B, 32, 32]``, their views, heart labels, and the (pool, test) split."""
    X, _, views = mri.make_dataset(MRI_PER_CLASS, MRI_SIZE, MRI_SEED)
    images = core.normalise_images(X, MRI_SIZE)
    heart = np.array([int(mri.HAS_HEART[mri.CLASSES[v]]) for v in views])
    pool, test = core.split(len(images), TEST_SHARE, MRI_SEED)
    return images, views, heart, pool, test


@st.cache_data(max_entries=1, show_spinner=False)
def mri_labels():
    """``(views, heart, pool, test)`` without the images: small, so quick to fetch from the cache."""
    return mri_images()[1:]


@st.cache_data(max_entries=16, show_spinner=False)
def mri_image(index: int) -> np.ndarray:
    return mri_images()[0][index]


@st.cache_data(max_entries=1, show_spinner="Computing the principal components…")
def principal_components() -> core.PCA:
    images = mri_images()[0]
    return core.pca(images.reshape(len(images), -1).T, N_PCS)


@st.cache_data(max_entries=4, show_spinner="Fitting the inpainter on every patch of the unlabelled images…")
def inpainter(mask: str):
    images, _, _, pool, test = mri_images()
    model = core.fit_inpainter(core.patches(images[pool]).reshape(-1, core.PATCH**2), core.patch_mask(mask))
    errors = core.inpaint_errors(model, core.patches(images[test]).reshape(-1, core.PATCH**2))
    return model, errors


@st.cache_data(max_entries=32, show_spinner="Training the downstream classifiers (20 draws of the labelled images "
                                            "per count)…")
def downstream(mask: str, r: int) -> dict:
    images, _, heart, pool, test = mri_images()
    model, _ = inpainter(mask)
    return core.compare_representations(images, heart, pool, test, model, r, core.LABEL_COUNTS, DRAWS, MRI_SEED)


@st.cache_data(max_entries=64, show_spinner="The agent is learning by trial and error…")
def agent(world: str, episodes: int, alpha: float, gamma: float, epsilon: float, seed: int) -> dict:
    grid = core.GridWorld(core.LAYOUTS[world])
    run = core.q_learning(grid, episodes, alpha, gamma, epsilon, seed)
    path, outcome = core.greedy_path(grid, run.Q)
    return {"run": run, "path": path, "outcome": outcome, "shortest": grid.shortest_path()}


def grid_arrays(world: str, run: core.QLearningRun | None):
    """``V`` and arrow text ``[H, W]`` for the chart: NaN / "" for walls, terminals and unvisited cells."""
    rows = core.LAYOUTS[world]
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
        arrows[r, c] = core.ARROWS[policy[s]]
    return V, arrows


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# =============================================================================== the 2-D points
def points_panel() -> tuple[str, float, int]:
    """The 2-D points' controls: shown on the Supervised and Unsupervised tabs (the same points on both)."""
    with st.container(border=True):
        st.markdown(f"**The 2-D points**: {N_POINTS} points, one column of X : 2 × {N_POINTS} each "
                    "(the same on *Supervised* and *Unsupervised*).")
        d1, d2, d3 = st.columns(3)
        with d1:
            data = select(P["ls_data"], "Point set")
        with d2:
            noise = float(slider(P["ls_noise"], "Noise", step=0.05))
        with d3:
            seed = int(slider(P["ls_seed"], "Seed of the points"))
    return data, noise, seed


# =============================================================================== supervised
def supervised_section(show: bool) -> None:
    st.markdown("**Labelled X and Y → learn X → Y → predict.** Half of the points, with their labels, "
                f"train a classifier (cross-entropy, Adam, {SUP_STEPS} steps); the other half test it. The labels are "
                "the only thing that tells the model what to look for.")
    left, right = st.columns([1, 2.2], gap="large")
    with left, st.container(border=True):
        hidden = select(P["ls_model"], "Classifier")
        shuffle = toggle(P["ls_shuffle"], "Shuffle the training labels",
                         help="Give every training point the label of another, at random: the same X, "
                              "supervision that means nothing.")
    if not show:
        return
    res = supervised(data, noise, seed, hidden, shuffle)
    chance = 1.0 / len(names)
    with left:
        st.metric("Training accuracy", pct(res["train_acc"]),
                  help="On the training points, against the labels the model was given"
                       + (" (shuffled)." if shuffle else "."))
        st.metric("Test accuracy", pct(res["test_acc"]),
                  help="On the test points the model never saw, against their true labels.")
        X, train, test = res["X"], res["train"], res["test"]
        st.caption(f"Guessing scores about {pct(chance)}. Measured on {train.size} training and {test.size} "
                   f"test points, {len(names)} classes, noise {noise:g}.")
    title = (f"{'Shuffled' if shuffle else 'True'} labels → predicted class: test accuracy {pct(res['test_acc'])}")
    with right:
        layout.show_figure(charts.class_regions(res["g"], res["g"], res["regions"], X[:, train], res["y_train"],
                                                X[:, test], res["labels"][test], names, title),
                           "supervised-boundary", key="ls_fig_sup")
    if shuffle:
        st.warning("With shuffled labels the supervision carries no information about X. "
                   + ("The MLP still fits part of the training set (it memorises), but on new points it is "
                      "back to guessing." if hidden else "The straight boundary finds no pattern to fit, and "
                      "on new points it is back to guessing."),
                   icon=":material/shuffle:")
    else:
        st.caption("Filled markers: training points, whose labels the model learned from. Open markers: test "
                   "points, never seen. The tinted fill is the class the model predicts at each place of the plane.")


# =============================================================================== unsupervised
def unsupervised_section(show: bool) -> None:
    st.markdown("**Unlabelled X → learn a representation.** The same 200 points, *without* their labels. "
                "**k-means** looks for k groups: it alternates (1) give every point to its nearest centroid, "
                "(2) move every centroid to the mean of its points. Both steps can only lower "
                "J = Σ ‖x − c‖², so it stops when nothing changes.")
    left, right = st.columns([1, 2.2], gap="large")
    with left, st.container(border=True):
        k = int(slider(P["ls_k"], "Number of clusters k"))
        init = select(P["ls_init"], "Start from")
        kseed = int(slider(P["ls_kseed"], "Seed of the start"))
        t = int(slider(P["ls_iter"], "Iteration t (0: the starting centroids)"))
    if show:
        run = clusters(data, noise, seed, k, init, kseed)
        X, truth = point_set(data, noise, seed)
        e = extent_of(X)
        conv = run.converged_at
        with right:
            state = "the start" if t == 0 else f"iteration {t}"
            if conv is not None and t >= conv:
                state += " (converged)"
            layout.show_figure(charts.kmeans_map(X, run.labels[t], run.centroids[: t + 1], f"k-means, k = {k}: "
                                                 f"{state}, J = {run.objective[t]:.3f}", (-e, e, -e, e)),
                               "kmeans-clusters", key="ls_fig_kmeans")
        with left:
            st.metric("J at this iteration", f"{run.objective[t]:.3f}",
                      help="Sum over all points of the squared distance to their centroid.")
            st.metric("Converged at", f"t = {conv}" if conv is not None else f"not within {MAX_ITERS}",
                      help="The first iteration whose assignment equals the previous one: later iterations "
                           "change nothing.")
            st.metric("Purity against the hidden labels", pct(core.purity(run.labels[t], truth)),
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
                           if init == "k-means++" else
                           "**Random points** may start two centroids in one group: the moves are longer, and "
                           "k-means can stop in a worse local minimum (compare J with k-means++). ")
                        + "Purity is measured with the labels the *Supervised* tab learned from; k-means "
                        "never saw them.")

    st.divider()
    st.markdown(f"**PCA of the synthetic MRI slices** ({N_IMAGES} images, {MRI_SIZE} × {MRI_SIZE} = "
                f"{MRI_SIZE ** 2:,} numbers each, each divided by its mean brightness). Principal component "
                "analysis finds the directions in which the images vary most: the eigenvectors of their "
                "covariance, computed from the SVD X − μ = U S Vᵀ. "
                "No labels are used; the scatter is coloured by view *after* the fit.")
    p1, p2, _ = st.columns([1, 1, 2])
    with p1:
        pcx = int(slider(P["ls_pcx"], "Horizontal axis: component"))
    with p2:
        pcy = int(slider(P["ls_pcy"], "Vertical axis: component"))
    if not show:
        return
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
def self_supervised_section(show: bool) -> None:
    st.markdown("**Unlabelled X → make a supervisory signal from X itself → learn a representation that helps "
                "downstream.** The task: in every 8 × 8 patch of the MRI slices, hide some pixels and predict "
                "them from the visible ones. The answers come free with the images, no one labels anything. "
                "The predictor is linear, ĥ = W (v − μᵥ) + μₕ, fitted by ridge least squares on all "
                f"overlapping patches of {N_IMAGES - N_TEST} unlabelled images.")
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            mask = select(P["ls_mask"], "Hidden part of each patch")
        with c2:
            r = int(slider(P["ls_r"], "Learned directions r",
                           help="How many numbers describe a patch: its size along the first r directions of Cov(ĥ, v) = W C_vv, the visible patterns that move the prediction most."))
        with c3:
            nlab = select(P["ls_nlab"], "Labels per class (downstream)")
        with c4:
            img = int(slider(P["ls_img"], "Test image shown"))
    if not show:
        return
    views, _, _, test = mri_labels()
    model, errors = inpainter(mask)
    index = int(test[img - 1])
    image = mri_image(index)
    masked, filled = core.inpaint_image(model, image)
    st.markdown("**1 · The pretext task: fill in the hidden pixels** (of a test image, never used for fitting)")
    layout.show_figure(charts.image_row([masked, filled, image],
                                        ["input: hidden pixels in orange", "prediction filled in", "truth"],
                                        f"Test image {img} ({mri.CLASSES[views[index]]}): every 8 × 8 tile, "
                                        f"{core.MASKS[mask]}", height=340, hidden_colour=charts.HIDDEN_COLOUR),
                       "ssl-inpainting", key="ls_fig_inpaint")
    m1, m2, m3 = st.columns(3)
    m1.metric("Mean squared error: the predictor", f"{errors['mse']:.3f}",
              help=f"Over the hidden pixels of every patch of the {N_TEST} test images (pixel values are relative to "
                   "the image's mean brightness, about 1).")
    m2.metric("Always predicting the average", f"{errors['mse_mean']:.3f}",
              help="The baseline: the mean hidden patch of the training patches, whatever is visible.")
    m3.metric("R² = 1 − error / baseline error", f"{errors['r2']:.2f}",
              help="1: perfect; 0: no better than the average.")
    st.markdown(f"**2 · What it learned: the first {r} direction{'s' if r > 1 else ''} of W** "
                "(W = U S Eᵀ; a row of Eᵀ weighs the visible pixels the prediction depends on most)")
    p = core.PATCH
    dirs = []
    for i in range(r):
        d = np.full(p * p, np.nan)
        d[~model.mask.ravel()] = model.directions[i]
        dirs.append(d.reshape(p, p))
    layout.show_figure(charts.image_row(dirs, [f"direction {i + 1}" for i in range(r)],
                                        "Learned patch features (blue > 0, red < 0; the hidden part in orange)",
                                        centred=True, height=300, hidden_colour=charts.HIDDEN_COLOUR, value="weight"),
                       "ssl-directions", key="ls_fig_directions")
    st.markdown("**3 · Reuse it downstream: heart or no heart, with few labels.** An image is described by |z| "
                f"of every overlapping patch, z = Eᵀᵣ (v − μᵥ) ({49 * r} numbers); logistic regression learns from "
                f"{nlab} labelled images per class. The **control**: random directions of the same shape. Does "
                "what was *learned* help, or only the patch-and-size recipe? (Mean ± one standard deviation over "
                f"{DRAWS} draws of the labelled images.)")
    acc = downstream(mask, r)
    j = core.LABEL_COUNTS.index(nlab)
    c1, c2 = st.columns([1.6, 1], gap="large")
    with c1:
        layout.show_figure(charts.accuracy_vs_labels(core.LABEL_COUNTS, acc, REPRESENTATIONS, nlab,
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
def reinforcement_section(show: bool) -> None:
    st.markdown("**An environment, actions and rewards → learn actions that reach the goal.** No one shows the "
                "agent the way. It moves (up, right, down, left), each move costs 0.04, the goal pays +1 and "
                "a pit −1, and both end the episode. **Tabular Q-learning** keeps a score Q(s, a) for every "
                "cell and move and, after each move, nudges it towards what the move earned plus the best it "
                "expects from the next cell:")
    st.latex(r"Q(s,a) \leftarrow Q(s,a) + \alpha\,\big[\,r + \gamma \max_{a'} Q(s',a') - Q(s,a)\,\big]")
    left, right = st.columns([1, 2.4], gap="large")
    with left, st.container(border=True):
        world = select(P["ls_world"], "Grid world")
        episodes = select(P["ls_episodes"], "Episodes of training")
        epsilon = float(slider(P["ls_eps"], "Exploration ε (chance of a random move)", step=0.01))
        alpha = float(slider(P["ls_alpha"], "Learning rate α", step=0.05))
        gamma = float(slider(P["ls_gamma"], "Discount γ", step=0.01))
        rlseed = int(slider(P["ls_rlseed"], "Seed"))
        if st.button("Train the agent", key="ls_train", type="primary", icon=":material/play_arrow:",
                     width="stretch"):
            st.session_state[TRAINED] = True
    if not show:
        return
    trained = bool(st.session_state.get(TRAINED))
    grid = core.GridWorld(core.LAYOUTS[world])
    if not trained:
        with right:
            V, arrows = grid_arrays(world, None)
            layout.show_figure(charts.grid_policy(grid.rows, V, arrows, None, f"{core.LAYOUT_NAMES[world]}: "
                                                  "the agent knows nothing yet"), "grid-world", key="ls_fig_grid")
            st.info("Press **Train the agent**: it plays the episodes from S, learning from each move. "
                    "After that the results follow the settings.", icon=":material/play_arrow:")
        return
    res = agent(world, episodes, alpha, gamma, epsilon, rlseed)
    run = res["run"]
    V, arrows = grid_arrays(world, run)
    shortest = res["shortest"]
    moves = len(res["path"]) - 1
    outcome = {1: f"reaches the goal in {moves} moves", -1: f"falls into a pit after {moves} moves",
               0: "walks in a loop and never arrives"}[res["outcome"]]
    with right:
        layout.show_figure(charts.grid_policy(grid.rows, V, arrows, res["path"],
                                              f"After {episodes:,} episodes: greedy policy (arrows) and "
                                              "V(s) = max Q(s, a)"), "grid-world", key="ls_fig_grid")
    with left:
        st.metric("Greedy path from S", f"{moves} moves" if res["outcome"] == 1 else "no goal",
                  f"shortest possible: {shortest}", delta_color="off", delta_arrow="off")
        last = run.outcome[-min(100, episodes):]
        st.metric(f"Goal reached, last {len(last)} episodes", pct(np.mean(last == 1)),
                  help="While training the agent still explores (ε), so some episodes fail even when its "
                       "greedy policy is right.")
        st.caption(f"{episodes:,} episodes, {int(run.lengths.sum()):,} moves of trial and error.")
    best = core.GOAL_REWARD + core.STEP_REWARD * (shortest - 1) if shortest else None
    window = max(1, min(50, episodes // 10))
    c1, c2 = st.columns([1.5, 1], gap="large")
    with c1:
        layout.show_figure(charts.reward_curve(run.returns, core.moving_average(run.returns, window), window, best,
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
        if world == "cliff" and epsilon > 0:
            st.caption("On the cliff, Q-learning learns the shortest path along the edge, but while it explores, "
                       "a random step can drop it in: the reward curve stays below the best even after learning.")


# =============================================================================== tabs
# The open tab is in the URL (ls_tab). Every tab's widgets run on every rerun, so the address always holds all
# settings; only the open tab computes and draws.
tabs = st.tabs(list(TABS.values()), key="ls_tab", bind="query-params")
# The points' controls sit in the open tab when it uses them; on the other tabs they run in the (hidden)
# Supervised tab, so that their settings stay in the address without cluttering a tab they do nothing on.
with tabs[1] if tabs[1].open else tabs[0]:
    data, noise, seed = points_panel()
names = ["class A", "class B", "class C"][: 3 if data == "blobs" else 2]
for tab, section in zip(tabs, (supervised_section, unsupervised_section, self_supervised_section,
                               reinforcement_section)):
    with tab:
        section(bool(tab.open))


def _v(name: str):
    return current(P[name])


layout.finish_page(PAGE, P.values(), [
    Exercise("Shuffle the training labels with the MLP. What happens to the training and the test accuracy?",
             "The training accuracy stays well above guessing: 16 tanh units can bend around part of the "
             "randomly labelled points (memorising). The test accuracy falls to about guessing (33% for three "
             "blobs): the points are the same, but the labels no longer say anything about X, so there is "
             "nothing to generalise. In supervised learning, the labels are the teacher.",
             check=lambda: _v("ls_shuffle") and _v("ls_model") == 16),
    Exercise("Choose two moons and k = 2 in the Unsupervised tab. Does k-means find the two moons?",
             "No. k-means gives each point to the nearest centroid, so two clusters are always split by a "
             "straight line (halfway between the centroids): it cuts across the interleaved moons. Its J is "
             "lower that way than for the true moons. Without labels, ‘structure’ means what the method "
             "measures: round, compact groups for k-means.",
             check=lambda: _v("ls_data") == "moons" and _v("ls_k") == 2),
    Exercise("In Self-supervised, hide the right half of each patch and keep r = 2. Do the learned directions "
             "now beat the random ones?",
             "Read the verdict under the chart: it compares learned and random directions draw by draw, on the "
             "same labelled images. Predicting a whole half from the other half forces W to use edges that run "
             "across the patch; hiding the centre asks for smooth fill-in. Which pretext task teaches features "
             "that help depends on what the downstream question needs.",
             check=lambda: _v("ls_mask") == "right" and _v("ls_r") == 2),
    Exercise("Train the agent on the cliff with ε = 0.1, then again with ε = 0. Compare the reward curves.",
             "With ε = 0.1 the greedy path runs along the cliff edge (the shortest, 8 moves), but the reward "
             "curve stays below the best possible: each random exploratory step next to the edge can fall in "
             "(−1). Q-learning learns the value of the greedy policy, not of the exploring one it follows "
             "(Sutton and Barto's cliff walking). With ε = 0 the agent only explores because all Q start at 0 "
             "and every move costs: it still finds the goal, and then earns the best reward every episode.",
             check=lambda: _v("ls_world") == "cliff" and bool(st.session_state.get(TRAINED))),
])
