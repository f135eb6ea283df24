"""Settings of the sigmoid, softmax and logits page (explorer/pages/softmax.py)."""
from explorer.core.mri import CLASSES
from explorer.settings.declare import choice, setting, settings

MAX_K = 10
CLASS_NAMES = list(CLASSES) + [f"class {k}" for k in range(len(CLASSES), MAX_K)]   # the lecture's K = 5 views first
BIG = 1200.0                  # range of the logits in the trick section
TABS = {"binary": "Binary: sigmoid and logit", "multi": "Multi-class: softmax", "trick": "The softmax trick",
        "neuron": "A neuron on the plane"}


@settings(page="softmax", prefix="sm")
class Settings:
    tab: str = choice("binary", TABS)                # the open tab
    # binary: one score z and the decision threshold on a = σ(z)
    z: float = setting(1.5, -10.0, 10.0)
    thr: float = setting(0.5, 0.01, 0.99)
    # multi-class: K classes, the true one and the temperature (the K logits z0 .. z(K-1) last)
    K: int = setting(5, 2, MAX_K)
    true: int = choice(0, dict(enumerate(CLASS_NAMES)))
    T: float = setting(1.0, 0.1, 10.0)
    # the softmax trick: three logits and the constant c subtracted from them
    t0: float = setting(1000.0, -BIG, BIG)
    t1: float = setting(999.0, -BIG, BIG)
    t2: float = setting(998.0, -BIG, BIG)
    c: float = setting(0.0, -BIG, BIG)
    # a neuron on the plane: a = σ(w1 x1 + w2 x2 + b)
    w1: float = setting(2.0, -10.0, 10.0)
    w2: float = setting(1.0, -10.0, 10.0)
    b: float = setting(-1.0, -10.0, 10.0)
    # the multi-class tab's logits (the first K are used)
    z0: float = setting(2.0, -10.0, 10.0)
    z1: float = setting(1.0, -10.0, 10.0)
    z2: float = setting(0.1, -10.0, 10.0)
    z3: float = setting(-1.0, -10.0, 10.0)
    z4: float = setting(0.5, -10.0, 10.0)
    z5: float = setting(0.0, -10.0, 10.0)
    z6: float = setting(0.0, -10.0, 10.0)
    z7: float = setting(0.0, -10.0, 10.0)
    z8: float = setting(0.0, -10.0, 10.0)
    z9: float = setting(0.0, -10.0, 10.0)

    @property
    def logits(self) -> list[float]:
        """The multi-class tab's K logits z0 .. z(K-1)."""
        return [getattr(self, f"z{k}") for k in range(self.K)]

    @property
    def trick_logits(self) -> list[float]:
        return [self.t0, self.t1, self.t2]
