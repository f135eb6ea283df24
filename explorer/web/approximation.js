// approximation.js: universal approximation's live part, a Streamlit (components v2) component.
//
// Python (explorer/pages/universal_approximation.py) sends ONCE per run (a new `id` when the
// settings change, on reset from Python, or when a network file is loaded):
//   {id, title, y (the training targets at evenly spaced x in [-3, 3], with their noise),
//    samples (bool: draw the training samples), yDraw (the target on the evenly spaced drawing
//    grid), yGrid (the target on the dense grid "MSE vs target" is measured on; the grids are
//    numpy's linspace(-3, 3, n), remade here by linspace()), net (nn.js JSON,
//    1 -> width -> 1), steps (the step count of that network), lr, seed, spt (Adam steps per
//    frame), fontPx}
// From then on this file trains with nn.js (full-batch Adam on the mean squared error, as
// explorer.core.approximation.make_trainer) and draws on a canvas at animation speed: the
// target, the fit, and every hidden unit's contribution c_j(x) = w2_j f(w1_j u + b1_j).
// It sends back the state value `report` = {id, steps, net, mse, loss, status, message,
// playing} on pause, step and reset, once a second while playing, and when training diverges;
// Python validates it and uses it for the files and the figures it shows.
//
// Streamlit calls the default export again on every rerun of the page (the effect that mounts a
// component re-runs when its data object changes), with the same parentElement: the live state
// is kept per parentElement, and only a new `id` restarts it, so a rerun never blanks a frame.
import { liveMount } from './mount.js';
import { Network, Trainer } from './nn.js';

const REPORT_EVERY_MS = 1000;
const HISTORY_EVERY_MS = 50;      // the errors (readout and curve) are measured at most this often while playing
const TRAIN_BUDGET_MS = 8;        // training time per frame at most, so that drawing keeps its pace
const HISTORY_MAX = 1200;
const FIT_COLOUR = '#E69F00';                     // Okabe-Ito orange, as the Python charts
const POSITIVE = '#4393C3', NEGATIVE = '#D6604D'; // RdBu, light enough for both themes
const MSE_COLOUR = '#56B4E9', LOSS_COLOUR = '#E69F00';

// -- pure helpers (tested under node: tests/web/approximation.test.mjs) -------------------
// Python's f"{x:.{d}e}": 1.2e-03 (two exponent digits).
export function fmtE(x, digits = 1) {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const [m, e] = x.toExponential(digits).split('e');
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

export function fmtInt(n) {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// Ticks for a linear axis: about `count` round values (1, 2, 5 times a power of ten) in [lo, hi].
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) ticks.push(Math.abs(v) < 1e-12 * step ? 0 : v);
  return ticks;
}

// Ticks for a log axis over [lo, hi] (lo > 0): the powers of ten inside, every second or third
// one when there are many, and at least two labelled values.
export function logTicks(lo, hi) {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const span = b - a, every = span > 12 ? 3 : span > 6 ? 2 : 1;
  const out = [];
  for (let k = b; k >= a; k -= every) out.push(k === 0 ? 0 : k);   // never -0
  return out.reverse();
}

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
export function powerLabel(k) {
  if (k === 0) return '1';
  if (k === 1) return '10';
  return `10${String(k).split('').map((c) => SUPERSCRIPT[c]).join('')}`;
}

// numpy's linspace(lo, hi, n): lo + i * step, the last point exactly hi.
export function linspace(lo, hi, n) {
  const out = new Float64Array(n), step = n > 1 ? (hi - lo) / (n - 1) : 0;
  for (let i = 0; i < n; i++) out[i] = lo + i * step;
  if (n > 1) out[n - 1] = hi;
  return out;
}

// Padded range as explorer.charts.approximation._range (so the top panel does not jump).
export function paddedRange(lo, hi, pad = 0.2, minSpan = 1.0) {
  const span = Math.max(hi - lo, minSpan), mid = 0.5 * (lo + hi);
  return [mid - (0.5 + pad) * span, mid + (0.5 + pad) * span];
}

// Each hidden unit's contribution on the grid u (B points): C[j*B + c] = w2_j a1[j, c]; and ŷ.
export function contributions(net, u, B, C = null) {
  const out = net.forward(u, B);
  const a1 = out[0].a, yHat = out[1].a, width = net.layers[1].nIn, w2 = net.layers[1].W;
  const Cs = C || new Float64Array(width * B);
  for (let j = 0; j < width; j++) for (let c = 0; c < B; c++) Cs[j * B + c] = w2[j] * a1[j * B + c];
  return { C: Cs, yHat, b2: net.layers[1].b[0], width };
}

// Mean squared error of the network against the clean target on the dense grid.
export function gridMse(net, uGrid, yGrid) {
  const y = net.predict(uGrid, uGrid.length);
  let s = 0.0;
  for (let i = 0; i < y.length; i++) { const d = y[i] - yGrid[i]; s += d * d; }
  return s / y.length;
}

// Keep at most `max` points of a history by dropping every second one of the older half.
export function thin(history, max = HISTORY_MAX) {
  if (history.length <= max) return history;
  const keep = Math.floor(history.length / 2);
  return history.filter((_, i) => i >= keep || i % 2 === 0);
}

// -- the live instance ------------------------------------------------------------------------
export default liveMount((root, forget) => new Live(root, forget));

class Live {
  constructor(root, forget) {
    this.root = root;
    this.forget = forget;      // drops this instance (mount.js)
    const doc = root.ownerDocument || document;
    this.el = doc.createElement('div');
    this.el.className = 'ua-live';
    this.el.innerHTML = `
      <div class="ua-bar">
        <button type="button" class="ua-play" data-testid="ua-play">Play</button>
        <button type="button" class="ua-step" data-testid="ua-step">Step</button>
        <button type="button" class="ua-reset" data-testid="ua-reset">Reset</button>
        <span class="ua-readout">Adam step <b class="ua-steps" data-testid="ua-steps">0</b>
          <span class="ua-sep">·</span> MSE vs target <b class="ua-mse" data-testid="ua-mse"></b>
          <span class="ua-sep">·</span> training loss <b class="ua-loss" data-testid="ua-loss"></b></span>
      </div>
      <div class="ua-msg" role="alert" hidden></div>
      <canvas class="ua-fit" data-testid="ua-fit" aria-label="The target, the network's fit and each hidden unit's contribution"></canvas>
      <canvas class="ua-err" data-testid="ua-err" aria-label="The error while training, log scale"></canvas>`;
    root.appendChild(this.el);
    const q = (s) => this.el.querySelector(s);
    this.playButton = q('.ua-play');
    this.out = { steps: q('.ua-steps'), mse: q('.ua-mse'), loss: q('.ua-loss'), msg: q('.ua-msg') };
    this.fit = q('.ua-fit');
    this.err = q('.ua-err');
    this.playButton.addEventListener('click', () => this.setPlaying(!this.playing));
    q('.ua-step').addEventListener('click', () => {
      this.setPlaying(false, false); this.train(this.spt); this.measure(true); this.report(); this.draw();
    });
    q('.ua-reset').addEventListener('click', () => { this.setPlaying(false, false); this.start(); this.report(); this.draw(); });
    this.playing = false;
    this.frame = this.frame.bind(this);
    this.raf = 0;
    this.lastReport = 0;
    this.lastHistory = 0;
    this.unitRange = 1;
    if (typeof ResizeObserver !== 'undefined') {
      this.resize = new ResizeObserver(() => this.draw());
      this.resize.observe(this.el);
    }
  }

  keep() { clearTimeout(this.dropTimer); this.dropTimer = 0; }

  // Streamlit cleaned up: either a rerun (mount() follows at once) or the element left the page.
  release() {
    this.dropTimer = setTimeout(() => {
      if (this.root.isConnected) return;
      this.setPlaying(false, false);
      this.resize?.disconnect();
      this.forget();
    }, 2000);
  }

  update(data) {
    this.keep();      // a rerun: Streamlit called release() just before
    this.data = data;
    this.spt = Math.max(1, Math.trunc(data.spt || 1));
    this.colours = themeColours(this.el);
    if (data.id !== this.id) {
      this.id = data.id;
      this.setPlaying(false, false);
      this.start();
      this.draw();
      return;
    }
    if (this.trainer && data.lr !== this.trainer.lr) this.trainer.retune({ lr: data.lr });
    this.draw();
  }

  start() {
    const d = this.data;
    this.u = Float64Array.from(linspace(-3, 3, d.y.length), (x) => x / 3);
    this.xDraw = linspace(-3, 3, d.yDraw.length);
    this.uDraw = Float64Array.from(this.xDraw, (x) => x / 3);
    this.uGrid = Float64Array.from(linspace(-3, 3, d.yGrid.length), (x) => x / 3);
    this.yGrid = Float64Array.from(d.yGrid);
    this.net = Network.fromJSON(d.net);
    this.trainer = new Trainer(this.net, { X: this.u, Y: Float64Array.from(d.y), B: this.u.length,
      head: 'regression', optimiser: 'adam', lr: d.lr, seed: d.seed });
    this.base = d.steps || 0;
    this.C = new Float64Array(this.net.layers[1].nIn * this.uDraw.length);
    this.history = [];
    this.unitRange = 0;
    this.out.msg.hidden = true;
    this.measure(true);
  }

  get steps() { return this.base + this.trainer.steps; }

  train(n) {
    if (this.trainer.status === 'diverged') return;
    this.trainer.trainSteps(n);
    if (this.trainer.status === 'diverged') {
      this.setPlaying(false, false);
      this.out.msg.textContent = this.trainer.message;
      this.out.msg.hidden = false;
      this.measure(true);
      this.report();
    }
  }

  // The two errors and a point of the error curve (at most every HISTORY_EVERY_MS while playing).
  measure(force) {
    const now = performance.now();
    if (!force && now - this.lastHistory < HISTORY_EVERY_MS) return;
    this.mse = this.trainer.status === 'diverged' ? NaN : gridMse(this.net, this.uGrid, this.yGrid);
    this.loss = this.trainer.status === 'diverged' ? NaN : this.trainer.evaluate().train_loss;
    const last = this.history[this.history.length - 1];
    if (!last || last.step !== this.steps) this.history.push({ step: this.steps, mse: this.mse, loss: this.loss });
    this.history = thin(this.history);
    this.lastHistory = now;
  }

  setPlaying(on, report = true) {
    const was = this.playing;
    this.playing = on && this.trainer?.status !== 'diverged';
    this.playButton.textContent = this.playing ? 'Pause' : 'Play';
    this.playButton.setAttribute('aria-pressed', String(this.playing));
    if (this.playing && !this.raf) { this.lastReport = performance.now(); this.raf = requestAnimationFrame(this.frame); }
    if (!this.playing && this.raf) { cancelAnimationFrame(this.raf); this.raf = 0; }
    if (was && !this.playing && this.trainer) { this.measure(true); this.draw(); }   // the numbers of the weights kept
    if (was && !this.playing && report) this.report();
  }

  // One picture while playing: up to `spt` Adam steps (fewer if they would take longer than
  // TRAIN_BUDGET_MS on this machine, so the picture keeps its pace), then the drawing.
  frame(now) {
    this.raf = 0;
    if (!this.playing) return;
    // as many steps as fit the budget at the cost per step measured so far, at least one
    const n = Math.max(1, Math.min(this.spt, Math.floor(TRAIN_BUDGET_MS / (this.msPerStep || 1e-3))));
    const t0 = performance.now();
    this.train(n);
    const per = (performance.now() - t0) / n;
    this.msPerStep = this.msPerStep ? 0.8 * this.msPerStep + 0.2 * per : per;
    this.measure(false);
    this.draw();
    if (now - this.lastReport >= REPORT_EVERY_MS) { this.lastReport = now; this.report(); }
    if (this.playing) this.raf = requestAnimationFrame(this.frame);
  }

  report() {
    if (!this.setStateValue || !this.trainer) return;
    this.setStateValue('report', {
      id: this.id, steps: this.steps, net: this.net.toJSON(), mse: finiteOrNull(this.mse),
      loss: finiteOrNull(this.loss), status: this.trainer.status, message: this.trainer.message,
      playing: this.playing,
    });
  }

  // -- drawing ---------------------------------------------------------------------------------
  draw() {
    if (!this.trainer) return;
    this.out.steps.textContent = fmtInt(this.steps);
    this.out.mse.textContent = fmtE(this.mse);
    this.out.loss.textContent = fmtE(this.loss);
    this.drawFit();
    this.drawError();
  }

  drawFit() {
    const d = this.data, col = this.colours, font = d.fontPx || 14;
    const ctx = sized(this.fit, Math.round(font * 34));
    if (!ctx) return;
    const W = this.fit.clientWidth, H = this.fit.clientHeight;
    ctx.fillStyle = col.bg; ctx.fillRect(0, 0, W, H);
    ctx.font = `${font + 1}px ${col.font}`;
    ctx.fillStyle = col.text; ctx.textBaseline = 'top'; ctx.textAlign = 'left';
    ctx.fillText(`${d.title}; step ${fmtInt(this.steps)}`, 4, 4);
    const items = [
      ['target y(x)', col.text, [7, 5], 2.5], ['network ŷ(x) = Σ c_j(x) + b2', FIT_COLOUR, [], 4],
      ['unit with w2_j > 0', POSITIVE, [], 2], ['unit with w2_j < 0', NEGATIVE, [], 2], ['output bias b2', col.muted, [2, 4], 2.5],
    ].concat(d.samples ? [['training samples', col.muted, null, 0]] : []);
    const left = font * 4.2, right = W - 12, top = font * 2.6, gap = font * 3.2;
    const rows = legend(ctx, col, font, left, 0, items, false);
    const bottomAxis = font * 3.4 + rows * font * 1.4;
    const plotH = H - top - bottomAxis - gap;
    const topH = plotH * 0.56, unitsTop = top + topH + gap, unitsH = plotH - topH;
    const xs = this.xDraw, B = xs.length;
    const X = (x) => left + ((x - xs[0]) / (xs[B - 1] - xs[0])) * (right - left);
    // top panel: target, samples, fit
    let lo = Math.min(...d.yDraw), hi = Math.max(...d.yDraw);
    if (d.samples) { lo = Math.min(lo, ...d.y); hi = Math.max(hi, ...d.y); }
    const [y0, y1] = paddedRange(lo, hi);
    const Y = (y) => top + (1 - (y - y0) / (y1 - y0)) * topH;
    axes(ctx, col, font, left, right, top, topH, y0, y1, Y, 'y,  ŷ');
    const { C, yHat, b2, width } = contributions(this.net, this.uDraw, B, this.C);
    ctx.save();
    ctx.beginPath(); ctx.rect(left, top, right - left, topH); ctx.clip();
    if (d.samples) {
      ctx.fillStyle = col.muted;
      for (let i = 0; i < this.u.length; i++) { ctx.beginPath(); ctx.arc(X(this.u[i] * 3), Y(d.y[i]), 2.2, 0, 2 * Math.PI); ctx.fill(); }
    }
    line(ctx, xs, d.yDraw, X, Y, col.text, 2.5, [7, 5]);
    line(ctx, xs, yHat, X, Y, FIT_COLOUR, 4, []);
    ctx.restore();
    // bottom panel: the units and b2, on a range that grows at once and shrinks slowly
    let m = Math.abs(b2);
    for (let j = 0; j < C.length; j++) { const v = Math.abs(C[j]); if (v > m && Number.isFinite(v)) m = v; }
    m = Math.max(m * 1.1, 1e-3);
    this.unitRange = m > this.unitRange ? m : Math.max(m, this.unitRange * 0.97);
    const r = this.unitRange;
    const Yu = (y) => unitsTop + (1 - (y + r) / (2 * r)) * unitsH;
    axes(ctx, col, font, left, right, unitsTop, unitsH, -r, r, Yu, 'c_j(x),  b2');
    ctx.fillStyle = col.text; ctx.textBaseline = 'bottom'; ctx.textAlign = 'left';
    ctx.font = `${font}px ${col.font}`;
    const note = ['hidden units: c_j(x) = w2_j · f(w1_j u + b1_j),  u = x / 3', 'hidden units c_j(x) = w2_j · f(w1_j u + b1_j)', 'hidden units c_j(x)']
      .find((t) => ctx.measureText(t).width <= right - left) || 'c_j(x)';
    ctx.fillText(note, left, unitsTop - 4);
    ctx.save();
    ctx.beginPath(); ctx.rect(left, unitsTop, right - left, unitsH); ctx.clip();
    const w2 = this.net.layers[1].W, thick = width <= 16 ? 1.6 : 1.1;
    ctx.globalAlpha = 0.8;   // one path per colour: two strokes, however many units
    for (const [sign, colour] of [[1, POSITIVE], [-1, NEGATIVE]]) {
      ctx.strokeStyle = colour; ctx.lineWidth = thick; ctx.setLineDash([]);
      ctx.beginPath();
      for (let j = 0; j < width; j++) if ((w2[j] > 0 ? 1 : -1) === sign) trace(ctx, xs, C.subarray(j * B, (j + 1) * B), X, Yu);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    line(ctx, [xs[0], xs[B - 1]], [b2, b2], X, Yu, col.muted, 2.5, [2, 4]);
    ctx.restore();
    // x axis under the bottom panel, then the legend
    ctx.fillStyle = col.text; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const t of niceTicks(xs[0], xs[B - 1], 6)) ctx.fillText(String(t), X(t), unitsTop + unitsH + 4);
    ctx.fillText('x', (left + right) / 2, unitsTop + unitsH + font + 8);
    legend(ctx, col, font, left, unitsTop + unitsH + font * 2.4 + 8, items);
  }

  drawError() {
    const col = this.colours, font = this.data.fontPx || 14;
    const ctx = sized(this.err, Math.round(font * 15));
    if (!ctx) return;
    const W = this.err.clientWidth, H = this.err.clientHeight;
    ctx.fillStyle = col.bg; ctx.fillRect(0, 0, W, H);
    ctx.font = `${font + 1}px ${col.font}`; ctx.fillStyle = col.text; ctx.textAlign = 'left'; ctx.textBaseline = 'top';
    ctx.fillText('Error while training (log scale)', 4, 4);
    const pts = this.history.filter((p) => p.mse > 0 && Number.isFinite(p.mse) && p.loss > 0 && Number.isFinite(p.loss));
    const errItems = [['MSE vs target (dense grid)', MSE_COLOUR, [], 3], ['training loss (samples)', LOSS_COLOUR, [6, 4], 2]];
    const left = font * 4.2, right = W - 12, top = font * 2.6;
    const bottom = H - font * 3.2 - legend(ctx, col, font, left, 0, errItems, false) * font * 1.4;
    if (pts.length < 2) {
      ctx.font = `${font}px ${col.font}`; ctx.fillStyle = col.muted;
      ctx.fillText('Press Play or Step: the error curve starts here.', left, top + font);
      return;
    }
    let lo = Infinity, hi = -Infinity;
    for (const p of pts) { lo = Math.min(lo, p.mse, p.loss); hi = Math.max(hi, p.mse, p.loss); }
    const ticks = logTicks(lo, hi);
    const k0 = Math.min(ticks[0], Math.floor(Math.log10(lo))), k1 = Math.max(ticks[ticks.length - 1], Math.ceil(Math.log10(hi)));
    const s0 = pts[0].step, s1 = Math.max(pts[pts.length - 1].step, s0 + 1);
    const X = (s) => left + ((s - s0) / (s1 - s0)) * (right - left);
    const Y = (v) => top + (1 - (Math.log10(v) - k0) / Math.max(k1 - k0, 1)) * (bottom - top);
    ctx.strokeStyle = col.grid; ctx.lineWidth = 1; ctx.fillStyle = col.text; ctx.font = `${font}px ${col.font}`;
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const k of ticks) {
      const y = Y(10 ** k);
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(right, y); ctx.stroke();
      ctx.fillText(powerLabel(k), left - 6, y);
    }
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const t of niceTicks(s0, s1, 6)) ctx.fillText(fmtInt(t), X(t), bottom + 4);
    ctx.fillText('Adam step', (left + right) / 2, bottom + font + 8);
    ctx.save(); ctx.beginPath(); ctx.rect(left, top - 2, right - left, bottom - top + 4); ctx.clip();
    line(ctx, pts.map((p) => p.step), pts.map((p) => p.mse), X, Y, MSE_COLOUR, 3, []);
    line(ctx, pts.map((p) => p.step), pts.map((p) => p.loss), X, Y, LOSS_COLOUR, 2, [6, 4]);
    ctx.restore();
    legend(ctx, col, font, left, bottom + font * 2.4 + 8, errItems);
  }
}

function finiteOrNull(x) { return Number.isFinite(x) ? x : null; }

// Streamlit's theme, from the CSS variables it sets around every component (--st-...).
export function themeColours(el) {
  const css = typeof getComputedStyle === 'function' ? getComputedStyle(el) : null;
  const v = (name, fallback) => (css && css.getPropertyValue(name).trim()) || fallback;
  const text = v('--st-text-color', '#31333F');
  return {
    text, bg: v('--st-background-color', '#FFFFFF'),
    grid: v('--st-border-color-light', v('--st-border-color', 'rgba(128,128,128,0.25)')),
    muted: v('--st-gray-color', '#9A9A9A'), font: v('--st-font', 'sans-serif'),
  };
}

// A canvas at the device's resolution, `height` CSS pixels high; its 2-D context in CSS pixels.
function sized(canvas, height) {
  const w = canvas.clientWidth;
  if (!w) return null;
  const dpr = (typeof window !== 'undefined' && window.devicePixelRatio) || 1;
  if (canvas.style.height !== `${height}px`) canvas.style.height = `${height}px`;   // no layout per frame
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

// Adds the polyline (xs, ys) to the current path, lifting the pen over non-finite values.
function trace(ctx, xs, ys, X, Y) {
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) { pen = false; continue; }
    if (pen) ctx.lineTo(X(xs[i]), Y(y)); else { ctx.moveTo(X(xs[i]), Y(y)); pen = true; }
  }
}

function line(ctx, xs, ys, X, Y, colour, width, dash) {
  ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.setLineDash(dash || []);
  ctx.beginPath();
  trace(ctx, xs, ys, X, Y);
  ctx.stroke();
  ctx.setLineDash([]);
}

function axes(ctx, col, font, left, right, top, height, lo, hi, Y, title) {
  ctx.strokeStyle = col.grid; ctx.lineWidth = 1; ctx.fillStyle = col.text;
  ctx.font = `${font}px ${col.font}`; ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  for (const t of niceTicks(lo, hi, 4)) {
    const y = Y(t);
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(right, y); ctx.stroke();
    ctx.fillText(Number(t.toPrecision(3)).toString(), left - 6, y);
  }
  ctx.strokeRect(left, top, right - left, height);
  ctx.save();
  ctx.translate(font * 0.9, top + height / 2); ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
  ctx.fillText(title, 0, 0);
  ctx.restore();
}

// A legend in rows from (x, top) down; returns how many rows it takes (draw = false: only measure).
function legend(ctx, col, font, x, top, items, draw = true) {
  ctx.font = `${font}px ${col.font}`; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  const maxX = ctx.canvas.clientWidth - 8;
  let cx = x, cy = top + font * 0.7, rows = 1;
  for (const [label, colour, dash, width] of items) {
    const w = 30 + ctx.measureText(label).width + 18;
    if (cx + w > maxX && cx > x) { cx = x; cy += font * 1.4; rows += 1; }
    if (!draw) { cx += w; continue; }
    if (dash === null) {
      ctx.fillStyle = colour; ctx.beginPath(); ctx.arc(cx + 12, cy, 3, 0, 2 * Math.PI); ctx.fill();
    } else {
      ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.setLineDash(dash);
      ctx.beginPath(); ctx.moveTo(cx, cy); ctx.lineTo(cx + 24, cy); ctx.stroke(); ctx.setLineDash([]);
    }
    ctx.fillStyle = col.text; ctx.fillText(label, cx + 30, cy);
    cx += w;
  }
  return rows;
}
