"""No eval, exec or pickle anywhere in the app: parsed, not grepped, so comments and strings do not count."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "explorer").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")])
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "shelve", "marshal", "joblib"}
FORBIDDEN_ATTRIBUTES = {"read_pickle", "to_pickle", "loads_pickle"}


def problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if isinstance(func, ast.Name) and name in FORBIDDEN_CALLS:
                found.append(f"{where} calls {name}()")
            if name in FORBIDDEN_ATTRIBUTES:
                found.append(f"{where} calls .{name}()")
            for kw in node.keywords:
                if kw.arg == "allow_pickle" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    found.append(f"{where} passes allow_pickle={ast.unparse(kw.value)}")
            if name == "load" and isinstance(func, ast.Attribute) and ast.unparse(func.value) in ("np", "numpy"):
                if not any(kw.arg == "allow_pickle" for kw in node.keywords):
                    found.append(f"{where} calls np.load without allow_pickle=False")
        elif isinstance(node, ast.Import):
            found += [f"{where} imports {a.name}" for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
            found.append(f"{where} imports from {node.module}")
        elif isinstance(node, ast.Name) and node.id in ("eval", "exec") and isinstance(node.ctx, ast.Load):
            found.append(f"{where} refers to {node.id}")
    return found


def test_the_checker_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nfrom shelve import open\nx = eval('1')\nf = exec\n"
                   "import numpy as np\nnp.load('a', allow_pickle=True)\nnp.load('b')\nimport pandas as pd\n"
                   "pd.read_pickle('c')\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = problems(bad)
    finally:
        ROOT = saved
    assert len(found) == 8, found


def test_no_eval_exec_or_pickle_in_the_app():
    assert len(SOURCES) > 20
    found = [p for path in SOURCES for p in problems(path)]
    assert found == []


def test_no_eval_in_the_browser_code():
    scripts = sorted((ROOT / "explorer").rglob("*.js"))
    found = [f"{s.relative_to(ROOT)}" for s in scripts
             for word in ("eval(", "new Function(") if word in s.read_text()]
    assert found == []
