"""Fixtures shared by the core tests."""
import warnings

import numpy as np
import pytest


@pytest.fixture
def no_warnings():
    """Turn every warning (numpy's RuntimeWarning included) into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            yield
