"""Fuzz every page: hypothesis drives every widget (buttons included) with random values, in random
orders, after a random query string, through Streamlit's AppTest, and no exception may reach the page.

Seeded (``derandomize=True``: the same examples on every run) and bounded: ``FUZZ_EXAMPLES``
examples of at most ``FUZZ_STEPS`` actions per page in the suite (the whole file takes about a
minute on two busy cores); the ``slow`` version runs many more for soak and benchmarks
(``python -m pytest tests/fuzz -m slow``). A failure prints the page, the query and the actions,
so it can be replayed by hand.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from explorer.navigation import PAGES
from tests.pages.conftest import ROOT, page_path
from tests.forged_client import forge as send

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))      # per page, in the suite
FUZZ_STEPS = int(os.environ.get("FUZZ_STEPS", "3"))
SLOW_EXAMPLES = 20
SLOW_STEPS = 12
TIMEOUT = 300        # s per script run: generous, the machine may be shared

HOSTILE = ["", "abc", "-1", "0", "1", "1e400", "-1e400", "nan", "inf", "9" * 30, "2.5", "true", "false",
           "[![](//e.co/x.png)](//e.co)", "<script>alert(1)</script>", "８", "x" * 300, "%00", "1;2", "()",
           "8x1x6x1", "ReLU", "tanh", "sigmoid"]
TRACEBACK_SIGNS = ("Traceback (most recent call last)", 'File "/', "Error:", "Exception:")
# Kinds the fuzzer drives (download buttons cannot be pressed in AppTest).
KINDS = ("button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "slider", "select_slider",
         "number_input", "text_input", "text_area", "file_uploader")


def _files() -> list[tuple[str, bytes]]:
    """Files for the upload boxes: good ones and hostile ones (made here, small)."""
    import io

    import numpy as np
    from PIL import Image

    from explorer.core.mlp import MLP
    from explorer.core.serialize import save_network
    from tests.core.test_images import png_header_only

    buf = io.BytesIO()
    Image.fromarray(np.arange(64, dtype=np.uint8).reshape(8, 8)).save(buf, "PNG")
    good_png = buf.getvalue()
    net = save_network(MLP(2, [3, 1], ["tanh", "sigmoid"], seed=0))
    return [("[![](//e.co/x.png)](//e.co).png", good_png), ("cut.png", good_png[:40]),
            ("bomb.png", png_header_only(60_000, 60_000)), ("noise.dcm", bytes(range(256)) * 8),
            ("net.npz", net), ("cut.npz", net[: len(net) // 2]), ("empty.npz", b"")]


FILES = _files()


def widgets(at: AppTest) -> list:
    return [w for kind in KINDS for w in at.get(kind) if not getattr(w, "disabled", False)]


def bound_keys(at: AppTest) -> list[str]:
    return sorted({w.key for w in widgets(at) if w.key and not w.key.startswith("_") and w.type != "button"})


def _number(draw, w, integer: bool):
    lo = w.min if getattr(w, "min", None) is not None else -1e6
    hi = w.max if getattr(w, "max", None) is not None else 1e6
    if integer:
        return draw(st.one_of(st.integers(int(lo), int(hi)), st.sampled_from([int(lo), int(hi)])))
    return draw(st.one_of(st.floats(float(lo), float(hi), allow_nan=False), st.sampled_from([float(lo), float(hi)])))




def act(draw, w) -> str:
    """Draw an action for widget ``w``, apply it, and describe it (for the failure report)."""
    kind = w.type if hasattr(w, "type") else type(w).__name__.lower()
    name = f"{kind}[{getattr(w, 'key', None) or getattr(w, 'label', '')}]"
    if kind == "button":
        w.click()
        return f"{name}.click()"
    if kind == "file_uploader":
        i = draw(st.integers(-1, len(FILES) - 1))
        w.set_value(None if i < 0 else (FILES[i][0], FILES[i][1], "application/octet-stream"))
        return f"{name} <- {FILES[i][0] if i >= 0 else 'nothing'}"
    if kind in ("checkbox", "toggle"):
        v = draw(st.booleans())
    elif kind in ("radio", "selectbox"):
        if not w.options:
            return f"{name}: no options"
        i = draw(st.integers(0, len(w.options) - 1))
        send(w, string_value=w.options[i])          # what the browser sends: the option's label
        return f"{name} <- {w.options[i]!r}"
    elif kind == "multiselect":
        v = draw(st.lists(st.sampled_from(list(w.options)), unique=True, max_size=len(w.options))) if w.options else []
        w.set_value(v)
        return f"{name}.set_value({v!r})"
    elif kind == "select_slider":
        if not w.options:
            return f"{name}: no options"
        i = draw(st.integers(0, len(w.options) - 1))
        j = draw(st.integers(0, len(w.options) - 1))
        value = w.value
        try:
            if isinstance(value, (tuple, list)):
                w.set_range(w.options[min(i, j)], w.options[max(i, j)])
            else:
                w.set_value(w.options[i])
        except Exception:
            return f"{name}: options not settable"
        return f"{name} -> option {i}"
    elif kind == "slider":
        value = w.value
        if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(x, (int, float)) for x in value):
            integer = w.proto.data_type == 0
            a, b = sorted((_number(draw, w, integer), _number(draw, w, integer)))
            w.set_range(a, b)
            return f"{name}.set_range({a!r}, {b!r})"
        if not isinstance(value, (int, float)):
            return f"{name}: not numeric"
        v = _number(draw, w, w.proto.data_type == 0)          # SliderProto.INT
    elif kind == "number_input":
        v = _number(draw, w, w.proto.data_type == 0)          # NumberInputProto.INT
    elif kind in ("text_input", "text_area"):
        v = draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)))
        limit = getattr(w, "max_chars", None)
        if limit:
            v = v[:limit]
    else:
        return f"{name}: skipped"
    w.set_value(v)
    return f"{name}.set_value({v!r})"


def assert_no_error_reached_the_page(at: AppTest, history: list[str]) -> None:
    assert not at.exception, (history, [e.value for e in at.exception])
    for element in list(at.error) + list(at.warning):
        text = str(element.value)
        assert not any(sign in text for sign in TRACEBACK_SIGNS[:2]), (history, text)


def script(module: str) -> str:
    """The page's file; the home page runs through app.py (its links need st.navigation)."""
    return str(ROOT / "app.py") if module == "home" else page_path(module)


def fuzz_page(module: str, data, steps: int) -> None:
    draw = data.draw
    at = AppTest.from_file(script(module), default_timeout=TIMEOUT)
    keys = KEYS.get(module)
    if keys is None:
        KEYS[module] = keys = bound_keys(AppTest.from_file(script(module), default_timeout=TIMEOUT).run())
    query = draw(st.dictionaries(st.sampled_from(keys + ["unknown", "present"]) if keys else st.just("unknown"),
                                 st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), max_size=4))
    history = [f"page {module}", f"query {query!r}"]
    try:
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        assert_no_error_reached_the_page(at, history)
        for _ in range(draw(st.integers(1, steps))):
            candidates = widgets(at)
            if not candidates:
                break
            w = draw(st.sampled_from(candidates))
            history.append(act(draw, w))
            at.run()
            assert_no_error_reached_the_page(at, history)
    except Exception as exc:  # noqa: BLE001 - collected and reported with the actions that led to it
        FAILURES.append(f"{' -> '.join(history)}\n    {type(exc).__name__}: {str(exc)[:1500]}")


def run_fuzz(module: str, examples: int, steps: int) -> None:
    """Fuzz ``module``; failures are collected (not raised inside hypothesis, whose replay of a
    page that trains or caches would differ) and reported together, with the actions that led to them."""
    FAILURES.clear()

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(data=st.data())
    def fuzz(data):
        fuzz_page(module, data, steps)

    fuzz()
    assert not FAILURES, "\n".join(FAILURES)


KEYS: dict[str, list[str]] = {}
FAILURES: list[str] = []


@pytest.mark.parametrize("module", [p.module for p in PAGES])
def test_fuzz_every_widget_of_every_page(module):
    run_fuzz(module, FUZZ_EXAMPLES, FUZZ_STEPS)


@pytest.mark.slow
@pytest.mark.parametrize("module", [p.module for p in PAGES])
def test_fuzz_every_widget_of_every_page_long(module):
    run_fuzz(module, SLOW_EXAMPLES, SLOW_STEPS)
