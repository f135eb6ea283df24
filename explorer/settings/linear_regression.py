"""Settings of the linear-regression page (explorer/pages/linear_regression.py)."""
from explorer.settings.declare import setting, settings

SPAN = 8.0     # the w and b sliders (and the loss picture) cover -SPAN..SPAN


@settings(page="regression", prefix="lr")
class Settings:
    n: int = setting(30, 2, 500)                 # N, the number of samples
    true_w: float = setting(2.0, -5.0, 5.0)      # the line the data is made from
    true_b: float = setting(1.0, -5.0, 5.0)
    noise: float = setting(0.5, 0.0, 3.0)        # its noise (standard deviation)
    seed: int = setting(0, 0, 999_999)
    w: float = setting(-3.0, -SPAN, SPAN)        # the user's line ŷ = w x + b
    b: float = setting(5.0, -SPAN, SPAN)
    rate: float = setting(0.01, 1e-6, 1.0)       # gradient descent: learning rate and steps
    steps: int = setting(50, 1, 500)
