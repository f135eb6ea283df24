"""Settings of the linear-collapse page (explorer/pages/linear_collapse.py): a deep network of identity
layers (one of them possibly nonlinear), and the 2-D problem that needs a curve."""
from explorer.core.activations import LABELS, NAMES
from explorer.settings.declare import choice, setting, settings

MAX_LAYERS = 6
NONLINEAR = {n: LABELS[n] for n in NAMES if n != "identity"}
LAYER_CHOICES = {0: "none", **{i: f"layer {i}" for i in range(1, MAX_LAYERS + 1)}}
DATA = {"xor": "XOR", "circles": "circles"}


@settings(page="collapse", prefix="lc")
class Settings:
    N: int = setting(4, 1, 64)                  # inputs
    L: int = setting(3, 1, MAX_LAYERS)          # layers, the last is the output
    w1: int = setting(3, 1, 64)                 # the widths of the hidden layers 1..L-1
    w2: int = setting(2, 1, 64)
    w3: int = setting(4, 1, 64)
    w4: int = setting(4, 1, 64)
    w5: int = setting(4, 1, 64)
    out: int = setting(1, 1, 8)                 # the output layer's width
    layer: int = choice(0, LAYER_CHOICES)       # the one nonlinear layer (0: none), at most L
    f: str = choice("tanh", NONLINEAR)          # its activation
    B: int = setting(8, 1, 64)                  # batch size
    seed: int = setting(0, 0, 999_999)
    data: str = choice("xor", DATA)             # the 2-D problem
    f2d: str = choice("tanh", NONLINEAR)        # the activation compared with the identity on it

    @property
    def widths(self) -> tuple[int, ...]:
        """Every layer's width: the hidden layers', then the output's."""
        return tuple(getattr(self, f"w{i}") for i in range(1, self.L)) + (self.out,)

    @property
    def nonlinear(self) -> int:
        """The nonlinear layer, 0 for none (a layer deeper than L counts as none)."""
        return self.layer if self.layer <= self.L else 0
