"""Saving and loading networks: exact round trip, and every broken file refused with a reason."""
import io
import json

import numpy as np
import pytest

from explorer.core.mlp import MLP
from explorer.core.serialize import NetworkFileError, config_json, load_network, save_network


def test_round_trip_gives_the_same_predictions():
    net = MLP(3, [5, 4, 2], ["maxout", "elu", "softmax"], seed=4, pieces=3, alpha=0.5)
    data = save_network(net, {"dataset": "spiral"})
    back, meta = load_network(data)
    X = np.random.default_rng(0).normal(size=(3, 11))
    np.testing.assert_array_equal(back.forward(X), net.forward(X))
    assert meta["dataset"] == "spiral" and meta["n_params"] == net.n_params
    assert json.loads(config_json(net))["widths"] == [5, 4, 2]


def npz(**arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def good_config(**changes):
    meta = {"format": "deep-learning-explorer/mlp-v1", "n_in": 2, "widths": [1], "activations": ["sigmoid"]}
    meta.update(changes)
    return np.array(json.dumps(meta))


@pytest.mark.parametrize("data, message", [
    (b"", "not a valid .npz"),
    (b"PK\x03\x04garbage", "not a valid .npz"),
    (npz(W1=np.zeros((1, 2))), "no configuration"),
    (npz(config=np.array("{not json")), "not valid JSON"),
    (npz(config=np.array(json.dumps({"format": "other"}))), "not saved by this version"),
    (npz(config=good_config(widths=[0])), "not a valid network"),
    (npz(config=good_config(activations=["rm -rf"])), "not a valid network"),
    (npz(config=good_config(n_in=10**9, widths=[512])), "larger than this app allows"),
    (npz(config=good_config(), W1=np.zeros((2, 2)), b1=np.zeros((1, 1))), "shape"),
    (npz(config=good_config(), W1=np.full((1, 2), np.nan), b1=np.zeros((1, 1))), "nan or inf"),
    (npz(config=good_config(), W1=np.array([["a", "b"]]), b1=np.zeros((1, 1))), "number array"),
])
def test_broken_files_are_refused_with_a_reason(data, message):
    with pytest.raises(NetworkFileError, match=message):
        load_network(data)


def test_pickled_objects_are_never_loaded():
    buf = io.BytesIO()
    np.savez(buf, config=good_config(), W1=np.array([object()], dtype=object), b1=np.zeros((1, 1)))
    with pytest.raises(NetworkFileError):
        load_network(buf.getvalue())


def test_copy_weights_needs_the_same_layout():
    from explorer.core.serialize import copy_weights
    a = MLP(2, [4, 1], ["tanh", "sigmoid"], seed=1)
    b = MLP(2, [4, 1], ["tanh", "sigmoid"], seed=2)
    back, _ = load_network(save_network(a))
    copy_weights(back, b)
    X = np.random.default_rng(0).normal(size=(2, 5))
    np.testing.assert_array_equal(a.forward(X), b.forward(X))
    with pytest.raises(NetworkFileError, match=r"2 → 4 → 1 \(tanh, sigmoid\).*2 → 3 → 1"):
        copy_weights(back, MLP(2, [3, 1], ["tanh", "sigmoid"]))


# -- hostile files: every check happens before anything large is allocated ----------------------
import random
import zipfile

from explorer.core.serialize import MAX_ARRAY_BYTES, MAX_FILE_BYTES, MAX_JSON_DEPTH


def npy_bytes(array: np.ndarray, shape=None, descr=None) -> bytes:
    """``array`` as .npy bytes, with its header's shape or dtype replaced if asked (a lying header)."""
    header = np.lib.format.header_data_from_array_1_0(array)
    if shape is not None:
        header["shape"] = shape
    if descr is not None:
        header["descr"] = descr
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + array.tobytes()


def zip_of(members: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return buf.getvalue()


def good_members(**changes):
    meta = json.loads(str(good_config()))
    members = {"config.npy": npy_bytes(np.array(json.dumps(meta))), "W1.npy": npy_bytes(np.ones((1, 2))),
               "b1.npy": npy_bytes(np.zeros((1, 1)))}
    members.update(changes)
    return {k: v for k, v in members.items() if v is not None}


def config_member(meta_text: str) -> bytes:
    return npy_bytes(np.array(meta_text))


def test_a_hand_made_file_loads():
    net, meta = load_network(zip_of(good_members()))
    np.testing.assert_array_equal(net.layers[0].W, np.ones((1, 2)))
    fortran = np.asfortranarray(np.arange(2.0).reshape(1, 2))
    net, _ = load_network(zip_of(good_members(**{"W1.npy": np.lib.format.header_data_from_array_1_0(fortran)
                                                  and _fortran_npy(fortran)})))
    np.testing.assert_array_equal(net.layers[0].W, [[0.0, 1.0]])


def _fortran_npy(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


BIG = 10**6


@pytest.mark.parametrize("members, message", [
    (good_members(**{"W1.npy": npy_bytes(np.ones((1, 2)), shape=(BIG, BIG))}), "claims 7,629,395 MB"),
    (good_members(**{"W1.npy": npy_bytes(np.ones((1, 2)), shape=(1, 2, 3))}), "two-dimensional"),
    (good_members(**{"W1.npy": npy_bytes(np.ones((1, 2)), shape=(1, 3))}), "cut short"),
    (good_members(**{"W1.npy": npy_bytes(np.ones((1, 2))) + b"extra"}), "data after"),
    (good_members(**{"W1.npy": npy_bytes(np.ones((1, 2)), descr="<c16")}), "two-dimensional number"),
    (good_members(**{"W1.npy": npy_bytes(np.ones((1, 2)), descr="|O")}), "Python objects"),
    (good_members(**{"W1.npy": b"\x93NUMPY\x09\x00" + b"\0" * 20}), "damaged array header"),
    (good_members(**{"W1.npy": b"\x93NUMPY\x01\x00\x10\x00{'descr': __import__('os')}"}), "damaged array header"),
    (good_members(**{"W1.npy": b"not npy"}), "damaged"),
    (good_members(**{"evil.npy": npy_bytes(np.zeros(1))}), "never has ('evil.npy')"),
    (good_members(**{"../../W1.npy": npy_bytes(np.zeros(1))}), "never has"),
    (good_members(**{"W2.npy": npy_bytes(np.zeros((1, 1)))}), "does not have"),
    (good_members(**{"config.npy": npy_bytes(np.zeros((2, 2)))}), "one text"),
    (good_members(**{"config.npy": npy_bytes(np.array("x" * 70_000))}), "one text of at most 65,536"),
    (good_members(**{"config.npy": config_member(json.dumps(
        {**json.loads(str(good_config())), "deep": json.loads("[" * 40 + "]" * 40)}))}), "nested more than 8"),
    (good_members(**{"config.npy": config_member(
        '{"format": "deep-learning-explorer/mlp-v1", "x": ' + "[" * 30_000 + "]" * 30_000 + "}")}), "nested"),
    (good_members(**{"config.npy": config_member(str(good_config()).replace('"n_in": 2', '"n_in": NaN'))}), "NaN"),
    (good_members(**{"config.npy": config_member(str(good_config()).replace('"n_in": 2', '"n_in": 1e400'))}), "NaN"),
    (good_members(**{"config.npy": config_member(str(good_config()).replace('"n_in": 2', '"n_in": 2.0'))}),
     "whole numbers"),
    (good_members(**{"config.npy": config_member(str(good_config()).replace('"n_in": 2', '"n_in": true'))}),
     "whole numbers"),
    (good_members(**{"config.npy": config_member(str(good_config()).replace('"n_in": 2', '"n_in": "2"'))}),
     "whole numbers"),
    (good_members(**{"config.npy": config_member(str(good_config(widths=[1] * 17, activations=["relu"] * 16 + ["sigmoid"])))}),
     "1 to 16 layers"),
    (good_members(**{"config.npy": config_member(str(good_config(widths=list(range(3000)))))}), "more than 2,000 values"),
    (good_members(**{"config.npy": config_member(str(good_config(slope=5)))}), "slope must be a number from 0 to 1"),
    (good_members(**{"config.npy": config_member(str(good_config(alpha=0)))}), "alpha must be"),
    (good_members(**{"config.npy": config_member(str(good_config(alpha="1")))}), "alpha must be"),
    (good_members(**{"config.npy": config_member(str(good_config(n_in=4096, widths=[4096, 1],
                                                                 activations=["relu", "sigmoid"])))}),
     "larger than this app allows"),
])
def test_hostile_members_and_settings_are_refused(members, message):
    with pytest.raises(NetworkFileError, match=re.escape(message)):
        load_network(zip_of(members))


import re  # noqa: E402  (used by the parametrised test above)


def test_zip_level_tricks():
    bomb = zip_of(good_members(**{"W1.npy": npy_bytes(np.zeros((1, 2)), shape=(4096, 4096)) + b"\0" * (2**27)}))
    assert len(bomb) < 200_000                      # 128 MB of zeros deflate to ~130 kB
    with pytest.raises(NetworkFileError, match="unpack to 128 MB"):
        load_network(bomb)
    with pytest.raises(NetworkFileError, match="compression this app does not read"):
        load_network(zip_of(good_members(), zipfile.ZIP_LZMA))
    with pytest.raises(NetworkFileError, match="members"):
        load_network(zip_of({f"W{i % 9 + 1}.npy{'x' * i}": b"" for i in range(40)}))
    data = bytearray(zip_of(good_members(), zipfile.ZIP_STORED))
    data[data.find(b"W1.npy") + 40] ^= 0xFF        # one flipped byte in W1's data: the CRC fails
    with pytest.raises(NetworkFileError, match="damaged"):
        load_network(bytes(data))
    with pytest.raises(NetworkFileError, match="larger than 10 MB"):
        load_network(b"PK" + b"\0" * MAX_FILE_BYTES)
    with pytest.raises(NetworkFileError, match="not a file's bytes"):
        load_network("config.npy")


def test_duplicate_members_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, payload in good_members().items():
            zf.writestr(name, payload)
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zf.writestr("W1.npy", npy_bytes(np.full((1, 2), 9.0)))
    with pytest.raises(NetworkFileError, match="twice"):
        load_network(buf.getvalue())


def test_every_single_byte_corruption_is_refused_cleanly_or_loads_a_valid_network():
    data = save_network(MLP(2, [3, 1], ["tanh", "sigmoid"], seed=0), {"dataset": "xor"})
    rng = random.Random(0)
    outcomes = {"refused": 0, "loaded": 0}
    for position in rng.sample(range(len(data)), min(len(data), 300)):
        broken = bytearray(data)
        broken[position] ^= 1 << rng.randrange(8)
        try:
            net, _ = load_network(bytes(broken))
        except NetworkFileError:
            outcomes["refused"] += 1
        else:
            assert all(np.isfinite(p).all() for p in net.parameters())
            outcomes["loaded"] += 1
    assert outcomes["refused"] > 200, outcomes     # almost every flip breaks a CRC or a header
    for cut in range(0, len(data), 7):
        with pytest.raises(NetworkFileError):
            load_network(data[:cut])


PEAK_SCRIPT = r"""
import resource, sys
from explorer.core.serialize import NetworkFileError, load_network
data = open(sys.argv[1], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    load_network(data)
    print("loaded")
except NetworkFileError as e:
    print("refused:", e)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024)
"""


def test_peak_memory_of_hostile_and_largest_network_files(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]

    def peak(data):
        path = tmp_path / "net.npz"
        path.write_bytes(data)
        out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(path)], capture_output=True, text=True,
                             cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300)
        assert out.returncode == 0, out.stderr
        result, mb = out.stdout.strip().splitlines()
        return result, float(mb)

    claim = zip_of(good_members(**{"W1.npy": npy_bytes(np.ones((1, 2)), shape=(BIG, BIG))}))
    result, mb = peak(claim)
    assert result.startswith("refused") and mb < 10, (result, mb)
    bomb = zip_of(good_members(**{"W1.npy": npy_bytes(np.zeros((1, 2)), shape=(4096, 2048)) + b"\0" * (2**26)}))
    result, mb = peak(bomb)
    assert result.startswith("refused") and mb < 10, (result, mb)
    n_in = 1024 * 1024          # the largest legal network: 8 M parameters = 64 MB, zeros compress to 64 kB
    big = MLP(n_in, [7, 1], ["relu", "sigmoid"], seed=0)
    for layer in big.layers:
        layer.W[...] = 0.0
    data = save_network(big)
    assert len(data) < MAX_FILE_BYTES
    result, mb = peak(data)
    assert result == "loaded" and mb < 3 * MAX_ARRAY_BYTES / 2**20, (result, mb)
