"""The examples in the core's docstrings run and print what they say (a notebook user copies them)."""
import doctest
import importlib

import pytest

MODULES = ["activations", "architecture", "mlp", "probability", "datasets", "classify", "mri", "supervised",
           "clustering", "components", "inpainting", "reinforcement", "landscape"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"explorer.core.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_the_modules_with_examples_have_them():
    counts = {name: doctest.testmod(importlib.import_module(f"explorer.core.{name}")).attempted
              for name in ("activations", "architecture", "mlp", "probability", "datasets", "supervised",
                           "clustering", "components", "probability")}
    assert all(n > 0 for n in counts.values()), counts
