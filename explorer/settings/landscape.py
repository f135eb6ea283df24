"""Settings of the learning-landscape page (explorer/pages/landscape.py): one group per tab."""
from explorer.core import mri
from explorer.core.clustering import INITS
from explorer.core.inpainting import LABEL_COUNTS, MASKS
from explorer.core.reinforcement import LAYOUT_NAMES
from explorer.core.supervised import POINT_SETS
from explorer.settings.declare import choice, setting, settings

TABS = {"sup": "Supervised", "uns": "Unsupervised", "ssl": "Self-supervised", "rl": "Reinforcement"}
MAX_ITERS = 15                                    # k-means iterations drawn
MRI_PER_CLASS, MRI_SIZE, MRI_SEED = 50, 32, 0     # 250 synthetic slices, 32 × 32
TEST_SHARE = 0.3
N_IMAGES = MRI_PER_CLASS * len(mri.CLASSES)
N_TEST = N_IMAGES - int(round(N_IMAGES * (1 - TEST_SHARE)))
MODELS = {0: "linear (logistic / softmax)", 16: "MLP (16 tanh units)"}
EPISODES = {n: f"{n:,}" for n in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)}


@settings(page="landscape", prefix="ls")
class Settings:
    tab: str = choice("sup", TABS)
    # the 2-D points (supervised and unsupervised)
    data: str = choice("blobs", POINT_SETS)
    noise: float = setting(0.1, 0.0, 0.5)        # 0.1: two moons still look like moons
    seed: int = setting(0, 0, 999)
    # supervised
    model: int = choice(16, MODELS)              # hidden units of the classifier (0: linear)
    shuffle: bool = setting(False)
    # unsupervised: k-means and PCA
    k: int = setting(3, 1, 8)
    init: str = choice("k-means++", INITS)
    kseed: int = setting(0, 0, 999)
    iter: int = setting(1, 0, MAX_ITERS)          # the first iteration: step on from here
    pcx: int = setting(1, 1, 10)
    pcy: int = setting(2, 1, 10)
    # self-supervised
    mask: str = choice("centre", MASKS)
    r: int = setting(2, 1, 8)
    nlab: int = choice(5, {n: str(n) for n in LABEL_COUNTS})
    img: int = setting(1, 1, N_TEST)
    # reinforcement
    world: str = choice("pit", LAYOUT_NAMES)
    episodes: int = choice(500, EPISODES)
    eps: float = setting(0.1, 0.0, 1.0)
    alpha: float = setting(0.5, 0.05, 1.0)
    gamma: float = setting(0.95, 0.0, 1.0)
    rlseed: int = setting(0, 0, 999)

    @property
    def class_names(self) -> list[str]:
        """The point set's classes: three blobs, or two of anything else."""
        return ["class A", "class B", "class C"][: 3 if self.data == "blobs" else 2]
