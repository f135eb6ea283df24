"""The built-in lecture (explorer/lecture/lecture.json): a valid deck, in the lecture's order, covering every topic."""
import json

import pytest

from explorer.lecture import answers, deck as D
from explorer.lecture.registry import page_params, page_values
from explorer.navigation import PAGES
from explorer.ui.lecture_bar import LECTURE_FILE

# The topics issue 13 lists, in the lecture's order.
TOPICS = ["linear regression", "data-driven models", "feature engineering", "the landscape", "heart finding",
          "pixels as numbers", "z = WX + b", "batches", "broadcasting", "sigmoid", "the neuron",
          "binary and multi-class", "one-hot", "softmax", "softmax and its trick", "logits",
          "universal approximation", "activations", "the MLP and its forward pass",
          "the parameter count 3N + 14", "linear collapse"]


@pytest.fixture(scope="module")
def lecture():
    return D.parse_text(LECTURE_FILE.read_bytes(), page_params(), LECTURE_FILE.name)


def test_the_lecture_is_a_deck_of_25_to_35_steps(lecture):
    assert 25 <= len(lecture.steps) <= 35
    assert json.loads(LECTURE_FILE.read_text())["format"] == D.FORMAT
    assert all(s.title and s.note and s.look for s in lecture.steps)


def test_every_topic_is_covered(lecture):
    covered = {s.topic for s in lecture.steps}
    missing = [t for t in TOPICS if t not in covered]
    assert not missing, missing
    assert covered <= set(TOPICS), covered - set(TOPICS)


def test_topics_come_in_the_lectures_order(lecture):
    first = [TOPICS.index(s.topic) for s in lecture.steps]
    firsts = sorted(set(first), key=first.index)
    # The lecture revisits topics (multi-class after the neuron, activations around universal approximation),
    # but each topic first appears no more than two places before its slot.
    for i, t in enumerate(firsts):
        assert abs(firsts.index(t) - sorted(firsts).index(t)) <= 2, [TOPICS[x] for x in firsts]


def test_every_step_opens_an_app_page(lecture):
    urls = {p.url_path for p in PAGES}
    for s in lecture.steps:
        assert s.page in urls and s.page not in ("", "lecture")


def test_many_steps_ask_first(lecture):
    asked = [s for s in lecture.steps if s.question]
    assert len(asked) >= len(lecture.steps) // 2
    names = {s.question.answer for s in asked}
    assert {"mlp_param_count", "playground_boundary_straight", "softmax_winner"} <= names


ASKED = [n for n, s in enumerate(json.loads(LECTURE_FILE.read_text())["steps"], start=1) if "question" in s]


@pytest.mark.parametrize("n", ASKED)
def test_each_question_has_its_answer_among_the_options(lecture, n):
    step = lecture.steps[n - 1]
    ans = answers.answer(step.question.answer, page_values(step.page, step.query))
    if step.question.options:
        assert sum(answers.matches(ans, o) for o in step.question.options) == 1, (ans, step.question.options)
    else:
        assert isinstance(ans.value, int) and ans.value > 0


def test_answers_follow_the_settings_not_the_text():
    v = page_values("mlp", {"mlp_N": "1024"})
    assert answers.mlp_param_count(v).value == 3 * 1024 + 14
    v = page_values("mlp", {"mlp_N": "7", "mlp_w1": "5", "mlp_L": "1"})
    assert answers.mlp_param_count(v).value == 5 * 7 + 5 + 6
    assert answers.playground_boundary_straight(page_values("playground", {"pg_act": "identity"})).value.startswith("yes")
    assert answers.playground_boundary_straight(page_values("playground", {"pg_act": "ReLU"})).value.startswith("no")
    z = {f"sm_z{k}": str(x) for k, x in enumerate([0, 0, 0, 3, 0])}
    assert answers.softmax_winner(page_values("softmax", z)).value == "SAX"
    assert answers.broadcast_result(page_values("broadcasting", {"bc_a": "5x8", "bc_b": "5x1"})).value == "5 × 8"
    assert answers.descent_converges(page_values("regression", {"lr_rate": "0.001"})).value == "it converges"


def test_matches_numbers_and_options():
    assert answers.matches(answers.Answer(3086, ""), 3086)
    assert answers.matches(answers.Answer(3086, ""), "3086")
    assert not answers.matches(answers.Answer(3086, ""), "abc")
    assert not answers.matches(answers.Answer(3086, ""), None)
    assert answers.matches(answers.Answer("0.25", ""), "0.25")
    assert not answers.matches(answers.Answer("0.25", ""), "0.5")
    assert answers.matches(answers.Answer("no", ""), "no")
    assert not answers.matches(answers.Answer("no", ""), "yes")
