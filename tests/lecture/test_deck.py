"""Deck files and links (explorer/lecture/deck.py): read, checked, written, encoded; every refusal says why."""
import json
import zlib
import base64

import pytest

from explorer.lecture import deck as D
from explorer.lecture.answers import ANSWERS
from explorer.lecture.registry import page_params

PAGES = page_params()


def small(**step):
    base = {"page": "mlp", "settings": {"mlp_N": "1024"}, "title": "3N + 14", "note": "A note.",
            "question": {"ask": "How many?", "answer": "mlp_param_count"}}
    base.update(step)
    return {"format": D.FORMAT, "version": 1, "title": "Mine", "steps": [base]}


def parse(obj, name="deck.json"):
    text = obj if isinstance(obj, (str, bytes)) else json.dumps(obj)
    return D.parse_text(text, PAGES, name)


def problems(obj, name="deck.json") -> str:
    with pytest.raises(D.DeckError) as e:
        parse(obj, name)
    return " ".join(e.value.problems)


def test_a_small_deck_reads_back():
    deck = parse(small())
    assert deck.title == "Mine"
    (step,) = deck.steps
    assert step.page == "mlp" and step.query == {"mlp_N": "1024"}
    assert step.question == D.Question("How many?", "mlp_param_count")


def test_json_and_yaml_round_trip_exactly():
    deck = parse(small(look="the metric", topic="the parameter count 3N + 14"))
    assert parse(D.to_json(deck)) == deck
    yaml_text = D.to_yaml(deck)
    assert yaml_text.startswith("format: deep-learning-explorer/deck")
    assert D.parse_text(yaml_text, PAGES, "deck.yaml") == deck


def test_link_round_trip_and_fit():
    deck = parse(small())
    word = D.encode_link(deck)
    assert D.link_fits(word) and set(word) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert D.decode_link(word, PAGES) == deck


def test_numbers_and_booleans_become_address_text():
    deck = parse(small(settings={"mlp_N": 1024, "mlp_per_layer": True, "mlp_slope": 0.25}))
    assert deck.steps[0].query == {"mlp_N": "1024", "mlp_per_layer": "true", "mlp_slope": "0.25"}


@pytest.mark.parametrize("step, expected", [
    ({"page": "https://evil.example/steal"}, "is not one of the app's pages"),
    ({"page": "../../etc/passwd"}, "is not one of the app's pages"),
    ({"page": None}, "'nothing' is not one of the app's pages"),
    ({"settings": {"mlp_N": "0"}}, "'mlp_N' = '0' is not a whole number from 1 to 1,000,000,000"),
    ({"settings": {"mlp_N": "1e400"}}, "'mlp_N' = '1e400' is not"),
    ({"settings": {"mlp_act": "softmax"}}, "'mlp_act' = 'softmax' is not one of sigmoid"),
    ({"settings": {"nope": "1"}}, "the page 'mlp' has no setting 'nope'"),
    ({"settings": ["mlp_N", "4"]}, "'settings' must be a mapping"),
    ({"settings": {"mlp_N": [1, 2]}}, "the value of 'mlp_N' must be a short text"),
    ({"title": ""}, "Step 1: the title is missing"),
    ({"title": "x" * 500}, "has 500 characters; at most 120"),
    ({"note": 5}, "the note must be text, not int"),
    ({"question": {"ask": "?", "answer": "__import__('os')"}}, "must name one of the app's answers"),
    ({"question": {"ask": "?", "answer": "mlp_param_count", "options": ["a", "a"]}}, "options must differ"),
    ({"url": "http://x"}, "unknown field(s) url"),
])
def test_bad_steps_are_refused_with_the_reason(step, expected):
    assert expected in problems(small(**step))


def test_every_problem_is_listed_at_once():
    deck = small()
    deck["steps"].append({"page": "nowhere", "title": "t"})
    deck["steps"].append({"page": "softmax", "settings": {"sm_K": "99"}, "title": ""})
    text = problems(deck)
    assert "Step 2: 'nowhere'" in text and "Step 3: 'sm_K' = '99'" in text and "Step 3: the title is missing" in text


@pytest.mark.parametrize("content, expected", [
    (b"", "The file is empty"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"{not json", "not valid JSON (line 1, column 2)"),
    (b"[1, 2]", "one mapping with 'title' and 'steps'"),
    (json.dumps({"title": "x", "steps": []}).encode(), "'steps' must be a non-empty list"),
    (json.dumps({"format": "other", "title": "x", "steps": [{}]}).encode(), "'format' is 'other'"),
    (json.dumps({"version": 7, "title": "x", "steps": [{}]}).encode(), "the file says '7'"),
    (b"[" * 5000 + b"]" * 5000, "nested more than 6 levels"),
    (b"a: &x [1]\nb: *x\n", "anchors, aliases or tags"),
    (b"a: !!python/object:os.system ls\n", "anchors, aliases or tags"),
    (b"a:\n  b:\n    c:\n      d:\n        e:\n          f:\n            g:\n              h: 1\n", "nested more than"),
    (b"key: [unclosed\n", "not valid YAML"),
])
def test_broken_files_are_refused(content, expected):
    assert expected in problems(content, "deck.yaml" if content[:1] not in b"{[" and content else "deck.json")


def test_size_is_checked_before_parsing():
    big = b"{" + b" " * D.MAX_BYTES + b"}"
    assert f"at most {D.MAX_BYTES:,}" in problems(big)


def test_too_many_steps():
    deck = small()
    deck["steps"] = deck["steps"] * (D.MAX_STEPS + 1)
    assert f"at most {D.MAX_STEPS}" in problems(deck)


def test_link_that_inflates_too_far_is_refused_unread():
    bomb = zlib.compress(b"{" + b" " * (10 * D.MAX_BYTES) + b"}", 9)
    word = base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    assert len(word) < D.MAX_LINK_INPUT
    with pytest.raises(D.DeckError, match="unpacks to more than"):
        D.decode_link(word, PAGES)


@pytest.mark.parametrize("word, expected", [
    ("", "damaged"), ("<script>", "damaged"), ("abc", "damaged"), ("A" * (D.MAX_LINK_INPUT + 1), "too long"),
])
def test_damaged_links(word, expected):
    with pytest.raises(D.DeckError, match=expected):
        D.decode_link(word, PAGES)


def test_nesting_depth_ignores_brackets_in_strings():
    assert D.nesting_depth('{"a": "[[[[[[[[[[", "b": [1, {"c": 2}]}') == 3
    assert D.nesting_depth('{"a": "\\"[[[["}') == 1


def test_every_answer_name_is_allowed_and_nothing_else():
    for name in ANSWERS:
        parse(small(question={"ask": "?", "answer": name}))
    assert "must name one of" in problems(small(question={"ask": "?", "answer": "eval"}))


def test_fingerprint_follows_content():
    a, b = parse(small()), parse(small(title="Other"))
    assert a.fingerprint() == parse(small()).fingerprint() != b.fingerprint()
