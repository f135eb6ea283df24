"""AppTest for the broadcasting page (explorer/pages/broadcasting.py)."""
import numpy as np
import pytest

from tests.pages.conftest import assert_clean, figures, run_page, texts, tables


def result_text(at) -> str:
    return "\n".join(s.value for s in at.success) + "\n".join(e.value for e in at.error)


def errors(at) -> str:
    return "\n".join(e.value for e in at.error)


def steps(at):
    return tables(at)[0]


def set_shapes(at, a: str, b: str, c: str = ""):
    at.text_input(key="bc_a").set_value(a)
    at.text_input(key="bc_b").set_value(b)
    at.text_input(key="bc_c").set_value(c)
    return at.run()


def test_defaults_are_the_slide_example():
    at = run_page("broadcasting")
    assert_clean(at)
    assert "broadcast to 8 × 7 × 6 × 5" in result_text(at)
    assert "numpy shape (8, 7, 6, 5)" in result_text(at)
    # numpy's answer, computed live on the page
    assert "np.broadcast_shapes((8, 1, 6, 1), (7, 1, 5))` → `(8, 7, 6, 5)`" in texts(at)
    t = steps(at)
    assert list(t["dimension (from the right)"]) == [-1, -2, -3, -4]          # the rule starts on the right
    assert list(t["A"]) == [1, 6, 1, 8] and list(t["B"]) == ["5", "1", "7", "(1)"]
    assert list(t["result"]) == [5, 6, 7, 8]
    assert "B has no such dimension" in t["what happens"][3]
    assert len(figures(at)) == 1
    assert "1,680 elements" in texts(at)   # too many to list: the page says so


def test_the_failing_preset_names_the_dimension():
    at = run_page("broadcasting")
    at.button(key="bc_preset_fail").click().run()
    assert_clean(at)
    assert at.text_input(key="bc_a").value == "5x8" and at.text_input(key="bc_b").value == "1x5"
    err = errors(at)
    assert "cannot be broadcast" in err
    assert "dimension -1 (from the right): sizes 8 and 5 differ" in err and "A has 8, B has 5" in err
    assert "ValueError: shape mismatch" in texts(at)      # numpy refuses too
    assert steps(at)["result"][0] == "✗"
    assert "Nothing to compute" in texts(at)


def test_the_bias_presets_show_stretched_values():
    at = run_page("broadcasting")
    at.button(key="bc_preset_biasK").click().run()
    assert_clean(at)
    assert "broadcast to 5 × 8" in result_text(at)
    latex = "\n".join(x.value for x in at.latex)
    # b = 10 * arange(5) as a column, repeated across the 8 columns: row 1 of a + b starts 8 + 10 = 18
    assert r"\begin{bmatrix}0 \\ 10 \\ 20 \\ 30 \\ 40\end{bmatrix}" in latex
    assert r"18 & 19 & 20" in latex
    assert "#A0A0A0" in latex    # the copies are greyed
    at.button(key="bc_preset_bias1").click().run()
    assert "broadcast to 1 × 8" in result_text(at)
    assert "Z = W X + b" in texts(at)


def test_three_shapes_and_the_pair_shown():
    at = run_page("broadcasting")
    at.button(key="bc_preset_three").click().run()
    assert_clean(at)
    assert "A + B + C broadcast to 5 × 8" in result_text(at)
    assert list(steps(at).columns[:5]) == ["step", "dimension (from the right)", "A", "B", "C"]
    at.radio(key="bc_pair").set_value("bc").run()
    assert_clean(at)
    assert any(r"b + c" in x.value for x in at.latex)


@pytest.mark.parametrize("a, b", [("8x1x6x1", "7x1x5"), ("5x4", "1"), ("15x3x5", "15x1x5"), ("3", "4"),
                                  ("2x1", "8x4x3"), ("()", "3x1"), ("0x3", "1x3"), ("(256, 256, 3)", "(3,)")])
def test_typed_shapes_agree_with_numpy(a, b):
    at = set_shapes(run_page("broadcasting"), a, b)
    assert_clean(at)
    sa = tuple(int(x) for x in a.replace("(", "").replace(")", "").replace("x", ",").split(",") if x.strip())
    sb = tuple(int(x) for x in b.replace("(", "").replace(")", "").replace("x", ",").split(",") if x.strip())
    try:
        expected = np.broadcast_shapes(sa, sb)
    except ValueError:
        assert "cannot be broadcast" in errors(at)
    else:
        assert f"numpy shape {expected}" in result_text(at)


def test_a_bad_third_shape_leaves_a_and_b_working():
    at = set_shapes(run_page("broadcasting"), "5x8", "5x1", "3x")
    assert_clean(at)
    assert "C cannot be read" in errors(at)
    assert "A + B broadcast to 5 × 8" in result_text(at)


def test_numpy_too_large_is_explained():
    at = set_shapes(run_page("broadcasting"), "1000000000x1000000000x1000000000", "1")
    assert_clean(at)
    assert "broadcast to 1000000000 × 1000000000 × 1000000000" in result_text(at)
    assert "numpy refuses" in texts(at)


def test_scalars_only():
    at = set_shapes(run_page("broadcasting"), "()", "[]")
    assert_clean(at)
    assert "broadcast to ()" in result_text(at)
    assert "no dimensions to align" in texts(at)


@pytest.mark.parametrize("typed, message", [
    ("abc", "is not a size"),
    ("８x1", "non-ASCII digits"),
    ("-3x2", "cannot be negative"),
    ("x".join(["1"] * 40), "40 dimensions"),
    ("2.5x3", "not a whole number"),
    ("", "The shape is empty"),
])
def test_malformed_text_gives_a_message(typed, message):
    at = run_page("broadcasting")
    at.text_input(key="bc_a").set_value(typed).run()
    assert_clean(at)
    assert "A cannot be read" in errors(at) and message in errors(at)
    assert "Fix the shape of A" in texts(at)


@pytest.mark.parametrize("query, message", [
    ({"bc_a": "9" * 10_000}, "`bc_a`"),                 # refused by length before anything reads it
    ({"bc_b": "x" * 5_000}, "`bc_b`"),
    ({"bc_a": "abc"}, "A cannot be read"),
    ({"bc_a": "８"}, "non-ASCII digits"),
    ({"bc_a": "٣x٤"}, "non-ASCII digits"),
    ({"bc_a": "1e3"}, "not a whole number"),
    ({"bc_a": "9" * 150}, "too large"),
    ({"bc_c": "(((("}, "C cannot be read"),
    ({"bc_pair": "zz"}, "`bc_pair`"),
])
def test_hostile_url_values(query, message):
    at = run_page("broadcasting", query)
    assert_clean(at)
    assert message in texts(at) + errors(at)


def test_an_overlong_link_value_falls_back_to_the_default():
    at = run_page("broadcasting", {"bc_a": "9" * 10_000})
    assert at.text_input(key="bc_a").value == "8x1x6x1"
    assert "broadcast to 8 × 7 × 6 × 5" in result_text(at)
