"""The mathematics of the Explorer: numpy (and scipy/scikit-image) only, no UI.

Import the pieces directly, e.g. ``from explorer.core.mlp import MLP``.
"""
