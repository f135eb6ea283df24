"""Soak: does a session rerun thousands of times, or a training left running, grow or slow down?

Reruns one page (AppTest, one session) N times, cycling a slider through a few values, and
training (explorer.core.train.Trainer) for S steps; prints, per block of runs, the traced memory
(tracemalloc) and the median CPU time per rerun / per step, so that growth or slowing shows as a
trend down the table. Memory bounds are asserted in tests/soak (short in the suite, long with
``-m slow``); time is only reported here.

Run from the repository root:  python benchmarks/soak.py [--reruns 2000] [--steps 20000] [--page linear_regression]
"""
from __future__ import annotations

import argparse
import gc
import logging
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def kb() -> float:
    gc.collect()
    return tracemalloc.get_traced_memory()[0] / 1024


def soak(action, total: int, blocks: int, what: str, unit: str, scale: float, columns: dict) -> None:
    """Call ``action(i)`` ``total`` times; after each of ``blocks`` blocks print one table row: the calls so
    far (``what``: "reruns", "steps"), the traced memory, each of ``columns`` (``{header: () -> number}``) and the median CPU time
    per call (in ``unit``, ``scale`` per second)."""
    extra = list(columns)
    print(f"| {what} | traced memory (kB) | " + "".join(f"{h} | " for h in extra) + f"median CPU {unit} per {what[:-1]} |")
    print("|---:|---:|" + "---:|" * len(extra) + "---:|")
    tracemalloc.start()
    done, per_block = 0, max(1, total // blocks)
    while done < total:
        times = []
        for i in range(per_block):
            t = time.process_time()
            action(done + i)
            times.append(scale * (time.process_time() - t))
        done += per_block
        cells = "".join(f"{columns[h]():,} | " for h in extra)
        print(f"| {done:,} | {kb():,.0f} | {cells}{statistics.median(times):.1f} |", flush=True)
    tracemalloc.stop()


def soak_reruns(page: str, key: str, values: list, reruns: int, blocks: int = 10) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "explorer" / "pages" / f"{page}.py"), default_timeout=300).run()
    widget = lambda: next(w for w in at.get("slider") + at.get("number_input") if w.key == key)  # noqa: E731
    for v in values:
        widget().set_value(v).run()
    print(f"\n{page}: {reruns} reruns of one session ({key} cycling through {values})\n")
    soak(lambda i: widget().set_value(values[i % len(values)]).run(), reruns, blocks, "reruns", "ms", 1e3, {})


def soak_training(steps: int, blocks: int = 10) -> None:
    from explorer.core.datasets import spiral
    from explorer.core.mlp import MLP
    from explorer.core.train import Trainer

    X, Y = spiral(200, noise=0.1, seed=0)
    trainer = Trainer(MLP(2, [8, 8, 1], ["tanh", "tanh", "sigmoid"], seed=0), X, Y, "binary", lr=0.01, batch_size=10)
    print(f"\nTrainer.step(1) x {steps:,} (2 -> 8 -> 8 -> 1 on the spiral, batch 10)\n")
    soak(lambda i: trainer.step(1), steps, blocks, "steps", "µs", 1e6, {"history entries": lambda: len(trainer.history)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--page", default="linear_regression")
    parser.add_argument("--key", default="lr_n")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    soak_training(args.steps)
    soak_reruns(args.page, args.key, [10, 30, 60, 120], args.reruns)


if __name__ == "__main__":
    main()
