// draw.js: the playground's pictures on canvases: colour maps, the network diagram's layout
// and hit-testing, the 0.5 contour, axes ticks, markers, the heat map and the loss curve.
//
// The top half is pure (numbers in, numbers out; tested under Node without a DOM in
// tests/web/playground.test.mjs); the drawing functions take a CanvasRenderingContext2D.
//
// One colour code everywhere (as explorer/charts/playground.py): blue > 0, red < 0, the
// page's background colour at 0 (ColorBrewer RdBu, safe for colour blindness); the same
// code for the weights on the edges.

// -- colours ---------------------------------------------------------------------------------
// RdBu (plotly's, as explorer.charts.style.DIVERGING): position 0 = most negative (red).
export const RDBU = [[103, 0, 31], [178, 24, 43], [214, 96, 77], [244, 165, 130], [253, 219, 199],
  [247, 247, 247], [209, 229, 240], [146, 197, 222], [67, 147, 195], [33, 102, 172], [5, 48, 97]];
// On a dark page the middle is dark and the ends are light: lightness still grows with |value|.
export const RDBU_DARK = [[255, 120, 100], [235, 95, 85], [205, 75, 72], [165, 58, 62], [105, 46, 54],
  [40, 42, 54], [44, 70, 104], [52, 98, 150], [66, 130, 194], [98, 162, 226], [140, 195, 250]];
// Okabe-Ito, as explorer.charts.style.PALETTE (the classes of a multi-class problem).
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
export const POSITIVE = '#2166AC';
export const NEGATIVE = '#B2182B';

// 256 RGB entries interpolated linearly between the stops.
export function makeLut(stops = RDBU) {
  const lut = new Uint8ClampedArray(256 * 3), m = stops.length - 1;
  for (let i = 0; i < 256; i++) {
    const p = (i / 255) * m, k = Math.min(m - 1, Math.floor(p)), f = p - k;
    for (let c = 0; c < 3; c++) lut[3 * i + c] = Math.round(stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f);
  }
  return lut;
}

// The LUT index of value v on [lo, hi] (NaN: the middle).
export function lutIndex(v, lo, hi) {
  if (!(v === v)) return 128;
  const t = (v - lo) / (hi - lo || 1);
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
}

export function hexToRgb(hex) {
  const h = String(hex || '').trim().replace('#', '');
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h.slice(0, 6);
  const n = parseInt(full, 16);
  return Number.isNaN(n) || full.length !== 6 ? null : [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// Relative luminance in [0, 1] of an [r, g, b].
export function luminance([r, g, b]) {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

// The theme's colours from Streamlit's CSS variables (--st-background-color, ...).
export function themeColours(get) {
  const bg = hexToRgb(get('--st-background-color')) || [255, 255, 255];
  const text = hexToRgb(get('--st-text-color')) || [49, 51, 63];
  const dark = luminance(bg) < 0.5;
  const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));
  const css = (c) => `rgb(${c[0]},${c[1]},${c[2]})`;
  return {
    dark, bgRgb: bg, bg: css(bg), text: css(text), muted: css(mix(text, bg, 0.35)), grid: css(mix(text, bg, 0.85)),
    frame: css(mix(text, bg, 0.6)), inactive: css(mix(text, bg, 0.75)), panel: css(mix(bg, text, 0.06)),
    positive: dark ? '#62a2e2' : POSITIVE, negative: dark ? '#eb5f55' : NEGATIVE,
    lut: makeLut(dark ? RDBU_DARK : RDBU),
  };
}

// -- the diagram's layout and hit-testing ------------------------------------------------------
// columns: the number of units per column (inputs first, output last).
// Returns {size, cols: [{x, units: [{x, y}]}]}: the centre of every unit square of side `size`.
export function layoutDiagram(columns, width, height, { top = 56, bottom = 10, left = 64, right = 24, maxSize = 44 } = {}) {
  const C = columns.length, most = Math.max(1, ...columns);
  const usableH = Math.max(20, height - top - bottom);
  const dx = C > 1 ? (width - left - right) / (C - 1) : 0;
  const size = Math.max(6, Math.min(maxSize, (usableH / most) * 0.82, C > 1 ? dx * 0.45 : maxSize));
  const step = Math.min(usableH / most, size * 1.6);
  const cols = columns.map((n, c) => {
    const x = C > 1 ? left + c * dx : width / 2;
    const y0 = top + (usableH - step * (n - 1)) / 2;
    return { x, units: Array.from({ length: n }, (_, i) => ({ x, y: y0 + i * step })) };
  });
  return { size, cols };
}

// [column, unit] of the unit square under (x, y), or null.
export function hitUnit(layout, x, y, pad = 2) {
  const h = layout.size / 2 + pad;
  for (let c = 0; c < layout.cols.length; c++) {
    const col = layout.cols[c];
    if (Math.abs(x - col.x) > h) continue;
    for (let i = 0; i < col.units.length; i++) if (Math.abs(y - col.units[i].y) <= h) return [c, i];
  }
  return null;
}

// A point of the edge curve at t in [0, 1] (a cubic Bézier, horizontal at both ends).
export function edgePoint(x0, y0, x1, y1, t) {
  const mx = (x0 + x1) / 2, u = 1 - t;
  const x = u * u * u * x0 + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * x1;
  const y = u * u * u * y0 + 3 * u * u * t * y0 + 3 * u * t * t * y1 + t * t * t * y1;
  return [x, y];
}

export function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay, L = dx * dx + dy * dy;
  const t = L ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / L)) : 0;
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

// The edge nearest (x, y) within `tol` pixels: {layer, from, to} (W[layer][to][from]) or null.
// `edges(l)` lists the [from, to] pairs drawn between columns l and l + 1.
export function hitEdge(layout, edges, x, y, tol = 4) {
  let best = null, bestD = tol;
  const half = layout.size / 2;
  for (let l = 0; l + 1 < layout.cols.length; l++) {
    const a = layout.cols[l], b = layout.cols[l + 1];
    if (x < a.x + half - tol || x > b.x - half + tol) continue;
    for (const [i, j] of edges(l)) {
      const ua = a.units[i], ub = b.units[j];
      const x0 = ua.x + half, x1 = ub.x - half;
      let [px, py] = [x0, ua.y];
      for (let s = 1; s <= 12; s++) {
        const [qx, qy] = edgePoint(x0, ua.y, x1, ub.y, s / 12);
        const d = segmentDistance(x, y, px, py, qx, qy);
        if (d < bestD) { bestD = d; best = { layer: l, from: i, to: j }; }
        px = qx; py = qy;
      }
    }
  }
  return best;
}

// -- the 0.5 line: marching squares --------------------------------------------------------------
// values [steps*steps] (row 0 = lowest x2) -> segments [[c0, r0, c1, r1], ...] in grid units
// (pixel-centre coordinates: column c is at c + 0.5).
export function contourSegments(values, steps, level = 0.5) {
  const segs = [];
  const at = (r, c) => values[r * steps + c];
  const cross = (a, b) => (level - a) / (b - a);
  for (let r = 0; r + 1 < steps; r++) {
    for (let c = 0; c + 1 < steps; c++) {
      const v0 = at(r, c), v1 = at(r, c + 1), v2 = at(r + 1, c + 1), v3 = at(r + 1, c);
      if (!(Number.isFinite(v0) && Number.isFinite(v1) && Number.isFinite(v2) && Number.isFinite(v3))) continue;
      const code = (v0 > level ? 1 : 0) | (v1 > level ? 2 : 0) | (v2 > level ? 4 : 0) | (v3 > level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const pts = [];   // crossings on the four sides: bottom, right, top, left
      if ((code & 1) !== ((code >> 1) & 1)) pts.push([c + cross(v0, v1), r]);
      if (((code >> 1) & 1) !== ((code >> 2) & 1)) pts.push([c + 1, r + cross(v1, v2)]);
      if (((code >> 2) & 1) !== ((code >> 3) & 1)) pts.push([c + 1 - cross(v2, v3), r + 1]);
      if (((code >> 3) & 1) !== (code & 1)) pts.push([c, r + 1 - cross(v3, v0)]);
      for (let k = 0; k + 1 < pts.length; k += 2) {
        segs.push([pts[k][0] + 0.5, pts[k][1] + 0.5, pts[k + 1][0] + 0.5, pts[k + 1][1] + 0.5]);
      }
    }
  }
  return segs;
}

// -- axes ----------------------------------------------------------------------------------------
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.999) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

// A number for a label: at most 3 decimals, scientific when tiny or huge, a real minus sign.
export function fmt(v, digits = 3) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a >= 1e4 || a < 1e-3 ? v.toExponential(1).replace('e+', 'e') : String(Math.round(v * 10 ** digits) / 10 ** digits);
  return s.replace('-', '−');
}

// Scale of a unit's picture: [-1, 1] for bounded activations (saturation shows), else its largest |a|.
export const BOUNDED = new Set(['tanh', 'sigmoid', 'softmax']);
export function pictureRange(values, offset, count, activation) {
  if (BOUNDED.has(activation)) return 1;
  let m = 0;
  for (let i = offset; i < offset + count; i++) { const a = Math.abs(values[i]); if (a > m && a < Infinity) m = a; }
  return m > 0 ? m : 1;
}

// Values of row `row` of a [rows, n] array over the grid -> RGBA pixels (row 0 = top = highest x2),
// sampled every `every` grid points.
export function paintPicture(out, outOffset, outStride, values, row, steps, every, lo, hi, lut) {
  const n = steps * steps, px = Math.floor(steps / every);
  for (let r = 0; r < px; r++) {
    const gr = steps - 1 - r * every;   // top row of the picture: the highest x2
    for (let c = 0; c < px; c++) {
      const v = values[row * n + gr * steps + c * every];
      const k = 3 * lutIndex(v, lo, hi), o = outOffset + r * outStride + 4 * c;
      out[o] = lut[k]; out[o + 1] = lut[k + 1]; out[o + 2] = lut[k + 2]; out[o + 3] = 255;
    }
  }
}

// Class regions of a multi-class output A [K, n] -> RGBA: the argmax class's colour, fading to the
// background where the network is unsure (max P near 1/K).
export function paintClasses(out, A, K, steps, bgRgb) {
  const n = steps * steps, cols = PALETTE.map(hexToRgb);
  for (let r = 0; r < steps; r++) {
    const gr = steps - 1 - r;
    for (let c = 0; c < steps; c++) {
      const g = gr * steps + c;
      let best = 0;
      for (let k = 1; k < K; k++) if (A[k * n + g] > A[best * n + g]) best = k;
      const p = A[best * n + g], conf = Number.isFinite(p) ? Math.max(0, Math.min(1, (p - 1 / K) / (1 - 1 / K))) : 0;
      const col = cols[best % cols.length], o = 4 * (r * steps + c), t = 0.75 * conf;
      out[o] = bgRgb[0] + (col[0] - bgRgb[0]) * t;
      out[o + 1] = bgRgb[1] + (col[1] - bgRgb[1]) * t;
      out[o + 2] = bgRgb[2] + (col[2] - bgRgb[2]) * t;
      out[o + 3] = 255;
    }
  }
}

// -- drawing -------------------------------------------------------------------------------------
export const FONT = '"Source Sans 3", "Source Sans Pro", sans-serif';
export function font(size, scale = 1, bold = false) {
  return `${bold ? '600 ' : ''}${Math.round(size * scale)}px ${FONT}`;
}

export function marker(ctx, symbol, x, y, r, fill, rim, rimWidth = 1) {
  ctx.beginPath();
  if (symbol === 'x') {
    const d = r * 0.95;
    for (const [w, colour] of [[r * 0.8 + 1.5 * rimWidth, rim], [r * 0.8, fill]]) {
      ctx.beginPath();
      ctx.moveTo(x - d, y - d); ctx.lineTo(x + d, y + d); ctx.moveTo(x - d, y + d); ctx.lineTo(x + d, y - d);
      ctx.lineWidth = w; ctx.lineCap = 'round'; ctx.strokeStyle = colour; ctx.stroke();
    }
    return;
  }
  if (symbol === 'circle') ctx.arc(x, y, r, 0, 2 * Math.PI);
  else {
    const shapes = { square: [4, Math.PI / 4, 1.25], diamond: [4, 0, 1.35], 'triangle-up': [3, 0, 1.4], pentagon: [5, 0, 1.2], star: [10, 0, 1.4] };
    const [n, turn, grow] = shapes[symbol] || [4, 0, 1.3];
    for (let k = 0; k < n; k++) {
      const a = turn + (2 * Math.PI * k) / n - Math.PI / 2, rr = symbol === 'star' && k % 2 ? r * 0.55 : r * grow;
      if (k) ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); else ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
    }
    ctx.closePath();
  }
  ctx.fillStyle = fill; ctx.fill();
  if (rimWidth > 0) { ctx.lineWidth = rimWidth; ctx.strokeStyle = rim; ctx.stroke(); }
}

export const SYMBOLS = ['circle', 'x', 'diamond', 'triangle-up', 'square', 'star', 'pentagon', 'circle'];

// The style of a point of class/value t: [symbol, fill].
export function pointStyle(kind, t, theme) {
  if (kind === 'binary') return t >= 0.5 ? ['circle', theme.positive] : ['x', theme.negative];
  if (kind === 'multiclass') return [SYMBOLS[t % SYMBOLS.length], PALETTE[t % PALETTE.length]];
  const k = 3 * lutIndex(t, -1, 1);
  return ['circle', `rgb(${theme.lut[k]},${theme.lut[k + 1]},${theme.lut[k + 2]})`];
}

// Axes around box [l, t, w, h] for x and y in [lo, hi]; returns the maps (value -> pixel).
export function axes(ctx, box, xr, yr, xticks, yticks, xlabel, ylabel, theme, scale = 1, grid = false) {
  const [l, t, w, h] = box;
  const X = (v) => l + ((v - xr[0]) / (xr[1] - xr[0])) * w;
  const Y = (v) => t + h - ((v - yr[0]) / (yr[1] - yr[0])) * h;
  ctx.font = font(12, scale); ctx.fillStyle = theme.muted; ctx.lineWidth = 1;
  ctx.strokeStyle = theme.grid;
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  for (const v of xticks) {
    if (grid) { ctx.beginPath(); ctx.moveTo(X(v), t); ctx.lineTo(X(v), t + h); ctx.stroke(); }
    ctx.fillText(fmt(v), X(v), t + h + 4);
  }
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  for (const v of yticks) {
    if (grid) { ctx.beginPath(); ctx.moveTo(l, Y(v)); ctx.lineTo(l + w, Y(v)); ctx.stroke(); }
    ctx.fillText(fmt(v), l - 5, Y(v));
  }
  ctx.font = font(13, scale); ctx.fillStyle = theme.text; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  if (xlabel) ctx.fillText(xlabel, l + w / 2, t + h + 6 + 13 * scale);
  if (ylabel) {
    ctx.save(); ctx.translate(l - 30 * scale - 8, t + h / 2); ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'bottom'; ctx.fillText(ylabel, 0, 0); ctx.restore();
  }
  return [X, Y];
}

// The loss curve: history [[epoch, train, test], ...] on box [l, t, w, h].
export function drawLoss(ctx, width, height, history, theme, { scale = 1, ylabel = 'loss', showTest = true } = {}) {
  ctx.fillStyle = theme.bg; ctx.fillRect(0, 0, width, height);
  const box = [56 * scale, 10 * scale, width - 56 * scale - 10, height - 10 * scale - 40 * scale];
  let xmax = 1, ymax = 0;
  for (const [e, a, b] of history) {
    if (e > xmax) xmax = e;
    if (Number.isFinite(a) && a > ymax) ymax = a;
    if (showTest && Number.isFinite(b) && b > ymax) ymax = b;
  }
  ymax = ymax > 0 ? ymax * 1.05 : 1;
  const [X, Y] = axes(ctx, box, [0, xmax], [0, ymax], niceTicks(0, xmax, 5), niceTicks(0, ymax, 3), 'epoch', ylabel, theme, scale, true);
  ctx.save(); ctx.beginPath(); ctx.rect(box[0], box[1] - 2, box[2], box[3] + 4); ctx.clip();
  const lines = [[1, PALETTE[0], []]];
  if (showTest) lines.push([2, PALETTE[5], [6, 4]]);
  const stride = Math.max(1, Math.floor(history.length / (2 * box[2])));
  for (const [col, colour, dash] of lines) {
    ctx.beginPath();
    let on = false;
    for (let i = 0; i < history.length; i += (i + stride < history.length ? stride : Math.max(1, history.length - 1 - i))) {
      const v = history[i][col];
      if (!Number.isFinite(v)) { on = false; continue; }
      if (on) ctx.lineTo(X(history[i][0]), Y(v)); else ctx.moveTo(X(history[i][0]), Y(v));
      on = true;
      if (i === history.length - 1) break;
    }
    ctx.setLineDash(dash); ctx.strokeStyle = colour; ctx.lineWidth = 2.2 * scale; ctx.stroke();
  }
  ctx.restore(); ctx.setLineDash([]);
  // legend, top right
  ctx.font = font(12, scale); ctx.textBaseline = 'middle'; ctx.textAlign = 'left';
  let lx = box[0] + box[2] - (showTest ? 160 : 80) * scale;
  for (const [col, colour, dash] of lines) {
    ctx.beginPath(); ctx.setLineDash(dash); ctx.moveTo(lx, box[1] + 8 * scale); ctx.lineTo(lx + 16 * scale, box[1] + 8 * scale);
    ctx.strokeStyle = colour; ctx.lineWidth = 2.2 * scale; ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = theme.text; ctx.fillText(col === 1 ? 'train loss' : 'test loss', lx + 20 * scale, box[1] + 8 * scale);
    lx += 80 * scale;
  }
}
