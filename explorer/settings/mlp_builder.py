"""Settings of the MLP builder (explorer/pages/mlp_builder.py): the layers, the head, the batch."""
from __future__ import annotations

from dataclasses import dataclass

from explorer.core.activations import LABELS, PARAM_RANGES
from explorer.core.mlp import HEADS
from explorer.settings.declare import choice, setting, settings

MAX_HIDDEN = 6
DEFAULT_WIDTHS = (3, 2, 8, 8, 8, 8)
HEAD_LABELS = {"binary": "binary (1 unit, sigmoid)", "multiclass": "multi-class (K units, softmax)",
               "regression": "regression (1 linear unit)"}
INPUTS = {"number": "N features", "image": "image H x W"}


def _range(name: str):
    lo, hi, default = PARAM_RANGES[name]
    return setting(default, lo, hi)


@dataclass(frozen=True)
class Network:
    """The network the settings describe: ``widths``/``activations`` include the output layer."""

    n_in: int
    widths: tuple[int, ...]
    activations: tuple[str, ...]
    head: str
    pieces: int
    slope: float
    alpha: float
    B: int
    seed: int

    @property
    def sizes(self) -> list[int]:
        return [self.n_in, *self.widths]


@settings(page="mlp", prefix="mlp")
class Settings:
    input: str = choice("number", INPUTS)          # N given directly, or as an image H x W
    N: int = setting(4, 1, 10**9)
    H: int = setting(34, 1, 100_000)
    W: int = setting(10, 1, 100_000)
    L: int = setting(2, 0, MAX_HIDDEN)             # hidden layers
    per_layer: bool = setting(False)               # a different activation per hidden layer
    act: str = choice("sigmoid", LABELS)           # the hidden layers' activation (per_layer off)
    head: str = choice("binary", HEAD_LABELS)
    K: int = setting(5, 2, 20)                     # classes of the multi-class head
    B: int = setting(8, 1, 1024)                   # batch size
    seed: int = setting(0, 0, 999_999)
    slope: float = _range("slope")                 # leaky ReLU
    alpha: float = _range("alpha")                 # ELU
    pieces: int = _range("pieces")                 # maxout
    view: int = setting(1, 1, MAX_HIDDEN + 1)      # the layer whose values are drawn
    w1: int = setting(DEFAULT_WIDTHS[0], 1, 512)   # the hidden layers' widths and activations
    f1: str = choice("sigmoid", LABELS)
    w2: int = setting(DEFAULT_WIDTHS[1], 1, 512)
    f2: str = choice("sigmoid", LABELS)
    w3: int = setting(DEFAULT_WIDTHS[2], 1, 512)
    f3: str = choice("sigmoid", LABELS)
    w4: int = setting(DEFAULT_WIDTHS[3], 1, 512)
    f4: str = choice("sigmoid", LABELS)
    w5: int = setting(DEFAULT_WIDTHS[4], 1, 512)
    f5: str = choice("sigmoid", LABELS)
    w6: int = setting(DEFAULT_WIDTHS[5], 1, 512)
    f6: str = choice("sigmoid", LABELS)

    @property
    def n_in(self) -> int:
        """N: the features, or the pixels H·W of the image."""
        return self.H * self.W if self.input == "image" else self.N

    @property
    def n_out(self) -> int:
        return self.K if self.head == "multiclass" else 1

    def hidden_widths(self) -> tuple[int, ...]:
        return tuple(getattr(self, f"w{i}") for i in range(1, self.L + 1))

    def hidden_activations(self) -> tuple[str, ...]:
        return tuple(getattr(self, f"f{i}") if self.per_layer else self.act for i in range(1, self.L + 1))

    def network(self) -> Network:
        """The layers (output included); a parameter of an activation no layer uses keeps its default."""
        acts = self.hidden_activations() + (HEADS[self.head],)
        p = type(self).__params__

        def used(name: str, field: str):
            return getattr(self, field) if name in acts else p.fields()[field].default
        return Network(self.n_in, self.hidden_widths() + (self.n_out,), acts, self.head,
                       used("maxout", "pieces"), used("leaky_relu", "slope"), used("elu", "alpha"),
                       self.B, self.seed)
