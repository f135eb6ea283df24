"""explorer.settings: a page's settings declared once as a typed frozen dataclass, each field one Param."""
import dataclasses
import math

import numpy as np
import pytest

from explorer.navigation import PAGES
from explorer.settings import BY_MODULE, params_of_module
from explorer.settings.declare import (ParamSet, choice, coerce, from_state, params_of, setting, settings, text,
                                       to_query)
from explorer.settings.param import Param


@settings(page="demo_page", prefix="dm")
class Demo:
    n: int = setting(30, 2, 500)
    rate: float = setting(0.5, 0.0, 3.0)
    grid: bool = setting(False)
    view: str = choice("SAX", {"SAX": "Short axis", "4CH": "Four chambers"})
    k: int = choice(2, {2: "two", 5: "five"})
    shape: str = text("8x1x6x1", max_chars=12)
    derived: tuple = ()                      # not a setting: no URL key


P = params_of(Demo)


# -- declaration ------------------------------------------------------------------------------
def test_every_setting_is_one_param_keyed_prefix_underscore_field():
    assert [p.key for p in P] == ["dm_n", "dm_rate", "dm_grid", "dm_view", "dm_k", "dm_shape"]
    assert (P.page, P.prefix) == ("demo_page", "dm")
    assert "derived" not in P.fields()


def test_kinds_and_ranges_come_from_the_annotations_and_declarations():
    assert P.n == Param("dm_n", 30, "int", 2, 500)
    assert P.rate == Param("dm_rate", 0.5, "float", 0.0, 3.0)
    assert P.grid == Param("dm_grid", False, "bool")
    assert P.view == Param("dm_view", "SAX", "choice", choices=("SAX", "4CH"), labels=("Short axis", "Four chambers"))
    assert P.k.kind == "choice" and P.k.choices == (2, 5) and P.k.label_of(5) == "five"
    assert P.shape == Param("dm_shape", "8x1x6x1", "text", None, 12)


def test_a_choice_default_must_be_an_option_and_a_setting_needs_a_known_type():
    with pytest.raises(ValueError, match="not one of the options"):
        choice("LAX", {"SAX": "Short axis"})
    with pytest.raises(TypeError, match="annotate int, float, bool or str"):
        @settings(page="bad", prefix="bd")
        class Bad:
            sizes: tuple = setting((1, 2))


def test_the_settings_class_is_a_frozen_dataclass_with_the_defaults():
    s = Demo()
    assert (s.n, s.rate, s.grid, s.view, s.k, s.shape, s.derived) == (30, 0.5, False, "SAX", 2, "8x1x6x1", ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.n = 3


# -- ParamSet ---------------------------------------------------------------------------------
def test_paramset_by_field_by_key_iteration_and_length():
    assert isinstance(P, ParamSet) and len(P) == 6
    assert P["dm_rate"] is P.rate and P.fields()["view"] is P.view
    assert P.values() == list(P) == list(P.fields().values())
    with pytest.raises(AttributeError):
        P.nothing
    with pytest.raises(KeyError):
        P["n"]               # by URL key only: the key carries the prefix


# -- reading values ---------------------------------------------------------------------------
def test_from_state_reads_each_key_and_fills_derived_fields():
    state = {"dm_n": 7, "dm_rate": 2.5, "dm_grid": True, "dm_view": "4CH", "dm_k": 5, "dm_shape": "3x4",
             "other": 1}
    s = from_state(Demo, state, derived=(1, 2))
    assert s == Demo(n=7, rate=2.5, grid=True, view="4CH", k=5, shape="3x4", derived=(1, 2))
    assert from_state(Demo, {}) == Demo()


def test_from_state_coerces_to_the_fields_types():
    s = from_state(Demo, {"dm_n": 12.0, "dm_rate": 2, "dm_grid": np.bool_(True), "dm_view": "Four chambers",
                          "dm_k": "five"})
    assert (s.n, s.rate, s.grid, s.view, s.k) == (12, 2.0, True, "4CH", 5)
    assert type(s.n) is int and type(s.rate) is float and type(s.grid) is bool


@pytest.mark.parametrize("key, bad", [
    ("dm_n", 501), ("dm_n", 1), ("dm_n", 2.5), ("dm_n", True), ("dm_n", "30"), ("dm_n", math.nan),
    ("dm_rate", math.inf), ("dm_rate", -0.1), ("dm_rate", None), ("dm_grid", "true"), ("dm_grid", 1),
    ("dm_view", "LAX"), ("dm_view", ["SAX"]), ("dm_k", 3), ("dm_shape", "x" * 13), ("dm_shape", 8),
])
def test_a_value_no_widget_could_send_falls_back_to_the_default(key, bad):
    s = from_state(Demo, {key: bad})
    field = next(name for name, p in P.fields().items() if p.key == key)
    assert getattr(s, field) == P[key].default
    assert coerce(P[key], bad) == P[key].default


def test_to_query_gives_every_setting_by_url_key():
    assert to_query(Demo(n=9, view="4CH", derived=(5,))) == {
        "dm_n": 9, "dm_rate": 0.5, "dm_grid": False, "dm_view": "4CH", "dm_k": 2, "dm_shape": "8x1x6x1"}


# -- every page's settings module -------------------------------------------------------------
MODULES = {p.module for p in PAGES}


def test_every_settings_module_belongs_to_a_page():
    assert BY_MODULE, "no settings module found"
    assert set(BY_MODULE) <= MODULES, set(BY_MODULE) - MODULES
    assert params_of_module("linear_regression") is params_of(BY_MODULE["linear_regression"])
    assert params_of_module("no_such_page") is None


@pytest.mark.parametrize("module", sorted(BY_MODULE))
def test_a_pages_keys_all_carry_its_prefix_and_its_defaults_are_valid(module):
    params = params_of(BY_MODULE[module])
    assert params.prefix and params.page
    for name, p in params.fields().items():
        assert p.key == f"{params.prefix}_{name}"
        assert coerce(p, p.default) == p.default, p          # the default is a value its widget allows
    BY_MODULE[module]()                                      # every field has a default


def test_keys_prefixes_and_page_ids_are_unique_across_pages():
    sets = [params_of(cls) for cls in BY_MODULE.values()]
    keys = [p.key for s in sets for p in s]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    prefixes = [s.prefix for s in sets]
    assert len(prefixes) == len(set(prefixes)), prefixes
    ids = [s.page for s in sets]
    assert len(ids) == len(set(ids)), ids
    # no prefix is the start of another page's prefix followed by "_" (lr_ and lr_x_ would blur)
    assert not [(a, b) for a in prefixes for b in prefixes if a != b and b.startswith(a + "_")]
