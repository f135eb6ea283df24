"""Long runs: memory stays flat over many reruns and many training steps. (Two sessions training at
once on one server: tests/deploy/test_isolation.py.)

The suite runs a short version of each soak (hundreds of reruns or steps, memory measured with
tracemalloc after a warm-up); ``-m slow`` runs the long one (thousands). Bounds are on memory
growth only, never on time.
"""
from __future__ import annotations

import contextlib
import gc
import tracemalloc

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer.core.datasets import spiral
from explorer.core.mlp import MLP
from explorer.core.train import MAX_HISTORY, Trainer
from tests.pages.conftest import page_path

KB = 1024


def traced_kb() -> float:
    gc.collect()
    return tracemalloc.get_traced_memory()[0] / KB


# -- training left running ----------------------------------------------------------------------
def long_training(steps: int, warmup: int) -> tuple[float, float, Trainer]:
    X, Y = spiral(40, noise=0.1, seed=0)
    trainer = Trainer(MLP(2, [4, 1], ["tanh", "sigmoid"], seed=0), X, Y, "binary", lr=0.01, batch_size=10)
    tracemalloc.start()
    try:
        for _ in range(warmup):
            trainer.step(1)
        before = traced_kb()
        for _ in range(steps):
            trainer.step(1)
        after = traced_kb()
    finally:
        tracemalloc.stop()
    return before, after, trainer


def check_history(trainer: Trainer) -> None:
    steps = [h["step"] for h in trainer.history]
    assert len(steps) <= MAX_HISTORY and steps == sorted(set(steps))
    assert steps[0] == 1 and steps[-1] == trainer.steps          # the first and the latest are kept
    assert steps[-MAX_HISTORY // 2:] == list(range(trainer.steps - MAX_HISTORY // 2 + 1, trainer.steps + 1))


def test_a_long_training_keeps_memory_flat():
    """Each step's metrics (~400 bytes) were kept for ever; now at most MAX_HISTORY are (< 1 MB)."""
    before, after, trainer = long_training(steps=1_500, warmup=MAX_HISTORY + 100)
    assert trainer.status == "running"
    check_history(trainer)
    assert after - before < 250, f"{after - before:.0f} kB more after 1,500 steps"   # was 580 kB


@pytest.mark.slow
def test_a_very_long_training_keeps_memory_flat():
    before, after, trainer = long_training(steps=30_000, warmup=MAX_HISTORY + 100)
    check_history(trainer)
    assert after - before < 250, f"{after - before:.0f} kB more after 30,000 steps"


# -- a session rerun many times -----------------------------------------------------------------
@contextlib.contextmanager
def one_script_cache():
    """AppTest compiles the page afresh for every run (a new ScriptCache each time) where the server
    compiles it once: the compiler's passing garbage then shows in traced memory as megabytes that
    come and go. Here every run shares one cache, as under ``streamlit run``."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner
    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


def rerun_soak(module: str, key: str, values: list, rounds: int, settle: int = 0) -> tuple[float, float]:
    """Traced memory (kB) after ``settle`` more reruns past the warm-up, and after ``rounds`` more."""
    with one_script_cache():
        return _rerun_soak(module, key, values, rounds, settle)


def _rerun_soak(module: str, key: str, values: list, rounds: int, settle: int) -> tuple[float, float]:
    at = AppTest.from_file(page_path(module), default_timeout=120).run()
    widget = lambda: next(w for w in at.get("slider") + at.get("number_input") if w.key == key)  # noqa: E731
    # warm-up, untraced (tracing makes a rerun three times slower): every value at least once, so
    # every cache holds what it will hold, and then ``settle`` more
    for i in range(len(values) + settle):
        widget().set_value(values[i % len(values)]).run()
    tracemalloc.start()
    try:
        before = traced_kb()
        for i in range(rounds):
            widget().set_value(values[i % len(values)]).run()
        after = traced_kb()
    finally:
        tracemalloc.stop()
    assert not at.exception, [e.value for e in at.exception]
    return before, after


def test_a_session_rerun_a_hundred_times_keeps_memory_flat():
    """The traced memory wanders by up to 4 MB over a process's first few hundred reruns (Python's and
    plotly's caches filling, garbage collection) and then stays: measured from rerun 300 to rerun 450,
    so the wander is not counted and a leak is."""
    before, after = rerun_soak("linear_regression", "lr_n", [10, 30, 60, 120], rounds=150, settle=300)
    assert after - before < 1_536, f"{after - before:.0f} kB more over 150 reruns"   # a 10 kB/rerun leak fails


@pytest.mark.slow
def test_a_session_rerun_thousands_of_times_keeps_memory_flat():
    before, after = rerun_soak("linear_regression", "lr_n", [10, 30, 60, 120], rounds=3_000)
    assert after - before < 4_096, f"{after - before:.0f} kB more after 3,000 reruns"   # 1.4 kB/rerun
