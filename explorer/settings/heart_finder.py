"""Settings of the heart finder (explorer/pages/heart_finder.py): the task and its training, the samples shown,
and the chest the model slides over."""
from explorer.core import mri
from explorer.settings.declare import choice, setting, settings

TASKS = {"binary": "heart / no heart: logistic regression",
         "views": "five views: softmax regression",
         "mlp": "five views: MLP, one hidden layer"}
SIZES = {24: "24 × 24", 32: "32 × 32", 48: "48 × 48"}
RATES = {v: f"{v:g}" for v in (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)}
STEPS = {v: str(v) for v in (50, 100, 200, 300, 500, 1000)}
SCALES = {1.0: "×1", 1.5: "×1.5", 2.0: "×2"}
HEART_VIEWS = tuple(v for v in mri.CLASSES if mri.HAS_HEART[v])      # the views a chest slice can show
NO_HEART = tuple(v for v in mri.CLASSES if not mri.HAS_HEART[v])     # the class(es) without a heart


@settings(page="heart_finder", prefix="hf")
class Settings:
    task: str = choice("binary", TASKS)
    n: int = setting(60, 10, 150)               # images per class
    size: int = choice(32, SIZES)               # image side, pixels
    lr: float = choice(0.01, RATES)             # Adam's learning rate
    steps: int = choice(300, STEPS)
    hidden: int = setting(32, 1, 128)           # the MLP's hidden width
    seed: int = setting(0, 0, 999_999)          # the slices, the split and the first weights
    wrong: bool = setting(False)                # the samples shown: mistakes first
    chest: int = setting(0, 0, 999_999)         # the chest image's seed
    view: str = choice("CH4" if "CH4" in HEART_VIEWS else HEART_VIEWS[0], {v: v for v in HEART_VIEWS})
    stride: int = setting(2, 1, 8)              # of the sliding window, in input pixels
    scale: float = choice(1.0, SCALES)          # window size / training size

    def model_key(self, task: str | None = None) -> tuple:
        """What a trained model depends on (the same key, the same model: training is seeded)."""
        task = task or self.task
        return (task, self.n, self.size, self.lr, self.steps, self.hidden if task == "mlp" else 0, self.seed)

    def window_key(self) -> tuple:
        """What a heat map over the chest depends on, besides the model."""
        return (self.chest, self.view, self.stride, self.scale)
