"""How long the app's generated data takes: synthetic MRI, the chest image, HOG, the 2-D data sets.

Pages cache these (st.cache_data), so this is the cost of a page's first visit with a setting.
Run: python benchmarks/data_generation.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.core import datasets, hog_features, mri  # noqa: E402


def timed(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


CASES = [
    ("mri.make_dataset(50, 32): 250 slices, the heart finder's default size", lambda: mri.make_dataset(50, 32, seed=0)),
    ("mri.make_dataset(60, 32): 300 slices", lambda: mri.make_dataset(60, 32, seed=0)),
    ("mri.make_slice('SAX', 128): the pixels page's default image", lambda: mri.make_slice("SAX", 128, seed=0)),
    ("mri.make_chest(128): the sliding-window chest", lambda: mri.make_chest(128, seed=0)),
    ("HOG of a 128 x 128 slice (9 orientations, 8 px cells, 2 x 2 blocks)",
     lambda: hog_features.hog_features(mri.make_slice("SAX", 128, seed=0).astype(float), 9, 8, 2)),
    ("datasets.make('spiral', 400): the playground's data", lambda: datasets.make("spiral", 400, 0.1, 0.5, 0)),
]


def main() -> None:
    print("| data | median ms |")
    print("| --- | ---: |")
    for name, fn in CASES:
        print(f"| {name} | {timed(fn):.1f} |")


if __name__ == "__main__":
    main()
