"""The app's pages, in lecture order: one declared list used by app.py, the tests and the benchmarks."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).parent / "pages"


@dataclass(frozen=True)
class PageInfo:
    section: str     # sidebar group
    module: str      # file name in explorer/pages, without .py
    title: str
    icon: str
    url_path: str    # the page's address: http://host/<url_path>
    slides: str = "" # the lecture's slides this page turns into something to move
    blurb: str = ""  # one line for the home page

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.module}.py"


HOME = PageInfo("Start", "home", "Home", ":material/home:", "")
LECTURE = PageInfo("Start", "lecture", "Lecture", ":material/school:", "lecture", "",
                   "The whole lecture as one guided path of prepared pages, with questions; decks teachers build.")

PAGES: list[PageInfo] = [
    HOME,
    LECTURE,   # app.py lists it first in the sidebar
    PageInfo("From a line to probabilities", "linear_regression", "Linear regression", ":material/trending_down:",
             "regression", "Linear regression",
             "Fit y = w x + b by hand, see the loss bowl ℓ(w, b) and its closed-form bottom, and watch gradient "
             "descent converge or diverge around lr = 2/λ_max."),
    PageInfo("From a line to probabilities", "linear_map", "Linear map and batches", ":material/grid_on:",
             "linear-map", "Linear mapping, weights and bias; Process a Batch; Multi-class classification",
             "Z = W X + b for one image and a batch of B: every shape, the K·N + K parameters, and b broadcast "
             "over the B columns."),
    PageInfo("From a line to probabilities", "broadcasting", "Broadcasting", ":material/open_in_full:", "broadcasting",
             "Broadcasting",
             "Type shapes and watch numpy's rule align them from the right: 8×1×6×1 + 7×1×5 → 8×7×6×5, "
             "the bias b : K × 1 added to Z : K × B, and exactly where a pair fails."),
    PageInfo("From a line to probabilities", "softmax", "Sigmoid, softmax and logits", ":material/percent:", "softmax",
             "Enforce probability, Sigmoid function, Neuron, Binary classification, Multi-class classification, "
             "Softmax, Logits",
             "σ(z) and its inverse the logit, softmax over the five cardiac views with one-hot targets and "
             "cross-entropy, the softmax(z − max z) trick, and one neuron as logistic regression on the plane."),
    PageInfo("Images and data", "pixels", "Pixels are numbers", ":material/image:", "pixels",
             "Heart finding problem, Computer sees the number, not content, Model as a mapping function",
             "An image is a grid of numbers: read a 34 × 10 window of an MRI slice (or the cat, or your own file) "
             "as the slide's table and flatten it into X (N × 1, N = H × W) with its label Y."),
    PageInfo("Images and data", "features", "Feature engineering vs. learning", ":material/texture:", "features",
             "Feature engineering (histogram of oriented gradients); Data driven detection",
             "HOG, a human-designed feature: see it, derive its length, and pit one neuron on raw pixels against "
             "the same neuron on HOG (faces, synthetic MRI)."),
    PageInfo("Images and data", "landscape", "The learning landscape", ":material/landscape:", "landscape",
             "Deep Learning Landscapes",
             "Four ways to learn, live: a classifier from labelled points, k-means and PCA without labels, filling in "
             "hidden MRI pixels as a self-supervised task, and a Q-learning agent that finds the goal by trial."),
    PageInfo("Images and data", "heart_finder", "Heart finder", ":material/favorite:", "heart-finder",
             "Heart finding problem; Binary classification; Multi-class classification / Cardiac view detection",
             "Train logistic and softmax regression (and an MLP) live on synthetic MRI: class templates W, confusion "
             "matrix, softmax bars, and a sliding-window P(heart) map over a chest."),
    PageInfo("Neurons and networks", "activations", "Activation functions", ":material/show_chart:", "activations",
             "Activation functions",
             "σ, tanh, ReLU, leaky ReLU, maxout, ELU and modern extras: curves, derivatives, "
             "σ' = σ(1 − σ), the active range −5 to 5."),
    PageInfo("Neurons and networks", "mlp_builder", "MLP builder", ":material/account_tree:", "mlp",
             "Multi-layer perceptron, Forward pass, Number of parameters",
             "Build N → 3 → 2 → 1 and see every shape, the count 3N + 14 derived line by line, and a real "
             "forward pass."),
    PageInfo("Neurons and networks", "linear_collapse", "Why nonlinearity", ":material/linear_scale:", "collapse",
             "Nonlinear activation is necessary",
             "A deep all-linear network is one matrix, W_eff = W[3]W[2]W[1]: see it on numbers and on XOR."),
    PageInfo("Learning", "universal_approximation", "Universal approximation", ":material/functions:",
             "universal-approximation", "Universal Approximation",
             "One hidden layer, enough units: watch a 1 → width → 1 network build sin, |x| or a step as a sum "
             "of bumps and kinks, and its error fall as the width grows (Hornik, 1991)."),
    PageInfo("Learning", "playground", "Playground", ":material/model_training:", "playground",
             "Universal approximation, Binary vs. multi-class classification, Feature engineering",
             "Train a small network on 2-D data as in TensorFlow Playground: every unit's picture, the weights "
             "and the boundary change epoch by epoch."),
]
