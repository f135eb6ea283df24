"""Settings of the playground (explorer/pages/playground.py): the data, the features, the network, the training."""
from explorer.core import datasets
from explorer.core import features as feats
from explorer.core.activations import LABELS
from explorer.settings.declare import choice, setting, settings

MAX_HIDDEN, MAX_WIDTH = 6, 32
LR = {v: f"{v:g}" for v in (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)}
RATES = {v: f"{v:g}" for v in (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)}
OPTIMISERS = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam"}
REGULARISERS = {"none": "none", "l1": "L1", "l2": "L2"}


@settings(page="playground", prefix="pg")
class Settings:
    data: str = choice("circle", {n: p.label for n, p in datasets.PROBLEMS.items()})
    K: int = setting(3, 3, 5)                   # classes of the multi-class data sets
    noise: float = setting(0.05, 0.0, 0.5)
    points: int = setting(400, 40, 1000)
    train: int = setting(50, 10, 90)            # per cent of the points used for training
    seed: int = setting(0, 0, 999_999)
    test: bool = setting(True)                  # show the test points
    # the features (the network's inputs X), one switch each: explorer.core.features.NAMES
    x1: bool = setting(True)
    x2: bool = setting(True)
    x1sq: bool = setting(False)
    x2sq: bool = setting(False)
    x1x2: bool = setting(False)
    sin1: bool = setting(False)
    sin2: bool = setting(False)
    L: int = setting(2, 0, MAX_HIDDEN)          # hidden layers, of widths w1..w{L}
    w1: int = setting(4, 1, MAX_WIDTH)
    w2: int = setting(2, 1, MAX_WIDTH)
    w3: int = setting(4, 1, MAX_WIDTH)
    w4: int = setting(4, 1, MAX_WIDTH)
    w5: int = setting(4, 1, MAX_WIDTH)
    w6: int = setting(4, 1, MAX_WIDTH)
    act: str = choice("tanh", LABELS)
    lr: float = choice(0.03, LR)
    opt: str = choice("adam", OPTIMISERS)
    batch: int = setting(10, 1, 100)
    reg: str = choice("none", REGULARISERS)
    rate: float = choice(0.001, RATES)
    patience: int = setting(0, 0, 1000)         # early stopping after this many epochs; 0: never

    # -- what the settings mean ---------------------------------------------------------------
    @property
    def kind(self) -> str:
        """The data set's head: "binary", "multiclass" or "regression"."""
        return datasets.PROBLEMS[self.data].kind

    @property
    def classes(self) -> int:
        """K of the data: the K setting for a multi-class data set, else 2."""
        return self.K if self.kind == "multiclass" else 2

    @property
    def chosen(self) -> tuple[str, ...]:
        """The features switched on (possibly none)."""
        return tuple(name for name in feats.NAMES if getattr(self, name))

    @property
    def features(self) -> tuple[str, ...]:
        """The network's inputs: the chosen features, or x₁ and x₂ while none is chosen."""
        return self.chosen or tuple(feats.DEFAULT)

    @property
    def widths(self) -> tuple[int, ...]:
        """The hidden layers' widths."""
        return tuple(getattr(self, f"w{i}") for i in range(1, self.L + 1))

    def data_key(self) -> tuple:
        """What the points depend on."""
        return (self.data, self.classes, self.noise, self.points, self.train, self.seed)

