"""The exported scripts (explorer.core.export_code) write each activation as its registry entry says.

The numpy script is run for every activation of the registry and gives explorer.core's numbers. The
PyTorch script cannot run here (no torch): it must parse and call the right torch function.
"""
import ast
import dataclasses
import doctest
import subprocess
import sys

import numpy as np
import pytest

from explorer.core import activations as acts
from explorer.core import export_code
from explorer.core import features as feats
from explorer.core.activations import LAYER_ACTIVATIONS, NAMES, ExportCode
from explorer.core.mlp import MLP, head_loss

FEATURES = ("x1", "x2", "x1x2")
PARAMS = {"slope": 0.2, "alpha": 0.5, "pieces": 3}      # not the defaults: the script must write them in
OUTPUT = {"binary": "sigmoid", "multiclass": "softmax", "regression": "identity"}

# What the PyTorch script must call for each activation (an independent reference, written from torch's
# documentation): the dotted name of the call, its positional arguments after Z, its keywords.
TORCH_CALL = {
    "sigmoid": ("torch.sigmoid", [], {}),
    "tanh": ("torch.tanh", [], {}),
    "relu": ("torch.relu", [], {}),
    "leaky_relu": ("torch.nn.functional.leaky_relu", [0.2], {}),     # negative_slope
    "elu": ("torch.nn.functional.elu", [0.5], {}),                   # alpha
    "gelu": ("torch.nn.functional.gelu", [], {}),                    # approximate='none': the erf form
    "silu": ("torch.nn.functional.silu", [], {}),
    "softplus": ("torch.nn.functional.softplus", [], {}),
    "softmax": ("torch.softmax", [], {"dim": 0}),                    # over the classes: axis 0
    "maxout": ("Z.reshape().amax", [], {"dim": 0}),                  # reshape(k, -1, B), max over the pieces
}


def network(name: str):
    """A seeded network whose layers use ``name`` (the output layer for softmax, both hidden layers
    otherwise), its head, the data ``X : [2, B]`` and targets ``Y``, and the indices of ``name``'s layers."""
    if name == "softmax":
        kind, hidden = "multiclass", ["tanh", "tanh"]
    else:
        kind, hidden = ("binary", "multiclass", "regression")[NAMES.index(name) % 3], [name, name]
    K = 3 if kind == "multiclass" else 1
    rng = np.random.default_rng(NAMES.index(name) if name in NAMES else 99)
    X = 2.0 * rng.normal(size=(2, 40))
    if kind == "binary":
        Y = (X[:1] * X[1:] > 0).astype(float)
    elif kind == "multiclass":
        Y = np.eye(K)[rng.integers(0, K, 40)].T
    else:
        Y = np.sin(X[:1]) + 0.1 * X[1:]
    net = MLP(len(FEATURES), [5, 4, K], [*hidden, OUTPUT[kind]], seed=3, **PARAMS)
    layers = [i for i, layer in enumerate(net.layers) if layer.activation == name]
    return net, kind, X, Y, layers


def dotted(node) -> str:
    """``torch.nn.functional.gelu`` for that attribute chain; a call inside it is written ``f()``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{dotted(node.func)}()"
    return ast.dump(node)


def forward_activations(tree: ast.Module) -> list[ast.expr]:
    """The ``a = ...`` expressions of ``forward()``, one per layer, with a call of a helper function of the
    script (maxout, softmax, gelu) replaced by that function's returned expression."""
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    out = []
    for node in functions["forward"].body:
        if not (isinstance(node, ast.Assign) and node.targets[0].id == "a"):
            continue
        value = node.value
        if not (isinstance(value, ast.Name) and value.id == "X"):            # not the first line, a = X
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in functions:
                value = functions[value.func.id].body[-1].value       # the helper's `return ...`
            out.append(value)
    return out


def test_every_registry_entry_has_code_for_both_libraries():
    assert set(LAYER_ACTIVATIONS) == set(NAMES) | {"softmax"} and set(TORCH_CALL) | {"identity"} == set(LAYER_ACTIVATIONS)
    for name, entry in LAYER_ACTIVATIONS.items():
        for lib, code in (("numpy", entry.numpy_code), ("torch", entry.torch_code)):
            assert isinstance(code, ExportCode), (name, lib)
            text = code.write("Z", **PARAMS)
            expr = ast.parse(text, mode="eval").body
            assert "Z" in {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}, (name, lib, text)
            for p in entry.params:                                # each parameter is written in, exactly
                assert repr(PARAMS[p]) in text, (name, lib, p, text)
            assert ("np." not in text and "numpy" not in text) if lib == "torch" else "torch" not in text
            for line in code.imports:
                [stmt] = ast.parse(line).body
                assert isinstance(stmt, (ast.Import, ast.ImportFrom)), (name, lib, line)
            if code.helper:                                       # one function, the one the expression calls
                [fn] = ast.parse(code.helper).body
                assert isinstance(fn, ast.FunctionDef) and ast.get_docstring(fn)
                assert isinstance(expr, ast.Call) and expr.func.id == fn.name, (name, lib, text)
    assert ExportCode("np.tanh({z})").write("Z2") == "np.tanh(Z2)"
    assert LAYER_ACTIVATIONS["identity"].numpy_code.write() == "Z" == LAYER_ACTIVATIONS["identity"].torch_code.write()


@pytest.fixture(scope="module")
def numpy_runs(tmp_path_factory):
    """Every activation's numpy script, all run at the same time (starting python costs most of each run):
    ``name -> (script text, (returncode, stdout, stderr))``."""
    folder = tmp_path_factory.mktemp("numpy_scripts")
    started = {}
    for name in LAYER_ACTIVATIONS:
        net, kind, X, Y, _ = network(name)
        code = export_code.numpy_script(net, FEATURES, kind, X, Y)
        script = folder / f"{name}.py"
        script.write_text(code)
        started[name] = code, subprocess.Popen([sys.executable, "-W", "error", str(script)], text=True,
                                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    runs = {}
    for name, (code, process) in started.items():
        stdout, stderr = process.communicate(timeout=120)
        runs[name] = code, (process.returncode, stdout, stderr)
    return runs


@pytest.mark.parametrize("name", list(LAYER_ACTIVATIONS))
def test_the_numpy_script_of_every_activation_gives_explorer_cores_numbers(numpy_runs, name):
    net, kind, X, Y, layers = network(name)
    code, (returncode, stdout, stderr) = numpy_runs[name]
    tree = ast.parse(code)
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | \
               {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= {"numpy", "math"}, imported                 # numpy and the standard library only
    assert returncode == 0, stderr
    lines = dict(line.split(": ", 1) for line in stdout.strip().splitlines())
    Phi = feats.feature_map(X, FEATURES)
    loss = head_loss(net.logits(Phi), Y, kind)
    [printed_loss] = [float(v) for k, v in lines.items() if k.startswith("training loss")]
    assert printed_loss == pytest.approx(loss, rel=1e-12)
    first = np.array(ast.literal_eval(lines["y_hat of the first points"]))
    y_hat = net.forward(Phi)
    np.testing.assert_allclose(first, y_hat[:, :5], rtol=1e-12, atol=1e-15)
    if kind == "binary":
        assert float(lines["training accuracy"]) == np.mean((y_hat >= 0.5) == (Y >= 0.5))
    elif kind == "multiclass":
        assert float(lines["training accuracy"]) == np.mean(y_hat.argmax(axis=0) == Y.argmax(axis=0))
    else:
        assert float(lines["R2"]) == pytest.approx(1 - np.sum((y_hat - Y) ** 2) / np.sum((Y - Y.mean()) ** 2), rel=1e-12)
    # the activation's layers were really exercised on both sides of 0 (the kinks of leaky ReLU, ELU)
    a = Phi
    for layer in net.layers[:layers[0]]:
        a = layer.activate(layer.pre_activation(a))
    Z = net.layers[layers[0]].pre_activation(a)
    assert (Z < 0).mean() > 0.2 and (Z > 0).mean() > 0.2


@pytest.mark.parametrize("name", list(LAYER_ACTIVATIONS))
def test_the_pytorch_script_parses_and_calls_the_right_torch_function(name):
    net, kind, X, Y, layers = network(name)
    code = export_code.pytorch_script(net, FEATURES, kind, X, Y)
    tree = ast.parse(code)
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [a.name for n in imports for a in n.names] == ["torch"] and "np." not in code
    values = forward_activations(tree)
    assert len(values) == len(net.layers)
    for i in layers:
        value = values[i]
        if name == "identity":
            assert isinstance(value, ast.Name) and value.id == "Z"
            continue
        func, args, keywords = TORCH_CALL[name]
        assert isinstance(value, ast.Call) and dotted(value.func) == func, ast.unparse(value)
        assert [ast.literal_eval(a) for a in value.args[1:]] == args and \
               {k.arg: ast.literal_eval(k.value) for k in value.keywords} == keywords, ast.unparse(value)
        if name == "maxout":       # Z.reshape(k, -1, B) with k = 3 pieces, called as maxout(Z, 3)
            assert ast.unparse(value.func.value) == "Z.reshape(k, -1, Z.shape[1])"
            assert f"a = maxout(Z, {PARAMS['pieces']})" in code
        else:
            assert ast.unparse(value.args[0]) == "Z"
    loss = {"binary": "binary_cross_entropy_with_logits", "multiclass": "cross_entropy", "regression": "** 2"}
    assert loss[kind] in code


def test_a_new_registry_entry_is_all_the_scripts_need(monkeypatch, tmp_path):
    """Adding an activation is one place: an entry with its code, and both scripts write it."""
    cube = dataclasses.replace(acts.ACTIVATIONS["tanh"], name="cube", label="cube", df_from_output=None,
                               _f=lambda x: np.asarray(x, dtype=float) ** 3, _df=lambda x: 3 * np.asarray(x, dtype=float) ** 2,
                               numpy_code=ExportCode("cube({z})", imports=("import math",),
                                                     helper='def cube(Z):\n    """z³."""\n    return Z ** 3'),
                               torch_code=ExportCode("torch.pow({z}, 3)"))
    monkeypatch.setitem(acts.ACTIVATIONS, "cube", cube)
    monkeypatch.setitem(acts.LAYER_ACTIVATIONS, "cube", cube)
    net = MLP(2, [3, 3, 1], ["cube", "cube", "sigmoid"], seed=1)
    X, Y = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]]), np.array([[1.0, 0.0, 1.0]])
    numpy_code = export_code.numpy_script(net, ("x1", "x2"), "binary", X, Y)
    assert numpy_code.count("def cube(Z):") == 1 and numpy_code.count("import math") == 1
    assert numpy_code.count("a = cube(Z)") == 2
    script = tmp_path / "cube.py"
    script.write_text(numpy_code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    first = np.array(ast.literal_eval(out.stdout.strip().splitlines()[-1].split(": ", 1)[1]))
    np.testing.assert_allclose(first, net.forward(X), rtol=1e-12)
    torch_code = export_code.pytorch_script(net, ("x1", "x2"), "binary", X, Y)
    assert torch_code.count("a = torch.pow(Z, 3)") == 2 and "import math" not in torch_code
    monkeypatch.setitem(acts.LAYER_ACTIVATIONS, "cube", dataclasses.replace(cube, torch_code=None))
    with pytest.raises(ValueError, match="'cube' has no torch code in the registry"):
        export_code.pytorch_script(net, ("x1", "x2"), "binary", X, Y)


def test_the_modules_docstring_examples():
    result = doctest.testmod(export_code, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
