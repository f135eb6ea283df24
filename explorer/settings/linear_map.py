"""Settings of the linear-map page (explorer/pages/linear_map.py)."""
from explorer.settings.declare import choice, setting, settings


@settings(page="linear_map", prefix="lm")
class Settings:
    input: str = choice("number", {"number": "N features", "image": "image H x W"})   # N typed, or H × W
    N: int = setting(6, 1, 10**9)            # inputs per sample
    H: int = setting(34, 1, 100_000)         # an image's rows and columns (N = H · W)
    W: int = setting(10, 1, 100_000)
    K: int = setting(1, 1, 20)               # outputs (classes)
    B: int = setting(8, 1, 1024)             # images in the batch
    seed: int = setting(0, 0, 999_999)       # of the example numbers

    @property
    def n_inputs(self) -> int:
        """N, the length of one sample: typed, or H · W for an image."""
        return self.H * self.W if self.input == "image" else self.N
