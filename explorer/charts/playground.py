"""The playground's pictures: the output over the plane, the network with a picture per unit, the losses.

Everything a unit computes is drawn over the same square of the plane
(x1, x2 in [-extent, extent]) with one colour code: blue > 0, red < 0, white 0
(RdBu, safe for colour blindness), the same code as the weights on the edges.
Pictures are rendered with numpy (a colour lookup table), fast enough to redraw ten
times a second; grids of values come as ``[H, W]`` arrays whose row 0 is the lowest
x2 (the order of :func:`explorer.core.datasets.grid`).

The three figures (the plane, the network, the losses) are plain-data specs drawn by
``CANVAS_JS`` on a canvas, in place, so that they can change ten times a second without
flicker; each has a PNG download button.
"""
from __future__ import annotations

import base64
import io
import json
from functools import lru_cache

import numpy as np
import plotly.colors
from PIL import Image
from skimage import measure

from explorer.charts.style import DIVERGING, NEGATIVE, PALETTE, POSITIVE

SYMBOLS = ["circle", "x", "diamond", "triangle-up", "square", "star", "cross", "pentagon"]
BINARY_CLASSES = ((1, "circle", POSITIVE), (0, "x", NEGATIVE))   # label, marker, colour
BOUNDED = {"tanh": 1.0, "sigmoid": 1.0, "softmax": 1.0}          # outputs drawn on a fixed scale


# -- pictures as pixels ----------------------------------------------------------------
@lru_cache(maxsize=4)
def _lut(scale: str = DIVERGING) -> np.ndarray:
    """256 RGB colours of a plotly colour scale, as uint8 (read-only)."""
    colours = plotly.colors.sample_colorscale(scale, list(np.linspace(0.0, 1.0, 256)), colortype="tuple")
    lut = np.round(np.array(colours) * (255 if max(map(max, colours)) <= 1.0 else 1)).astype(np.uint8)
    lut.flags.writeable = False
    return lut


@lru_cache(maxsize=4)
def _scale_json(name: str) -> str:
    return json.dumps(plotly.colors.get_colorscale(name))


def _scale(name: str = DIVERGING) -> list:
    """The colour scale as [[position, colour], ...] (the canvas's colour bar): the pictures' colours."""
    return json.loads(_scale_json(name))


def to_rgb(values: np.ndarray, lo: float | np.ndarray, hi: float | np.ndarray, scale: str = DIVERGING) -> np.ndarray:
    """Values ``[..., H, W]`` (row 0 = lowest x2) -> uint8 images ``[..., H, W, 3]`` (row 0 = top).

    ``lo`` and ``hi`` map to the ends of the scale; they may be arrays that broadcast
    against ``values`` (one range per picture)."""
    v = np.asarray(values, dtype=float)
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    span = np.where(hi > lo, hi - lo, 1.0)
    with np.errstate(invalid="ignore"):
        idx = (v - lo) / span * 255.0
    idx = np.clip(np.nan_to_num(idx, nan=127.5), 0, 255).astype(np.uint8)
    return _lut(scale)[idx[..., ::-1, :]]


def unit_rgb(values: np.ndarray, activation: str = "") -> np.ndarray:
    """Units' outputs over the plane ``[..., H, W]`` -> images, 0 white: on [-1, 1] for bounded
    activations (so saturation shows), else on [-m, m] with m each picture's largest |value|."""
    v = np.asarray(values, dtype=float)
    m = BOUNDED.get(activation)
    if m is None:
        with np.errstate(invalid="ignore"):
            m = np.nanmax(np.where(np.isfinite(v), np.abs(v), np.nan), axis=(-2, -1), initial=0.0, keepdims=True)
        m = np.where(m > 0, m, 1.0)
    return to_rgb(v, -m, m)


def _hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def class_regions_rgb(P: np.ndarray, strength: float = 0.75) -> np.ndarray:
    """``P : [K, H, W]`` class probabilities -> image: the argmax class's colour, more
    saturated where the network is surer (max P from 1/K, white, to 1, full ``strength``)."""
    K = P.shape[0]
    P = np.nan_to_num(P, nan=1.0 / K)
    colours = np.stack([_hex_rgb(PALETTE[k % len(PALETTE)]) for k in range(K)])
    best = P.argmax(axis=0)
    confidence = np.clip((P.max(axis=0) - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0)[..., None]
    rgb = 255.0 + (colours[best] - 255.0) * strength * confidence
    return rgb[::-1].astype(np.uint8)


def png_uri(rgb: np.ndarray) -> str:
    """A ``data:`` URI of the image as PNG (fast compression: these are redrawn often)."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def tiles(rows: list[list[np.ndarray]], gap: int = 2) -> np.ndarray:
    """Images (all the same size) in rows, separated by white gaps: one picture."""
    h, w, _ = rows[0][0].shape
    width = max(len(r) for r in rows)
    out = np.full((len(rows) * (h + gap) - gap, width * (w + gap) - gap, 3), 255, dtype=np.uint8)
    for i, row in enumerate(rows):
        for j, img in enumerate(row):
            out[i * (h + gap):i * (h + gap) + h, j * (w + gap):j * (w + gap) + w] = img
    return out


# -- figure specs: plain data, drawn by the canvas component ---------------------------------
# A plotly chart is rebuilt from scratch (and blanks) whenever its figure changes, which is
# ten times a second here. So these figures are plain dicts ("specs") that CANVAS_JS draws on
# a canvas, in place; the page mounts it as a Streamlit component (charts never import streamlit).
def pic(rgb: np.ndarray) -> dict:
    """An ``[H, W, 3]`` uint8 image as raw RGB bytes in base64: drawn without any decoding delay."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    return {"w": int(rgb.shape[1]), "h": int(rgb.shape[0]), "b64": base64.b64encode(rgb.tobytes()).decode("ascii")}


def _round(a: np.ndarray) -> list:
    return np.round(np.asarray(a, dtype=float), 3).tolist()


def _colorbar(lo: float, hi: float, label: str) -> dict:
    return {"stops": [[float(p), c] for p, c in _scale()], "lo": lo, "hi": hi, "label": label,
            "ticks": [lo, (lo + hi) / 2, hi]}


def _hex(rgb: np.ndarray) -> list[str]:
    return ["#%02x%02x%02x" % tuple(int(v) for v in c) for c in rgb]


def _point_groups(X: np.ndarray, Y: np.ndarray, kind: str, test: bool) -> list[dict]:
    rim, width = ("#000000", 1.0) if test else ("#ffffff", 1.0)
    if kind == "regression":
        colours = _hex(_lut()[np.clip((np.nan_to_num(Y[0]) + 1) / 2 * 255, 0, 255).astype(int)])
        return [{"symbol": "circle", "fill": colours, "rim": rim, "rimWidth": width, "x": _round(X[0]), "y": _round(X[1])}]
    labels = (Y[0] >= 0.5).astype(int) if Y.shape[0] == 1 else Y.argmax(axis=0)
    groups = []
    for k, symbol, colour, _ in _class_styles(kind, Y.shape[0]):
        m = labels == k
        if m.any():
            groups.append({"symbol": symbol, "fill": colour, "rim": rim, "rimWidth": width,
                           "x": _round(X[0, m]), "y": _round(X[1, m])})
    return groups


def _class_styles(kind: str, K: int) -> list[tuple[int, str, str, str]]:
    """(label, marker, colour, legend text) per class: colour *and* shape differ."""
    if kind == "binary":
        return [(label, symbol, colour, f"y = {label}") for label, symbol, colour in BINARY_CLASSES]
    return [(k, SYMBOLS[k % len(SYMBOLS)], PALETTE[k % len(PALETTE)], f"class {k + 1}") for k in range(K)]


def output_spec(g: np.ndarray, out: np.ndarray, kind: str, train: tuple, test: tuple | None, title: str,
                height: int = 440, name: str = "playground-output", scale: float = 1.0) -> dict:
    """What the network outputs over the plane, with the training and (optionally) test points.

    ``out`` over the grid ``g x g`` (pixel centres): ``[H, W]`` P(y = 1) (binary) or ŷ
    (regression), or ``[K, H, W]`` class probabilities (multi-class: argmax regions,
    confidence as saturation). ``train`` and ``test`` are ``(X [2, B], Y)``; the plane
    drawn is ``[-extent, extent]²`` with ``extent = g[-1] + half a pixel``.
    """
    step = float(g[1] - g[0])
    extent = float(g[-1]) + step / 2
    contours, colorbar = [], None
    if kind == "multiclass":
        image = class_regions_rgb(out)
    elif kind == "binary":
        image = to_rgb(out, 0.0, 1.0)
        colorbar = _colorbar(0.0, 1.0, "P(y=1)")
        if np.isfinite(out).all() and out.min() < 0.5 < out.max():
            for line in measure.find_contours(out, 0.5):
                contours.append(_round(np.stack([g[0] + line[:, 1] * step, g[0] + line[:, 0] * step], axis=1)))
    else:
        image = to_rgb(out, -1.0, 1.0)
        colorbar = _colorbar(-1.0, 1.0, "ŷ")
    points, entries = [], []
    X, Y = train
    points += _point_groups(X, Y, kind, test=False)
    if kind == "regression":
        entries.append({"symbol": "circle", "fill": POSITIVE, "rim": "#ffffff", "rimWidth": 1, "label": "train (colour: y)"})
    else:
        K = Y.shape[0]
        entries += [{"symbol": symbol, "fill": colour, "rim": "#ffffff", "rimWidth": 1, "label": label}
                    for _, symbol, colour, label in _class_styles(kind, K)]
    if test is not None and test[0] is not None and test[0].shape[1]:
        points += _point_groups(test[0], test[1], kind, test=True)
        entries.append({"symbol": "circle", "fill": "#bbbbbb", "rim": "#000000", "rimWidth": 1.0,
                        "label": "test (black rim)"})
    if contours:
        entries.append({"line": "#000000", "label": "P = 0.5"})
    return {"kind": "output", "title": title, "name": name, "height": height, "scale": scale, "extent": extent,
            "image": pic(image), "contours": contours, "points": points, "legend": entries, "colorbar": colorbar}


def network_spec(columns: list[dict], weights: list[np.ndarray], title: str, height: int = 440,
                 name: str = "playground-network", scale: float = 1.0) -> dict:
    """Columns of unit pictures joined by the weights (blue w > 0, red w < 0, thicker = larger |w|).

    ``columns[c]``: ``{"header": (name, detail), "n": units in the layer, "shown": indices drawn,
    "pics": one [h, w, 3] image per shown unit, "names": a label per shown unit or None}``.
    ``weights[l]`` is layer l+1's ``W`` between the shown units, ``[len(shown out), len(shown in)]``.
    """
    edges = []
    for l, W in enumerate(weights):
        src, dst = columns[l]["shown"], columns[l + 1]["shown"]
        for jj, j in enumerate(dst):
            for ii, i in enumerate(src):
                w = float(W[jj, ii])
                if np.isfinite(w):
                    edges.append([l, int(i), int(j), round(w, 4)])
    wmax = max((abs(e[3]) for e in edges), default=1.0) or 1.0
    cols = [{"header": list(c["header"]), "n": int(c["n"]), "shown": [int(i) for i in c["shown"]],
             "names": c.get("names"), "pics": [pic(p) for p in c["pics"]]} for c in columns]
    return {"kind": "network", "title": title, "name": name, "height": height, "scale": scale,
            "columns": cols, "edges": edges, "wmax": wmax}


def loss_spec(epochs: np.ndarray, train: np.ndarray, test: np.ndarray | None, loss_name: str,
              height: int = 260, name: str = "playground-loss", scale: float = 1.0) -> dict:
    """Training (solid) and test (dashed) loss against the epoch."""
    def clean(a):
        return [float(v) if np.isfinite(v) else None for v in np.round(np.asarray(a, dtype=float), 6)]
    lines = [{"name": "train loss", "colour": PALETTE[0], "dash": False, "y": clean(train)}]
    if test is not None and len(test):
        lines.append({"name": "test loss", "colour": PALETTE[5], "dash": True, "y": clean(test)})
    return {"kind": "loss", "title": "Loss over time", "name": name, "height": height, "scale": scale,
            "x": _round(epochs), "xlabel": "epoch", "ylabel": loss_name, "lines": lines}


CANVAS_CSS = """
.pg-figure { position: relative; width: 100%; }
.pg-figure canvas { display: block; }
.pg-save { position: absolute; bottom: 2px; right: 2px; font: 12px sans-serif; color: #555867; background: #fff;
           border: 1px solid #d5d7de; border-radius: 4px; padding: 1px 6px; cursor: pointer; opacity: 0; }
.pg-figure:hover .pg-save, .pg-save:focus { opacity: 1; }
"""

CANVAS_JS = r"""// The playground's figures, drawn on a canvas: redrawn in place ten times a second without
// remounting (a plotly chart is rebuilt from scratch on every change). One entry point,
// three kinds of figure: "output" (the plane), "network" (unit pictures and weights), "loss".
const FONT = '"Source Sans 3", "Source Sans Pro", sans-serif';

function setup(root, height) {
  const canvas = root.querySelector("canvas");
  const width = Math.max(200, Math.floor(root.clientWidth || 400));
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = width + "px";
  canvas.style.height = height + "px";
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  return [ctx, width];
}

function font(size, scale, bold) {
  return (bold ? "600 " : "") + Math.round(size * scale) + "px " + FONT;
}

function pixels(pic) {
  // {w, h, b64}: raw RGB bytes, row 0 at the top -> an offscreen canvas (drawn synchronously)
  const raw = atob(pic.b64);
  const off = document.createElement("canvas");
  off.width = pic.w;
  off.height = pic.h;
  const octx = off.getContext("2d");
  const img = octx.createImageData(pic.w, pic.h);
  for (let i = 0, j = 0; i < raw.length; i += 3, j += 4) {
    img.data[j] = raw.charCodeAt(i);
    img.data[j + 1] = raw.charCodeAt(i + 1);
    img.data[j + 2] = raw.charCodeAt(i + 2);
    img.data[j + 3] = 255;
  }
  octx.putImageData(img, 0, 0);
  return off;
}

function niceTicks(lo, hi, count) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : v);
  return out;
}

function fmt(v) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace("e+", "e");
  return String(Math.round(v * 1000) / 1000).replace("-", "−");
}

function title(ctx, text, scale) {
  ctx.fillStyle = "#262730";
  ctx.font = font(16, scale, true);
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  ctx.fillText(text, 4, 4);
}

function marker(ctx, symbol, x, y, r, fill, rim, rimWidth) {
  ctx.beginPath();
  if (symbol === "x" || symbol === "cross") {
    const d = symbol === "x" ? r * 0.95 : r * 1.2;
    const lines = symbol === "x" ? [[-d, -d, d, d], [-d, d, d, -d]] : [[-d, 0, d, 0], [0, -d, 0, d]];
    for (const [width, colour] of [[r * 0.8 + 1.5 * rimWidth, rim], [r * 0.8, fill]]) {
      ctx.beginPath();
      for (const [a, b, c, e] of lines) { ctx.moveTo(x + a, y + b); ctx.lineTo(x + c, y + e); }
      ctx.lineWidth = width;
      ctx.lineCap = "round";
      ctx.strokeStyle = colour;
      ctx.stroke();
    }
    return;
  }
  if (symbol === "circle") ctx.arc(x, y, r, 0, 2 * Math.PI);
  else {
    const shapes = { square: [4, Math.PI / 4, 1.25], diamond: [4, 0, 1.35], "triangle-up": [3, 0, 1.4],
                     pentagon: [5, 0, 1.2], star: [10, 0, 1.4] };
    const [n, turn, grow] = shapes[symbol] || [4, 0, 1.3];
    for (let k = 0; k < n; k++) {
      const a = turn + (2 * Math.PI * k) / n - Math.PI / 2;
      const rr = symbol === "star" && k % 2 ? r * 0.55 : r * grow;
      k ? ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a)) : ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
    }
    ctx.closePath();
  }
  ctx.fillStyle = fill;
  ctx.fill();
  if (rimWidth > 0) {
    ctx.lineWidth = rimWidth;
    ctx.strokeStyle = rim;
    ctx.stroke();
  }
}

function legend(ctx, entries, x, y, scale, maxWidth, measureOnly) {
  ctx.font = font(13, scale);
  ctx.textBaseline = "middle";
  ctx.textAlign = "left";
  let cx = x, cy = y;
  for (const e of entries) {
    const w = 22 * scale + ctx.measureText(e.label).width + 14 * scale;
    if (cx + w > x + maxWidth && cx > x) { cx = x; cy += 20 * scale; }
    if (measureOnly) { cx += w; continue; }
    if (e.line) {
      ctx.beginPath();
      ctx.setLineDash(e.dash ? [6, 4] : []);
      ctx.moveTo(cx, cy); ctx.lineTo(cx + 16 * scale, cy);
      ctx.strokeStyle = e.line; ctx.lineWidth = e.width || 2.5; ctx.stroke();
      ctx.setLineDash([]);
    } else {
      marker(ctx, e.symbol, cx + 8 * scale, cy, 4.5 * scale, e.fill, e.rim, e.rimWidth);
    }
    ctx.fillStyle = "#31333f";
    ctx.fillText(e.label, cx + 22 * scale, cy);
    cx += w;
  }
  return cy;
}

function axes(ctx, box, xr, yr, xticks, yticks, xlabel, ylabel, scale, grid) {
  const [l, t, w, h] = box;
  const X = (v) => l + ((v - xr[0]) / (xr[1] - xr[0])) * w;
  const Y = (v) => t + h - ((v - yr[0]) / (yr[1] - yr[0])) * h;
  ctx.font = font(12, scale);
  ctx.fillStyle = "#555867";
  ctx.strokeStyle = grid ? "#e6e9ef" : "#888a94";
  ctx.lineWidth = 1;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of xticks) {
    if (grid) { ctx.beginPath(); ctx.moveTo(X(v), t); ctx.lineTo(X(v), t + h); ctx.stroke(); }
    ctx.fillText(fmt(v), X(v), t + h + 5);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of yticks) {
    if (grid) { ctx.beginPath(); ctx.moveTo(l, Y(v)); ctx.lineTo(l + w, Y(v)); ctx.stroke(); }
    ctx.fillText(fmt(v), l - 6, Y(v));
  }
  ctx.font = font(14, scale);
  ctx.fillStyle = "#31333f";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.fillText(xlabel, l + w / 2, t + h + 8 + 14 * scale);
  ctx.save();
  ctx.translate(l - 30 * scale - 14, t + h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "bottom";
  ctx.fillText(ylabel, 0, 0);
  ctx.restore();
  return [X, Y];
}

function drawOutput(root, d) {
  const s = d.scale || 1;
  const [ctx, width] = setup(root, d.height);
  title(ctx, d.title, s);
  const bar = d.colorbar ? 58 * s : 0;
  const left = 44 * s, top = 30 * s;
  const legendHeight = legend(ctx, d.legend, 0, 0, s, width - left, true) + 20 * s;
  const bottom = 44 * s + legendHeight;
  const side = Math.max(80, Math.min(width - left - bar - 12, d.height - top - bottom));
  const box = [left + Math.max(0, (width - left - bar - 12 - side) / 2), top, side, side];
  const [l, t] = box;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(pixels(d.image), l, t, side, side);
  const ticks = niceTicks(-d.extent, d.extent, 6);
  const [X, Y] = axes(ctx, box, [-d.extent, d.extent], [-d.extent, d.extent], ticks, ticks, "x₁", "x₂", s, false);
  ctx.strokeStyle = "#888a94";
  ctx.lineWidth = 1;
  ctx.strokeRect(l, t, side, side);
  ctx.save();
  ctx.beginPath();
  ctx.rect(l, t, side, side);
  ctx.clip();
  ctx.strokeStyle = "#000000";
  ctx.lineWidth = 2.5 * s;
  for (const line of d.contours || []) {
    ctx.beginPath();
    line.forEach(([x, y], i) => (i ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
    ctx.stroke();
  }
  const r = 3.6 * s * Math.min(1.3, Math.max(0.75, side / 380));
  for (const g of d.points) {
    for (let i = 0; i < g.x.length; i++) {
      const fill = Array.isArray(g.fill) ? g.fill[i] : g.fill;
      marker(ctx, g.symbol, X(g.x[i]), Y(g.y[i]), r, fill, g.rim, g.rimWidth);
    }
  }
  ctx.restore();
  if (d.colorbar) {
    const cb = d.colorbar, bx = l + side + 14 * s, bw = 12 * s;
    const grad = ctx.createLinearGradient(0, t + side, 0, t);
    for (const [p, c] of cb.stops) grad.addColorStop(p, c);
    ctx.fillStyle = grad;
    ctx.fillRect(bx, t, bw, side);
    ctx.strokeStyle = "#888a94";
    ctx.strokeRect(bx, t, bw, side);
    ctx.font = font(12, s);
    ctx.fillStyle = "#555867";
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    for (const v of cb.ticks) ctx.fillText(fmt(v), bx + bw + 4, t + side - ((v - cb.lo) / (cb.hi - cb.lo)) * side);
    if (cb.label) {
      ctx.textBaseline = "bottom";
      ctx.textAlign = "center";
      ctx.fillText(cb.label, bx + bw / 2, t - 8);
    }
  }
  legend(ctx, d.legend, left, t + side + 46 * s, s, width - left);
}

function drawNetwork(root, d) {
  const s = d.scale || 1;
  const [ctx, width] = setup(root, d.height);
  title(ctx, d.title, s);
  const cols = d.columns;
  const C = cols.length;
  const slots = Math.max(3, ...cols.map((c) => c.shown.length + (c.shown.length < c.n ? 1 : 0)));
  const top = 64 * s, bottom = 8;
  const leftPad = (cols[0].names ? 58 : 16) * s, rightPad = 34 * s;
  const dy = (d.height - top - bottom) / slots;
  const span = width - leftPad - rightPad;
  const size = Math.max(14, Math.min(dy * 0.84, C > 1 ? (span / (C - 1)) * 0.5 : 76, 76 * s));
  const xs = cols.map((_, c) => (C > 1 ? leftPad + size / 2 + (c * (span - size)) / (C - 1) : width / 2));
  const ys = cols.map((col) => {
    const k = col.shown.length + (col.shown.length < col.n ? 1 : 0);
    const first = top + (slots - k) * dy / 2 + dy / 2;
    const pos = {};
    let slot = 0;
    col.shown.forEach((unit, i) => {
      if (i === 4 && col.shown.length < col.n) slot++;
      pos[unit] = first + slot * dy;
      slot++;
    });
    return pos;
  });
  for (const [l, i, j, w] of d.edges) {
    const x0 = xs[l] + size / 2, y0 = ys[l][i], x1 = xs[l + 1] - size / 2, y1 = ys[l + 1][j];
    const m = Math.min(1, Math.abs(w) / d.wmax);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo((x0 + x1) / 2, y0, (x0 + x1) / 2, y1, x1, y1);
    ctx.strokeStyle = w >= 0 ? "rgba(33,102,172," + (0.25 + 0.7 * m) + ")" : "rgba(178,24,43," + (0.25 + 0.7 * m) + ")";
    ctx.lineWidth = (0.6 + 5.5 * m) * s;
    ctx.stroke();
  }
  ctx.imageSmoothingEnabled = true;
  cols.forEach((col, c) => {
    col.shown.forEach((unit, i) => {
      const x = xs[c] - size / 2, y = ys[c][unit] - size / 2;
      ctx.drawImage(pixels(col.pics[i]), x, y, size, size);
      ctx.strokeStyle = "#555867";
      ctx.lineWidth = 1;
      ctx.strokeRect(x, y, size, size);
      if (col.names) {
        ctx.font = font(14, s);
        ctx.fillStyle = "#31333f";
        ctx.textAlign = "right";
        ctx.textBaseline = "middle";
        ctx.fillText(col.names[i], x - 6, ys[c][unit]);
      }
    });
    if (col.shown.length < col.n) {
      const gap = (ys[c][col.shown[3]] + ys[c][col.shown[4]]) / 2;
      ctx.font = font(15, s, true);
      ctx.fillStyle = "#31333f";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText("⋮ " + col.n, xs[c], gap);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillStyle = "#31333f";
    ctx.font = font(14, s, true);
    ctx.fillText(col.header[0], xs[c], top - 22 * s);
    ctx.font = font(13, s);
    const room = C > 1 ? (span - size) / (C - 1) - 4 : width;
    const wide = ctx.measureText(col.header[1]).width;
    if (wide > room) ctx.font = Math.max(9, Math.floor((13 * s * room) / wide)) + "px " + FONT;
    ctx.fillStyle = "#555867";
    ctx.fillText(col.header[1], xs[c], top - 6 * s);
  });
}

function drawLoss(root, d) {
  const s = d.scale || 1;
  const [ctx, width] = setup(root, d.height);
  title(ctx, d.title, s);
  const box = [64 * s, 34 * s, width - 64 * s - 14, d.height - 34 * s - 46 * s];
  let xmax = 0, ymax = 0;
  for (const line of d.lines) for (let i = 0; i < line.y.length; i++) {
    if (Number.isFinite(line.y[i])) ymax = Math.max(ymax, line.y[i]);
    xmax = Math.max(xmax, d.x[i]);
  }
  ymax = ymax > 0 ? ymax * 1.05 : 1;
  xmax = xmax > 0 ? xmax : 1;
  const [X, Y] = axes(ctx, box, [0, xmax], [0, ymax], niceTicks(0, xmax, 6), niceTicks(0, ymax, 4), d.xlabel, d.ylabel, s, true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(box[0], box[1] - 2, box[2], box[3] + 4);
  ctx.clip();
  for (const line of d.lines) {
    ctx.beginPath();
    let on = false;
    for (let i = 0; i < line.y.length; i++) {
      if (!Number.isFinite(line.y[i])) { on = false; continue; }
      on ? ctx.lineTo(X(d.x[i]), Y(line.y[i])) : ctx.moveTo(X(d.x[i]), Y(line.y[i]));
      on = true;
    }
    ctx.setLineDash(line.dash ? [7, 5] : []);
    ctx.strokeStyle = line.colour;
    ctx.lineWidth = 2.5 * s;
    ctx.stroke();
  }
  ctx.restore();
  ctx.setLineDash([]);
  const entries = d.lines.map((l) => ({ label: l.name, line: l.colour, dash: l.dash }));
  ctx.font = font(13, s);
  const w = entries.reduce((a, e) => a + 36 * s + ctx.measureText(e.label).width, 0);
  const lx = Math.max(box[0] + 4, box[0] + box[2] - w - 4), ly = box[1] + 12 * s;
  ctx.fillStyle = "rgba(255,255,255,0.85)";
  ctx.fillRect(lx - 4, ly - 11 * s, w + 4, 22 * s);
  legend(ctx, entries, lx, ly, s, w + 10);
}

const DRAW = { output: drawOutput, network: drawNetwork, loss: drawLoss };

function draw(root) {
  const d = root.__spec;
  if (!d || !DRAW[d.kind]) return;
  root.style.height = d.height + "px";
  DRAW[d.kind](root, d);
}

export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".pg-figure");
  if (!root) {
    root = document.createElement("div");
    root.className = "pg-figure";
    root.innerHTML = '<canvas role="img"></canvas><button class="pg-save" title="Download as PNG">PNG ⤓</button>';
    parentElement.appendChild(root);
    root.querySelector(".pg-save").onclick = () => {
      const a = document.createElement("a");
      a.href = root.querySelector("canvas").toDataURL("image/png");
      a.download = (root.__spec && root.__spec.name ? root.__spec.name : "figure") + ".png";
      a.click();
    };
    new ResizeObserver(() => draw(root)).observe(root);
  }
  root.__spec = data;
  root.querySelector("canvas").setAttribute("aria-label", data ? data.title : "");
  draw(root);
}
"""
