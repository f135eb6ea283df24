"""Every "Try this" exercise is driven to "not yet" and to "yes" by an AppTest (issue 12).

The pages' own exercise tests cover heart_finder, linear_collapse, universal_approximation and
landscape; this file covers the other pages. A case names the exercise by its number and the start
of its prompt, a way to bring the page into a state (a link's settings, a widget action, or for the
playground the browser's report), and the state the exercise's expander must show then:

- "yes": exactly one success, the exercise's ``done`` text, and no hint;
- "not yet": exactly one info, the exercise's ``hint``, and no success;
- "none": neither (a check that cannot tell, by design).

Where a "yes" state needs a number (the regression's optimum, its stable learning rate, a trained
spiral network), it is computed here with explorer.core, and the precondition is asserted first.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pytest

from explorer.core import datasets
from explorer.core import features as feats
from explorer.core.activations import ACTIVATIONS, sigmoid
from explorer.core.broadcasting import explain_broadcast, parse_shape
from explorer.core.hog_features import layout as hog_layout
from explorer.core.hog_features import too_small
from explorer.core.images import SAMPLES
from explorer.core.mlp import MLP, twin_json
from explorer.core.probability import logit, softmax_with_temperature
from explorer.core.regression import least_squares, make_line_data, max_stable_lr, sse_loss
from explorer.core.train import Trainer, accuracy
from explorer.settings.declare import params_of
from explorer.settings.linear_map import Settings as LinearMap
from explorer.settings.linear_regression import Settings as Regression
from explorer.settings.mlp_builder import HEAD_LABELS, INPUTS as MLP_INPUTS
from explorer.settings.mlp_builder import Settings as MlpBuilder
from explorer.settings.pixels import LABELS_Y
from explorer.settings.softmax import Settings as Softmax
from explorer.ui.exercises import Exercise
from tests.pages.conftest import assert_clean, metric, run_page
from tests.pages.test_playground import payload, report_from, send

DONE = Exercise.__dataclass_fields__["done"].default
HINT = Exercise.__dataclass_fields__["hint"].default


@dataclass(frozen=True)
class Case:
    page: str
    number: int                 # the exercise's number on the page (1-based)
    prompt: str                 # the start of its prompt
    expected: str               # "yes", "not yet" or "none"
    query: dict = field(default_factory=dict)
    drive: Callable | None = None     # instead of a query: a function that returns the AppTest in that state
    done: str = DONE
    why: str = ""               # what the state is, for the test's id

    def id(self) -> str:
        return f"{self.page}-{self.number}-{self.expected.replace(' ', '_')}" + (f"-{self.why}" if self.why else "")


@functools.lru_cache(maxsize=None)
def _cached_run(page: str, query: tuple):
    """One AppTest run per (page, link): several "not yet" cases read the same default page."""
    at = run_page(page, dict(query))
    assert_clean(at)
    return at


def page_in_state(case: Case):
    if case.drive is not None:
        at = case.drive()
        assert_clean(at)
        return at
    return _cached_run(case.page, tuple(sorted(case.query.items())))


def shown(at, number: int, prompt: str) -> tuple[list[str], list[str]]:
    """The successes and infos inside the exercise's expander."""
    found = [e for e in at.expander if e.label.startswith(f"{number}. {prompt}")]
    assert len(found) == 1, f"no single exercise {number}. {prompt!r} among {[e.label for e in at.expander]}"
    return [s.value for s in found[0].success], [i.value for i in found[0].info]


# -- the values the "yes" states need, from explorer.core -----------------------------------------------
def _regression():
    d = params_of(Regression)
    x, y = make_line_data(d.n.default, d.true_w.default, d.true_b.default, d.noise.default, d.seed.default)
    w, b = least_squares(x, y)
    w2, b2 = round(w, 2), round(b, 2)             # what the sliders (step 0.01) can reach
    loss_min = sse_loss(w, b, x, y)
    assert sse_loss(w2, b2, x, y) <= 1.01 * loss_min < sse_loss(d.w.default, d.b.default, x, y)
    lr_max = max_stable_lr(x)
    diverging = float(f"{1.05 * lr_max:.3g}")      # as the 1.05 × button sets it
    assert d.rate.default < lr_max < diverging
    return w2, b2, diverging


W_STAR, B_STAR, LR_DIVERGING = _regression()

SIGMOID_SATURATED = 7.0
assert ACTIVATIONS["sigmoid"].df(SIGMOID_SATURATED) < 0.0025 < ACTIVATIONS["sigmoid"].df(0.0)

assert not explain_broadcast(parse_shape("8x1x6x1"), parse_shape("7x3x5")).ok
assert explain_broadcast(parse_shape("8x1x6x1"), parse_shape("7x1x5")).ok     # the default does broadcast

HEART = (32, 32)
assert too_small(HEART, 17, 2) and not too_small(HEART, 8, 2)
assert hog_layout(HEART, 4, 8, 1).length == 64 < 100 <= hog_layout(HEART, 9, 8, 2).length

Z_09 = round(float(logit(0.9)), 1)                    # the z slider's step is 0.1
assert abs(sigmoid(Z_09) - 0.9) < 0.005 and abs(sigmoid(params_of(Softmax).z.default) - 0.9) >= 0.005
_LOGITS = [p.default for p in params_of(Softmax) if p.key in {f"sm_z{k}" for k in range(5)}]
_LOGITS[2] = 5.0
assert softmax_with_temperature(np.array(_LOGITS), 1.0)[2] > 0.9 > softmax_with_temperature(np.array(_LOGITS), 2.0)[2]


# -- the playground: play the browser ----------------------------------------------------------------------
SPIRAL = {"pg_data": "spiral", "pg_L": "1", "pg_w1": "8", "pg_sin1": "true", "pg_sin2": "true"}
SPIRAL_FEATURES = ("x1", "x2", "sin1", "sin2")        # x₁, x₂ stay on


def spiral_net() -> MLP:
    return MLP(len(SPIRAL_FEATURES), [8, 1], ["tanh", "sigmoid"], seed=1)


@functools.lru_cache(maxsize=None)
def trained_spiral() -> tuple[dict, float]:
    """The spiral network the page seeds (x₁, x₂, sin x₁, sin x₂ → 8 tanh → 1), trained by explorer.core as
    the browser would (Adam, lr 0.03, minibatches of 10) until it reaches 90% test accuracy (92.5% after
    25 epochs): its JSON and that accuracy."""
    split = datasets.make("spiral", n=400, noise=0.05, train_share=0.5, seed=0)
    net = spiral_net()
    trainer = Trainer(net, feats.feature_map(split.X_train, SPIRAL_FEATURES), split.Y_train, "binary", "adam",
                      lr=0.03, batch_size=10, seed=0)
    acc = 0.0
    while trainer.epoch < 500 and acc < 0.9:
        trainer.train_epochs(25)
        acc = accuracy(net.forward_all(feats.feature_map(split.X_test, SPIRAL_FEATURES))[-1][1], split.Y_test,
                       "binary")
    assert acc >= 0.9, acc
    return twin_json(net), acc


def spiral_trained():
    at = run_page("playground", SPIRAL)
    p = payload(at)
    assert p["settings"]["features"] == list(SPIRAL_FEATURES) and p["settings"]["widths"] == [8]
    assert p["net"]["network"] == twin_json(spiral_net())       # training starts from the page's network
    network, acc = trained_spiral()
    at = send(at, report_from(p, network=network, epoch=25, steps=500, reason="pause"))
    assert metric(at, "Test accuracy") == f"{100 * acc:.1f}%"     # the page's copy: explorer.core's figure
    return at


def spiral_untrained():
    at = run_page("playground", SPIRAL)
    assert float(metric(at, "Test accuracy").rstrip("%")) < 90
    return at


def diverged():
    """Plain SGD at lr 10 on the plane: explorer.core's trainer diverges; the browser says so in its report."""
    query = {"pg_data": "plane (regression)", "pg_opt": "SGD", "pg_lr": "10"}
    split = datasets.make("plane", n=400, noise=0.05, train_share=0.5, seed=0)
    net = MLP(2, [4, 2, 1], ["tanh", "tanh", "identity"], seed=1)
    trainer = Trainer(net, split.X_train, split.Y_train, "regression", "sgd", lr=10.0, batch_size=10, seed=0)
    trainer.train_epochs(20)                        # it diverges at step 101 (epoch 6)
    assert trainer.status == "diverged", trainer.status
    at = run_page("playground", query)
    p = payload(at)
    at = send(at, report_from(p, status="diverged", message=trainer.message, reason="diverged",
                              epoch=trainer.epoch, steps=trainer.steps))
    assert at.error and trainer.message in at.error[0].value
    return at


def regression_button():
    """The answer's way: press the 1.05 × button."""
    at = run_page("linear_regression")
    at.button(key="lr_quick_1.05").click().run()
    assert at.session_state["lr_rate"] == LR_DIVERGING
    return at


def mlp_preset_then_image():
    """The answer's order: the lecture's network, then the input as a 34 × 10 image."""
    at = run_page("mlp_builder", {"mlp_L": "1"})
    at.button(key="mlp_preset_lecture").click().run()
    at.radio(key="mlp_input").set_value(MLP_INPUTS["image"]).run()
    assert metric(at, "Parameters") == "1,034"
    return at


# -- the cases ------------------------------------------------------------------------------------------
A1, A2, A3, A4 = "Find a probe point", "tanh is a stretched sigmoid", "Turn leaky ReLU", "At x₀ = −2"
B1, B2, B3 = "Make the slide's example fail", "Z = W X is 5 × 8", "What does a scalar"
F1, F2, F3, F4 = "Pick the face", "Make the cells so big", "Find HOG settings with fewer", "Change the seed"
LM1, LM2, LM3 = "Predict the shape of Z", "How many parameters does the heart", "Set B = 1"
R1, R2, R3 = "Move w and b by hand", "Find a learning rate that diverges", "Double N"
M1, M2, M3, M4 = "Predict the parameter count", "How many parameters does the lecture", "Make the output a 5 × 8", \
    "Double the batch size"
PX1, PX2, PX3 = "How many numbers does X hold", "Move the window onto the heart", "Pick an image whose label"
S1, S2, S3, S4 = "Set z so that", "With the temperature at 1", "Find (about) the smallest", "Make the neuron's"
PG1, PG2, PG3 = "Remove every hidden layer", "Make the training diverge", "Train the spiral"

MLP_DONE = "That is N → 5 → 1: the formula above reads 5N + 11."
NO_HOG_DONE = "Yes: the page says why there is no HOG to compare."

CASES = [
    # activations
    Case("activations", 1, A1, "not yet", why="x0_0"),
    Case("activations", 1, A1, "yes", {"act_x0": str(SIGMOID_SATURATED)}),
    Case("activations", 1, A1, "not yet", {"act_x0": str(SIGMOID_SATURATED), "act_show_sigmoid": "false"},
         why="sigmoid_hidden"),
    Case("activations", 2, A2, "not yet", why="x0_0"),
    Case("activations", 2, A2, "yes", {"act_x0": "1"}),
    Case("activations", 2, A2, "not yet", {"act_x0": "1", "act_show_tanh": "false"}, why="tanh_hidden"),
    Case("activations", 3, A3, "not yet", why="leaky_hidden"),
    Case("activations", 3, A3, "not yet", {"act_show_leaky_relu": "true"}, why="slope_0.1"),
    Case("activations", 3, A3, "yes", {"act_show_leaky_relu": "true", "act_slope": "0"}),
    Case("activations", 4, A4, "not yet", why="x0_0"),
    Case("activations", 4, A4, "yes", {"act_x0": "-2"}),
    # broadcasting
    Case("broadcasting", 1, B1, "not yet", why="slide_example"),
    Case("broadcasting", 1, B1, "yes", {"bc_b": "7x3x5"}),
    Case("broadcasting", 2, B2, "not yet", why="slide_example"),
    Case("broadcasting", 2, B2, "not yet", {"bc_a": "5x8", "bc_b": "1x8"}, why="per_sample"),
    Case("broadcasting", 2, B2, "yes", {"bc_a": "5x8", "bc_b": "5x1"}),
    Case("broadcasting", 3, B3, "not yet", why="slide_example"),
    Case("broadcasting", 3, B3, "yes", {"bc_a": "()", "bc_b": "3x4"}),
    # features
    Case("features", 1, F1, "not yet", why="cat"),
    Case("features", 1, F1, "yes", {"fe_image": SAMPLES["face"].label}),
    Case("features", 2, F2, "not yet", why="8px_cells"),
    Case("features", 2, F2, "yes", {"fe_ppc": "17"}, done=NO_HOG_DONE),
    Case("features", 3, F3, "not yet", why="324_numbers"),
    Case("features", 3, F3, "not yet", {"fe_ppc": "17"}, why="no_hog_at_all"),
    Case("features", 3, F3, "yes", {"fe_orient": "4", "fe_cpb": "1"}),
    Case("features", 4, F4, "not yet", why="seed_0"),
    Case("features", 4, F4, "yes", {"fe_seed": "1"}),
    # linear_map
    Case("linear_map", 1, LM1, "not yet", why="K1"),
    Case("linear_map", 1, LM1, "yes", {"lm_K": "5"}),
    Case("linear_map", 2, LM2, "not yet", why="N6"),
    Case("linear_map", 2, LM2, "yes", {"lm_input": params_of(LinearMap).input.label_of("image")}),
    Case("linear_map", 2, LM2, "yes", {"lm_N": "340"}, why="typed_N"),
    Case("linear_map", 3, LM3, "not yet", why="B8"),
    Case("linear_map", 3, LM3, "yes", {"lm_B": "1"}),
    # linear_regression
    Case("linear_regression", 1, R1, "not yet", why="start"),
    Case("linear_regression", 1, R1, "yes", {"lr_w": f"{W_STAR:.2f}", "lr_b": f"{B_STAR:.2f}"}),
    Case("linear_regression", 2, R2, "not yet", why="lr_0.01"),
    Case("linear_regression", 2, R2, "yes", {"lr_rate": str(LR_DIVERGING)}),
    Case("linear_regression", 2, R2, "yes", drive=regression_button, why="button"),
    Case("linear_regression", 3, R3, "not yet", why="N30"),
    Case("linear_regression", 3, R3, "yes", {"lr_n": str(2 * params_of(Regression).n.default)}),
    # mlp_builder
    Case("mlp_builder", 1, M1, "not yet", why="3_2_1"),
    Case("mlp_builder", 1, M1, "yes", {"mlp_L": "1", "mlp_w1": "5"}, done=MLP_DONE),
    Case("mlp_builder", 2, M2, "not yet", why="N4"),
    Case("mlp_builder", 2, M2, "yes", {"mlp_input": MLP_INPUTS["image"]}),
    Case("mlp_builder", 2, M2, "yes", drive=mlp_preset_then_image, why="preset_then_image"),
    Case("mlp_builder", 3, M3, "not yet", why="binary"),
    Case("mlp_builder", 3, M3, "yes", {"mlp_head": HEAD_LABELS["multiclass"]}),
    Case("mlp_builder", 4, M4, "not yet", why="B8"),
    Case("mlp_builder", 4, M4, "yes", {"mlp_B": str(2 * params_of(MlpBuilder).B.default)}),
    # pixels
    Case("pixels", 1, PX1, "not yet", why="34x10"),
    Case("pixels", 1, PX1, "yes", {"px_h": "20", "px_w": "20"}),
    Case("pixels", 2, PX2, "none", why="default"),             # no check: the student judges it
    Case("pixels", 2, PX2, "none", {"px_h": "20", "px_w": "20"}, why="other_window"),
    Case("pixels", 3, PX3, "not yet", why="synthetic"),
    Case("pixels", 3, PX3, "not yet", {"px_img": SAMPLES["cat"].label}, why="cat_unlabelled"),
    Case("pixels", 3, PX3, "yes", {"px_img": SAMPLES["cat"].label, "px_y": LABELS_Y["0"]}),
    # softmax
    Case("softmax", 1, S1, "not yet", why="z1.5"),
    Case("softmax", 1, S1, "yes", {"sm_z": str(Z_09)}),
    Case("softmax", 2, S2, "not yet", why="defaults"),
    Case("softmax", 2, S2, "not yet", {"sm_z2": "5.0", "sm_T": "2.0"}, why="T2"),
    Case("softmax", 2, S2, "yes", {"sm_z2": "5.0"}),
    Case("softmax", 3, S3, "not yet", why="logits_1000"),
    Case("softmax", 3, S3, "yes", {"sm_t0": "710", "sm_t1": "709", "sm_t2": "708"}),
    Case("softmax", 4, S4, "not yet", why="defaults"),
    Case("softmax", 4, S4, "not yet", {"sm_w1": "4", "sm_w2": "1", "sm_b": "-2"}, why="line_moved"),
    Case("softmax", 4, S4, "not yet", {"sm_w1": "1", "sm_w2": "0.5", "sm_b": "-0.5"}, why="wider"),
    Case("softmax", 4, S4, "yes", {"sm_w1": "4", "sm_w2": "2", "sm_b": "-2"}),
    # playground
    Case("playground", 1, PG1, "not yet", why="two_layers"),
    Case("playground", 1, PG1, "not yet", {"pg_L": "0", "pg_data": "XOR"}, why="xor"),
    Case("playground", 1, PG1, "yes", {"pg_L": "0"}),
    Case("playground", 2, PG2, "not yet", why="ready"),
    Case("playground", 2, PG2, "yes", drive=diverged, why="browser_report"),
    Case("playground", 3, PG3, "not yet", why="circle"),
    Case("playground", 3, PG3, "not yet", drive=spiral_untrained, why="spiral_seeded"),
    Case("playground", 3, PG3, "yes", drive=spiral_trained, why="spiral_trained"),
]


def _case(c) -> Case:
    return c.values[0] if hasattr(c, "values") else c


@pytest.mark.parametrize("case", CASES, ids=[_case(c).id() for c in CASES])
def test_the_exercise_shows_its_state(case: Case):
    at = page_in_state(case)
    successes, infos = shown(at, case.number, case.prompt)
    expected = {"yes": ([case.done], []), "not yet": ([], [HINT]), "none": ([], [])}[case.expected]
    assert (successes, infos) == expected


def test_every_exercise_of_these_pages_has_a_yes_and_a_not_yet_case():
    """No exercise left out: each one on these pages (its expander on the default page) has both cases,
    or, where its check cannot tell, "none" cases only."""
    cases = [_case(c) for c in CASES]
    pages = sorted({c.page for c in cases})
    assert pages == ["activations", "broadcasting", "features", "linear_map", "linear_regression",
                     "mlp_builder", "pixels", "playground", "softmax"]
    for page in pages:
        n = len([e for e in _cached_run(page, ()).expander if re.match(r"\d+\. ", e.label)])
        assert n >= 3, page
        states = {i: {c.expected for c in cases if c.page == page and c.number == i} for i in range(1, n + 1)}
        assert all(s in ({"yes", "not yet"}, {"none"}) for s in states.values()), (page, states)
        assert not [c for c in cases if c.page == page and c.number > n], page


def test_the_done_texts_that_describe_the_page_are_true():
    """Two exercises say more than "yes": the page must then show what they say."""
    at = _cached_run("mlp_builder", (("mlp_L", "1"), ("mlp_w1", "5")))
    assert metric(at, "As a formula in N") == "5N + 11"
    at = _cached_run("features", (("fe_ppc", "17"),))
    assert any(w.value.startswith("No HOG of the 32 × 32 heart slices") for w in at.warning)
