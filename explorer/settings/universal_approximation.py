"""Settings of the universal-approximation page (explorer/pages/universal_approximation.py)."""
from explorer.core import approximation as ua
from explorer.core.activations import LABELS
from explorer.settings.declare import choice, setting, settings

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
TARGET_LABELS = {name: "|x|" if name == "abs" else name for name in ua.TARGETS}   # shown, and in the URL


@settings(page="ua", prefix="ua")
class Settings:
    target: str = choice("sine", TARGET_LABELS)          # the curve y(x) to fit
    noise: float = setting(0.0, 0.0, 0.5)                # σ of the noise on the samples
    width: int = setting(16, 1, ua.MAX_WIDTH)            # hidden units
    act: str = choice("tanh", LABELS)                    # f of the hidden layer
    lr: float = choice(ua.DEFAULT_LR, {lr: f"{lr:g}" for lr in LEARNING_RATES})   # Adam's
    spt: int = setting(50, 1, 500)                       # Adam steps per frame in the browser
    seed: int = setting(0, 0, 999_999)                   # the first weights and the noise

    def run_key(self) -> tuple:
        """What a run (the browser's training from the seeded first weights) depends on: a change restarts it."""
        return (self.target, self.width, self.act, self.noise, self.seed)

    def sweep_key(self) -> tuple:
        """What the width sweep depends on."""
        return (self.target, self.act, float(self.lr), self.seed, self.noise)
