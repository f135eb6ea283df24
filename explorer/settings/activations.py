"""Settings of the activation-functions page (explorer/pages/activations.py)."""
from explorer.core.activations import ACTIVATIONS, LABELS, NAMES, PARAM_RANGES
from explorer.settings.declare import choice, setting, settings

DEFAULT_SHOWN = ("sigmoid", "tanh", "relu")


def _range(name: str):
    lo, hi, default = PARAM_RANGES[name]
    return setting(default, lo, hi)


def _shown(name: str):
    return setting(name in DEFAULT_SHOWN)


@settings(page="activations", prefix="act")
class Settings:
    focus: str = choice("sigmoid", LABELS)     # the function whose formula and note are shown
    deriv: bool = setting(True)                # draw the derivatives f'(x) beside f(x)
    xr: float = setting(8.0, 1.0, 50.0)        # x range ±
    x0: float = setting(0.0, -50.0, 50.0)      # the probe point
    slope: float = _range("slope")             # leaky ReLU
    alpha: float = _range("alpha")             # ELU
    pieces: int = _range("pieces")             # maxout
    # one on/off toggle per function, so the set shown lives in the URL as plain booleans
    show_sigmoid: bool = _shown("sigmoid")
    show_tanh: bool = _shown("tanh")
    show_relu: bool = _shown("relu")
    show_leaky_relu: bool = _shown("leaky_relu")
    show_maxout: bool = _shown("maxout")
    show_elu: bool = _shown("elu")
    show_identity: bool = _shown("identity")
    show_gelu: bool = _shown("gelu")
    show_silu: bool = _shown("silu")
    show_softplus: bool = _shown("softplus")

    @property
    def shown(self) -> tuple[str, ...]:
        """The activations switched on, in the registry's order."""
        return tuple(name for name in NAMES if getattr(self, f"show_{name}"))

    def params(self) -> dict:
        """The parameters of the drawn parametric activations (``{"slope": 0.1}``; the rest keep defaults)."""
        return {p: getattr(self, p) for name in self.shown for p in ACTIVATIONS[name].params}


if {f.removeprefix("show_") for f in Settings.__params__.fields() if f.startswith("show_")} != set(NAMES):
    raise RuntimeError("explorer/settings/activations.py: one show_<name> setting per activation of the registry")
