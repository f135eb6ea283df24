"""Lecture mode through the real app shell (app.py): every step of the built-in lecture opens its page
without an exception, in the settings it names, under its step bar; questions reveal the page's answer;
the Lecture page lists the steps, edits a deck and opens deck files."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from explorer.lecture import answers, deck as D
from explorer.lecture.registry import page_modules, page_params, page_values
from explorer.ui.lecture_bar import builtin
from tests.pages.conftest import ROOT, assert_clean, metric, page_path, texts

LECTURE = builtin()
# Where the page itself shows the number a question asks for: the revealed answer must agree with it.
SHOWN_AS = {"mlp_param_count": "Parameters", "linear_map_params": "Parameters", "linear_map_z_shape": "Z (scores)",
            "hog_length": "HOG feature length", "pixel_count": "N = H × W"}


def open_step(at: AppTest, n: int, deck_word: str | None = None, deck=LECTURE) -> AppTest:
    step = deck.steps[n - 1]
    at.query_params.clear()
    for k, v in step.query.items():
        at.query_params[k] = v
    at.query_params["step"] = str(n)
    if deck_word:
        at.query_params["deck"] = deck_word
    at.switch_page(page_path(page_modules()[step.page]))
    return at.run()


def value_of(at: AppTest, key: str):
    return at.session_state[key] if key in at.session_state else None


def unescaped(text: str) -> str:
    """What a reader sees of markdown whose punctuation was backslash-escaped (lecture_bar.plain)."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    return at.run()


@pytest.mark.parametrize("n", range(1, len(LECTURE.steps) + 1))
def test_every_step_opens_its_page_in_its_settings(app, n):
    step = LECTURE.steps[n - 1]
    at = open_step(app, n)
    assert_clean(at)
    shown = texts(at)
    assert f"step {n} of {len(LECTURE.steps)}" in shown
    assert any(m.value.startswith("### ") for m in at.markdown), "no step title"
    specs = page_params()[step.page]
    for key, text in step.query.items():
        want = specs[key].parse(text)
        got = value_of(at, key)
        assert got == want or got == specs[key].label_of(want), (key, got, want)
    # settings the step does not name are at their defaults, whatever the previous step set
    for key, p in specs.items():
        if key not in step.query and key in at.session_state:
            got = at.session_state[key]
            assert got in (p.default, p.label_of(p.default)) or p.kind == "text" or key == "view", (key, got)
    if step.question and step.question.answer in SHOWN_AS:
        ans = answers.answer(step.question.answer, page_values(step.page, step.query))
        shown_value = metric(at, SHOWN_AS[step.question.answer], exact=True)
        expected = f"{ans.value:,}" if isinstance(ans.value, int) else ans.value
        assert shown_value == expected, (shown_value, expected)


def test_predict_then_see_reveals_the_pages_answer():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    n = next(i for i, s in enumerate(LECTURE.steps, 1) if s.question and s.question.answer == "mlp_param_count")
    open_step(at, n)
    assert not at.success and not at.warning
    assert metric(at, "Parameters", exact=True) == "3,086"
    at.number_input(key=f"_lec_q_lecture_{n}").set_value(3000)
    at.button(key=f"_lec_check_lecture_{n}").click().run()
    assert_clean(at)
    assert any("Not quite" in unescaped(w.value) and "3,086" in unescaped(w.value) for w in at.warning)
    assert at.number_input(key=f"_lec_q_lecture_{n}").disabled     # committed: no second try
    m = next(i for i, s in enumerate(LECTURE.steps, 1) if s.question and s.question.answer == "softmax_winner")
    open_step(at, m)
    at.radio(key=f"_lec_q_lecture_{m}").set_value("CH2")
    at.button(key=f"_lec_check_lecture_{m}").click().run()
    assert any(s.value.startswith("Right") and "CH2" in unescaped(s.value) for s in at.success)
    bars = [e.proto.text for e in at.get("progress")]
    assert any("Seen 2 of 34 steps · 1 of" in b for b in bars), bars


def test_a_bad_step_in_the_address_says_so():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.query_params["step"] = "99"
    at.switch_page(page_path("mlp_builder")).run()
    assert_clean(at)
    assert any("steps 1 to 34" in w.value for w in at.warning)
    at.query_params["step"] = "1"
    at.query_params["deck"] = "garbage!"
    at.run()
    assert_clean(at)
    assert any("cannot be opened" in w.value for w in at.warning)


def test_step_of_another_page_links_there():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.query_params["step"] = "1"     # a regression step, opened on the MLP builder
    at.switch_page(page_path("mlp_builder")).run()
    assert_clean(at)
    assert any("shows another page" in i.value for i in at.info)


def test_a_teachers_deck_plays_from_its_link():
    deck = D.Deck("Mine <b>bold</b>", (D.Step("mlp", (("mlp_N", "7"),), "*Seven* [inputs](javascript:x)", "note $x$"),
                                       D.Step("softmax", (("sm_z", "0"),), "Zero")))
    word = D.encode_link(deck)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    open_step(at, 1, word, deck)
    assert_clean(at)
    assert metric(at, "Parameters", exact=True) == str(3 * 7 + 14)
    heads = [m.value for m in at.markdown if "step 1 of 2" in m.value or m.value.startswith("### ")]
    assert "\\<b\\>" in heads[0] and "\\*Seven\\* \\[inputs\\]\\(javascript\\:x\\)" in heads[1]


def test_lecture_page_lists_every_step_and_builds_a_deck():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(page_path("lecture")).run()
    assert_clean(at)
    assert any(h.value == LECTURE.title for h in at.subheader)
    links = [e.proto for e in at.get("page_link")]
    assert len(links) >= len(LECTURE.steps) + 1          # Start, and one per step
    assert any("step=32" in ln.query_string and "mlp_N=1024" in ln.query_string for ln in links)
    # Add two views on the MLP builder, then reorder them on the Lecture page.
    at.query_params.clear()
    at.switch_page(page_path("mlp_builder")).run()
    at.number_input(key="mlp_N").set_value(9).run()
    at.text_input(key="_deck_add_title_mlp").set_value("Nine inputs")
    at.button(key="_deck_add_mlp").click().run()
    at.number_input(key="mlp_N").set_value(4).run()
    at.button(key="_deck_add_mlp").click().run()
    assert_clean(at)
    at.switch_page(page_path("lecture"))
    at.query_params["lec_view"] = "My deck"
    at.run()
    assert_clean(at)
    titles = [w.value for w in at.text_input if w.key and w.key.startswith("_deck_t_")]
    assert titles == ["Nine inputs", "MLP builder"]
    at.button(key="_deck_up_2").click().run()
    titles = [w.value for w in at.text_input if w.key and w.key.startswith("_deck_t_")]
    assert titles == ["MLP builder", "Nine inputs"]
    code = [c.value for c in at.code if "?deck=" in c.value]
    assert code, "no share link"
    shared = D.decode_link(code[0].split("?deck=")[1], page_params())
    assert [s.title for s in shared.steps] == ["MLP builder", "Nine inputs"]
    assert shared.steps[1].query == {"mlp_N": "9"} and shared.steps[0].query == {}


def test_lecture_page_runs_on_its_own_and_survives_a_hostile_deck_link():
    at = AppTest.from_file(page_path("lecture"), default_timeout=60)
    at.query_params["deck"] = "A" * 9000
    at.run()
    assert_clean(at)
    assert any("too long" in e.value for e in at.error)


@pytest.mark.parametrize("module, answer, label, query", [
    ("features", "hog_length", "HOG feature length", {}),                       # the cat: shrunk by the page
    ("features", "hog_length", "HOG feature length", {"fe_image": "Cameraman photo", "fe_ppc": "16"}),
    ("pixels", "pixel_count", "N = H × W", {"px_h": "20", "px_w": "7"}),
])
def test_answers_agree_with_the_page_beyond_the_lecture(module, answer, label, query):
    at = AppTest.from_file(page_path(module), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert_clean(at)
    path = next(p for p, m in page_modules().items() if m == module)
    ans = answers.answer(answer, page_values(path, query))
    assert metric(at, label, exact=True) == f"{ans.value:,}"


def test_a_bad_view_in_the_address_falls_back_to_the_lecture_with_a_note():
    at = AppTest.from_file(page_path("lecture"), default_timeout=60)
    at.query_params["lec_view"] = "Somewhere else"
    at.run()
    assert_clean(at)
    assert [h.value for h in at.subheader] == [LECTURE.title]
    assert any("`lec_view`" in w.value and "The lecture" in w.value for w in at.warning)
    at.selectbox(key="lec_view").set_value("open").run()
    assert [h.value for h in at.subheader] == ["Open a deck"]


def test_progress_counts_seen_steps_and_right_answers():
    from explorer.ui.lecture_bar import Progress
    deck = D.Deck("Two", (D.Step("mlp", title="a"), D.Step("mlp", title="b", question=D.Question("?", "mlp_param_count"))))
    prog = Progress()
    prog.seen.update({1, 2})
    assert prog.summary(deck) == "Seen 2 of 2 steps · 0 of 1 questions right (kept in this browser tab only)"
    prog.record(2, 3086, right=True, skipped=False)
    assert prog.right == {2} and prog.answered[2].given == 3086 and not prog.answered[2].skipped
    assert prog.summary(deck, "answered").startswith("Seen 2 of 2 steps · 1 of 1 questions answered right")
    prog.record(1, None, right=False, skipped=True)
    assert prog.right == {2}
