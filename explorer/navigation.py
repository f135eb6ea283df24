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

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.module}.py"


HOME = PageInfo("Start", "home", "Home", ":material/home:", "")

PAGES: list[PageInfo] = [
    HOME,
    PageInfo("Neurons and networks", "activations", "Activation functions", ":material/show_chart:", "activations"),
    PageInfo("Neurons and networks", "mlp_builder", "MLP builder", ":material/account_tree:", "mlp"),
    PageInfo("Neurons and networks", "linear_collapse", "Why nonlinearity", ":material/linear_scale:", "collapse"),
]
