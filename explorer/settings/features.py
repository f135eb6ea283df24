"""Settings of the feature-engineering page (explorer/pages/features.py)."""
from explorer.core.images import SAMPLES
from explorer.settings.declare import choice, setting, settings

IMAGE_KEYS = ("cat", "camera", "face", "mr_small", "syn_ch4", "syn_sax", "syn_ch2", "syn_ch3", "syn_other", "chest")
STEPS = {100: "100", 300: "300", 1000: "1000"}


@settings(page="features", prefix="fe")
class Settings:
    image: str = choice("cat", {k: SAMPLES[k].label for k in IMAGE_KEYS})   # the picture HOG is shown on
    orient: int = setting(9, 1, 18)          # HOG: orientation bins per cell's histogram
    ppc: int = setting(8, 4, 32)             # pixels per cell (a side)
    cpb: int = setting(2, 1, 4)              # cells per block (a side)
    steps: int = choice(300, STEPS)          # the comparison: Adam steps per neuron
    seed: int = setting(0, 0, 999_999)       # ... and its seed (data, splits, first weights)

    @property
    def hog(self) -> tuple[int, int, int]:
        """(orientations, pixels per cell, cells per block), as skimage's hog() takes them."""
        return (self.orient, self.ppc, self.cpb)
