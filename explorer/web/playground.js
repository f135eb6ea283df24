// playground.js: the playground's live part, a Streamlit (components v2) component.
//
// Python sends, once per network and once per data set (explorer/pages/playground.py):
// the points, the seeded first weights and the settings. From then on this file trains with
// nn.js and draws on canvases at animation speed, with no Streamlit rerun per frame: the
// network diagram (every unit's picture over the plane, the weights as edges), the output
// over the plane with the train and test points, and the loss curve. It sends back
// ("report", see report()) the weights, epoch, metrics, settings and the student's own
// points on pause, step, reset, every change of a setting, about once a second while
// playing, and on demand; Python validates all of it and uses it for the tables, files,
// exercises and the link.
//
// Data from Python (the fields are checked in Python; here they are trusted):
//   {sid, ack, extent, grid, limits, choices, settings,
//    data: {id, kind, K, train: {x1, x2, t}, test: {x1, x2, t}},
//    net: {id, network (nn.js JSON), epoch, steps, history}}
import { liveMount } from './mount.js';
import { Network, Trainer, ACTIVATIONS, HEADS, makeRng, headLoss, accuracy } from './nn.js';
import {
  FEATURES, FEATURE_NAMES, canonicalFeatures, featureMatrix, targetMatrix, gridPoints, predictedLabels,
  confusion, r2, copyPoints, addPoint, nearestPoint, removePoint, shouldStop,
} from './pgdata.js';
import {
  themeColours, layoutDiagram, hitUnit, hitEdge, edgePoint, contourSegments, niceTicks, fmt, pictureRange,
  paintPicture, paintClasses, marker, pointStyle, axes, drawLoss, font, PALETTE,
} from './draw.js';

const REPORT_EVERY_MS = 1000;     // while playing
const TRAIN_BUDGET_MS = 14;       // training time per frame at most
const EVAL_EVERY_MS = 60;         // metrics and the loss curve while playing
const HISTORY_MAX = 4000;
const PIC = 2;                    // unit pictures sample every PIC-th grid point

// No release(): the animation stops by itself once the element leaves the page.
export default liveMount((root) => new Playground(root));

// A fresh network of the given layout, drawn in the browser (Xavier / He normal, as
// explorer.core.mlp.MLP) while Python's seeded one is on its way.
function provisionalNetwork(nIn, widths, act, head, nOut, seed, params) {
  const rng = makeRng(seed * 7919 + widths.length * 31 + nIn);
  const normal = () => {
    const u = (rng.nextUint32() + 1) / 4294967297, v = (rng.nextUint32() + 1) / 4294967297;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const relu = new Set(['relu', 'leaky_relu', 'elu', 'maxout', 'gelu', 'silu', 'softplus']);
  const layers = [];
  let prev = nIn;
  [...widths, nOut].forEach((n, l) => {
    const a = l < widths.length ? act : HEADS[head];
    const k = a === 'maxout' ? params.pieces || 2 : 1;
    const std = relu.has(a) ? Math.sqrt(2 / prev) : Math.sqrt(2 / (prev + n));
    const W = Array.from({ length: k * n }, () => Array.from({ length: prev }, () => std * normal()));
    const b = Array.from({ length: k * n }, () => 0.1 * normal());
    layers.push({ W, b, activation: a, pieces: params.pieces || 2, slope: params.slope ?? 0.1, alpha: params.alpha ?? 1 });
    prev = n;
  });
  return Network.fromJSON({ n_in: nIn, layers });
}

const ICONS = {
  play: 'M8 5v14l11-7z', pause: 'M6 5h4v14H6zM14 5h4v14h-4z', step: 'M6 5v14l9-7zM16 5h3v14h-3z',
  reset: 'M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z',
};
function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24'); svg.setAttribute('width', '22'); svg.setAttribute('height', '22');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name]); path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

class Playground {
  constructor(root) {
    this.root = root;
    this.seq = 0;
    this.pendingSeq = 0;      // the last report whose settings Python must confirm
    this.playing = false;
    this.netId = null;
    this.dataId = null;
    this.provisional = false;
    this.history = [];
    this.hover = null;        // [column, unit] under the mouse
    this.frames = 0;          // painted frames (for the benchmark and the tests)
    this.lastReport = 0;
    this.lastEval = 0;
    this.stopNote = '';
    this.build();
  }

  // -- the page ------------------------------------------------------------------------------
  build() {
    const r = this.root;
    const bar = el('div', { class: 'pg-bar' });
    this.playBtn = el('button', { class: 'pg-btn pg-play', 'data-testid': 'pg-play', title: 'Play: train continuously', 'aria-label': 'Play' }, icon('play'));
    this.stepBtn = el('button', { class: 'pg-btn', 'data-testid': 'pg-step', title: 'One epoch: every training point once, in minibatches of B', 'aria-label': 'Step' }, icon('step'));
    this.resetBtn = el('button', { class: 'pg-btn', 'data-testid': 'pg-reset', title: 'Back to the seeded first weights, epoch 0', 'aria-label': 'Reset' }, icon('reset'));
    this.epochEl = el('b', { 'data-testid': 'pg-epoch' }, '0');
    const epochBox = el('span', { class: 'pg-epoch', title: '' }, 'Epoch ', this.epochEl);
    this.epochBox = epochBox;
    this.dataSel = el('select', { 'data-testid': 'pg-data', 'aria-label': 'Data set' });
    this.lrSel = el('select', { 'data-testid': 'pg-lr', 'aria-label': 'Learning rate' });
    this.actSel = el('select', { 'data-testid': 'pg-act', 'aria-label': 'Activation' });
    bar.append(this.playBtn, this.stepBtn, this.resetBtn, epochBox,
      el('label', {}, el('span', { text: 'Data' }), this.dataSel),
      el('label', {}, el('span', { text: 'Learning rate' }), this.lrSel),
      el('label', {}, el('span', { text: 'Activation' }), this.actSel));

    const netPanel = el('div', { class: 'pg-panel pg-netpanel' });
    this.layerMinus = el('button', { class: 'pg-btn pg-small', 'data-testid': 'pg-layer-minus', title: 'Remove the last hidden layer', 'aria-label': 'Remove a layer' }, '−');
    this.layerPlus = el('button', { class: 'pg-btn pg-small', 'data-testid': 'pg-layer-plus', title: 'Add a hidden layer', 'aria-label': 'Add a layer' }, '+');
    this.layerText = el('span', { class: 'pg-layertext' }, '');
    netPanel.append(el('div', { class: 'pg-head' }, this.layerMinus, this.layerPlus, this.layerText));
    this.netWrap = el('div', { class: 'pg-netwrap' });
    this.netCanvas = el('canvas', { 'data-testid': 'pg-network', role: 'img', 'aria-label': 'The network: every unit over the plane' });
    this.unitButtons = el('div', { class: 'pg-unitbtns' });
    this.netWrap.append(this.netCanvas, this.unitButtons);
    netPanel.append(this.netWrap, el('div', { class: 'pg-caption', text:
      'Each square is one unit\'s output a over the plane x₁, x₂ ∈ [−6, 6] (blue > 0, red < 0). Edges: blue w > 0, '
      + 'red w < 0, thicker = larger |w|. Click an input to switch that feature on or off, hover a unit to see it '
      + 'large on the right, click an edge to read or edit its weight; + and − above a layer add or remove a unit.' }));

    const outPanel = el('div', { class: 'pg-panel pg-outpanel' });
    this.metricsEl = el('div', { class: 'pg-metrics', 'data-testid': 'pg-metrics' });
    this.outTitle = el('div', { class: 'pg-title' }, 'Output');
    this.outCanvas = el('canvas', { 'data-testid': 'pg-output', role: 'img', 'aria-label': 'The output over the plane with the points' });
    this.classSel = el('select', { 'data-testid': 'pg-class', 'aria-label': 'Class of a new point' });
    this.clearBtn = el('button', { class: 'pg-btn pg-text', 'data-testid': 'pg-clear', title: 'Remove every point: draw your own data' }, 'Clear points');
    this.testBox = el('input', { type: 'checkbox', 'data-testid': 'pg-test' });
    this.syncBtn = el('button', { class: 'pg-btn pg-text', 'data-testid': 'pg-sync', title: 'Send the current weights to the page now (the table, files, code and exercises below use them)' }, 'Send to the page');
    this.tools = el('div', { class: 'pg-tools' },
      el('span', { text: 'Click the plane: add a point of ' }), this.classSel,
      el('span', { text: ' (shift-click: the other class; alt- or right-click: remove a point).' }), this.clearBtn,
      el('label', { class: 'pg-check' }, this.testBox, el('span', { text: 'test points' })), this.syncBtn);
    this.lossCanvas = el('canvas', { 'data-testid': 'pg-loss', role: 'img', 'aria-label': 'Loss over the epochs' });
    this.patienceIn = el('input', { type: 'number', min: '0', max: '1000', step: '10', 'data-testid': 'pg-patience', 'aria-label': 'Early stopping patience in epochs' });
    this.extraEl = el('div', { class: 'pg-extra', 'data-testid': 'pg-extra' });
    this.epochNote = el('div', { class: 'pg-caption', 'data-testid': 'pg-epoch-note' });
    outPanel.append(this.outTitle, this.metricsEl, this.outCanvas, this.tools,
      el('div', { class: 'pg-title' }, 'Loss over time'), this.lossCanvas, this.epochNote,
      el('label', { class: 'pg-stop' }, el('span', { text: 'Stop when the test loss has not improved for ' }), this.patienceIn,
        el('span', { text: ' epochs (0: never).' })), this.extraEl);

    this.noteEl = el('div', { class: 'pg-note', role: 'status', 'data-testid': 'pg-note' });
    this.popup = el('div', { class: 'pg-popup', hidden: '' });
    this.main = el('div', { class: 'pg-main' }, netPanel, outPanel);
    this.box = el('div', { class: 'pg', 'data-testid': 'pg-root' }, bar, this.noteEl, this.main, this.popup);
    r.append(this.box);
    this.box.playground = this;   // for the browser tests and the benchmark (a property, not markup)
    this.wire();
    new ResizeObserver(() => { this.sized = false; this.dirty = true; }).observe(this.box);
    this.loop = this.loop.bind(this);
    requestAnimationFrame(this.loop);
  }

  wire() {
    this.playBtn.onclick = () => this.setPlaying(!this.playing);
    this.stepBtn.onclick = () => { this.setPlaying(false, false); this.trainEpochs(1); this.evaluate(true); this.report('step'); };
    this.resetBtn.onclick = () => this.reset();
    this.syncBtn.onclick = () => this.report('request');
    this.dataSel.onchange = () => this.changeSetting({ data: this.dataSel.value }, 'data');
    this.lrSel.onchange = () => this.changeSetting({ lr: Number(this.lrSel.value) }, 'train');
    this.actSel.onchange = () => this.changeSetting({ act: this.actSel.value }, 'arch');
    this.layerPlus.onclick = () => this.changeLayers(+1);
    this.layerMinus.onclick = () => this.changeLayers(-1);
    this.testBox.onchange = () => this.changeSetting({ show_test: this.testBox.checked }, 'view');
    this.patienceIn.onchange = () => {
      const v = Math.max(0, Math.min(1000, Math.round(Number(this.patienceIn.value) || 0)));
      this.patienceIn.value = String(v);
      this.changeSetting({ patience: v }, 'view');
    };
    this.clearBtn.onclick = () => this.editPoints((p) => { p.train = { x1: [], x2: [], t: [] }; p.test = { x1: [], x2: [], t: [] }; });
    const oc = this.outCanvas;
    oc.addEventListener('click', (e) => this.clickPlane(e, e.altKey ? 'remove' : e.shiftKey ? 'other' : 'add'));
    oc.addEventListener('contextmenu', (e) => { e.preventDefault(); this.clickPlane(e, 'remove'); });
    const nc = this.netCanvas;
    nc.addEventListener('mousemove', (e) => {
      const [x, y] = this.local(nc, e);
      const hit = this.layout ? hitUnit(this.layout, x, y) : null;
      const key = hit ? hit.join(':') : '';
      if (key !== (this.hover ? this.hover.join(':') : '')) { this.hover = hit; this.dirty = true; }
      nc.style.cursor = hit || (this.layout && hitEdge(this.layout, (l) => this.edgeList(l), x, y)) ? 'pointer' : 'default';
    });
    nc.addEventListener('mouseleave', () => { this.hover = null; this.dirty = true; });
    nc.addEventListener('click', (e) => this.clickNetwork(e));
  }

  local(canvas, e) {
    const b = canvas.getBoundingClientRect();
    return [e.clientX - b.left, e.clientY - b.top];
  }

  // -- data from Python -----------------------------------------------------------------------
  update(d) {
    if (typeof d === 'string') d = JSON.parse(d);   // Python sends the payload as one JSON text
    if (!d || typeof d !== 'object') return;
    this.d = d;
    this.extent = d.extent || 6;
    const confirmed = (d.ack || 0) >= this.pendingSeq;
    if (!this.settings || confirmed) this.settings = { ...d.settings };
    this.fillChoices(d);
    let rebuild = false;
    if (d.data && d.data.id !== this.dataId && (confirmed || !this.dataId)) {
      this.dataId = d.data.id;
      this.kind = d.data.kind;
      this.K = d.data.K;
      this.points = { train: copyPoints(d.data.train), test: copyPoints(d.data.test) };
      rebuild = true;
    }
    if (d.net && d.net.id !== this.netId && (confirmed || !this.netId)) {
      this.netId = d.net.id;
      this.initial = d.net.network;   // what reset goes back to
      this.provisional = false;
      const cur = d.net.current;      // where this network was when the page last heard of it
      this.net = Network.fromJSON(cur ? cur.network : d.net.network);
      this.history = Array.isArray(d.net.history) ? d.net.history.slice() : [];
      this.startEpoch = (cur ? cur.epoch : d.net.epoch) || 0;
      this.startSteps = (cur ? cur.steps : d.net.steps) || 0;
      this.stopNote = '';
      rebuild = true;
    }
    if (rebuild) this.makeTrainer();
    else if (confirmed && this.trainer) this.retune();
    this.syncControls();
    this.dirty = true;
  }

  fillChoices(d) {
    const fill = (sel, options, value) => {
      const sig = JSON.stringify(options);
      if (sel.dataset.sig !== sig) {
        sel.replaceChildren(...options.map(([v, label]) => el('option', { value: String(v) }, label)));
        sel.dataset.sig = sig;
      }
      sel.value = String(value);
    };
    const s = this.settings, c = d.choices || {};
    fill(this.dataSel, c.data || [], s.data);
    fill(this.lrSel, c.lr || [], s.lr);
    fill(this.actSel, c.act || [], s.act);
    const K = d.data ? d.data.K : 2, kind = d.data ? d.data.kind : 'binary';
    const classes = kind === 'regression' ? [[1, 'value +1'], [-1, 'value −1']]
      : kind === 'binary' ? [[1, 'y = 1 (blue)'], [0, 'y = 0 (red)']]
        : Array.from({ length: K }, (_, k) => [k, `class ${k + 1}`]);
    const keep = this.classSel.value;
    fill(this.classSel, classes, classes.some(([v]) => String(v) === keep) ? keep : classes[0][0]);
  }

  syncControls() {
    const s = this.settings;
    this.testBox.checked = !!s.show_test;
    if (document.activeElement !== this.patienceIn) this.patienceIn.value = String(s.patience || 0);
    const L = s.widths.length;
    this.layerText.textContent = `${L} hidden layer${L === 1 ? '' : 's'}`;
    this.layerPlus.disabled = L >= this.d.limits.max_hidden;
    this.layerMinus.disabled = L <= 0;
    this.actSel.disabled = L === 0;
    this.playBtn.replaceChildren(icon(this.playing ? 'pause' : 'play'));
    this.playBtn.setAttribute('aria-label', this.playing ? 'Pause' : 'Play');
    this.playBtn.title = this.playing ? 'Pause' : 'Play: train continuously';
  }

  // The training arrays for the current points and features, and a Trainer for this.net.
  makeTrainer() {
    const s = this.settings, kind = this.kind, K = this.K;
    const feats = canonicalFeatures(s.features);
    const tr = this.points.train, te = this.points.test;
    this.features = feats;
    const nOut = kind === 'multiclass' ? K : 1;
    this.nOut = nOut;
    // the grid every unit is drawn on: Python's (50 x 50), coarser for big networks so that
    // they still animate (the pictures are smoothed when drawn)
    const cost = this.net ? this.net.layers.reduce((a, L) => a + L.W.length, 0) : 0;
    const grid = cost > 2500 ? 26 : cost > 800 ? 40 : this.d.grid || 50;
    this.steps = grid;
    this.evalEvery = cost > 2500 ? 250 : EVAL_EVERY_MS;
    this.budget = cost > 2500 ? 8 : TRAIN_BUDGET_MS;
    const g = gridPoints(this.extent, grid);   // pixel centres of [-6, 6]²
    this.grid = g;
    this.gridPhi = featureMatrix(g.x1, g.x2, feats);
    this.allPhi = FEATURES.map((f) => { const a = new Float64Array(g.n); for (let i = 0; i < g.n; i++) a[i] = f.f(g.x1[i], g.x2[i]); return a; });
    const n = tr.x1.length, m = te.x1.length;
    this.trainer = null;
    this.status = 'ready';
    this.message = '';
    if (!this.net || this.net.nIn !== feats.length || this.net.nOut !== nOut) return;
    if (n === 0) { this.message = 'No training points: click the plane to add some.'; return; }
    this.trainer = new Trainer(this.net, {
      X: featureMatrix(tr.x1, tr.x2, feats), Y: targetMatrix(tr.t, kind, K), B: n, head: kind,
      optimiser: s.opt, lr: s.lr, batchSize: s.batch, l1: s.reg === 'l1' ? s.rate : 0, l2: s.reg === 'l2' ? s.rate : 0,
      seed: s.seed + 2,
      Xtest: m ? featureMatrix(te.x1, te.x2, feats) : null, Ytest: m ? targetMatrix(te.t, kind, K) : null, Btest: m,
    });
    this.trainer.steps = this.startSteps || 0;
    this.trainer.epoch = Math.floor(this.startEpoch || 0);
    this.startSteps = 0; this.startEpoch = 0;
    this.pointsLayer = null;
    this.evaluate(this.history.length === 0);
  }

  retune() {
    const s = this.settings;
    try {
      this.trainer.retune({ lr: s.lr, optimiser: s.opt, batchSize: s.batch, l1: s.reg === 'l1' ? s.rate : 0, l2: s.reg === 'l2' ? s.rate : 0 });
    } catch (err) { this.message = String(err.message || err); }
  }

  // -- actions ---------------------------------------------------------------------------------
  setPlaying(on, send = true) {
    if (on && (!this.trainer || this.trainer.status === 'diverged')) on = false;
    if (on === this.playing) return;
    this.playing = on;
    if (on) { this.stopNote = ''; this.lastReport = performance.now(); }
    this.syncControls();
    if (send) this.report(on ? 'play' : 'pause');
  }

  reset() {
    this.setPlaying(false, false);
    this.net = Network.fromJSON(this.initial);
    this.history = [];
    this.stopNote = '';
    this.makeTrainer();
    this.report('reset');
    this.dirty = true;
  }

  trainEpochs(e) {
    if (!this.trainer || this.trainer.status === 'diverged') return;
    this.trainer.trainEpochs(e);
  }

  // A setting changed here: apply it at once, then tell Python (which confirms it).
  changeSetting(change, what) {
    this.settings = { ...this.settings, ...change };
    if (what === 'train' && this.trainer) this.retune();
    if (what === 'arch') this.newArchitecture();
    if (what === 'view') this.pointsLayer = null;
    this.syncControls();
    this.dirty = true;
    this.report(what === 'data' ? 'data' : 'settings', true);
  }

  newArchitecture() {
    const s = this.settings, feats = canonicalFeatures(s.features);
    const p = this.d.params || {};
    this.net = provisionalNetwork(feats.length, s.widths, s.act, this.kind, this.kind === 'multiclass' ? this.K : 1, s.seed, p);
    this.initial = this.net.toJSON();
    this.provisional = true;
    this.history = [];
    this.stopNote = '';
    this.makeTrainer();
  }

  changeLayers(delta) {
    const w = this.settings.widths.slice();
    if (delta > 0 && w.length < this.d.limits.max_hidden) w.push(w.length ? w[w.length - 1] : 4);
    else if (delta < 0 && w.length) w.pop();
    else return;
    this.changeSetting({ widths: w }, 'arch');
  }

  changeUnits(layer, delta) {
    const w = this.settings.widths.slice();
    const v = w[layer] + delta;
    if (v < 1 || v > this.d.limits.max_width) return;
    w[layer] = v;
    this.changeSetting({ widths: w }, 'arch');
  }

  toggleFeature(name) {
    const on = new Set(this.settings.features);
    if (on.has(name)) { if (on.size === 1) { this.note('At least one feature stays on.'); return; } on.delete(name); } else on.add(name);
    this.changeSetting({ features: canonicalFeatures([...on]) }, 'arch');
  }

  editPoints(fn) {
    const p = { train: copyPoints(this.points.train), test: copyPoints(this.points.test) };
    fn(p);
    this.points = p;
    this.dataId = `own-${this.d.sid}-${++this.seq}`;
    const keepHistory = this.history;
    this.makeTrainer();
    this.history = keepHistory;
    this.pointsLayer = null;
    this.dirty = true;
    this.report('points', true);
  }

  clickPlane(e, mode) {
    if (!this.plot) return;
    const [x, y] = this.local(this.outCanvas, e);
    const [l, t, side] = this.plot;
    if (x < l || x > l + side || y < t || y > t + side) return;
    const E = this.extent, x1 = -E + ((x - l) / side) * 2 * E, x2 = E - ((y - t) / side) * 2 * E;
    if (mode === 'remove') {
      const r = (8 / side) * 2 * E;
      const i = nearestPoint(this.points.train, x1, x2, r);
      const j = i < 0 && this.settings.show_test ? nearestPoint(this.points.test, x1, x2, r) : -1;
      if (i < 0 && j < 0) return;
      this.editPoints((p) => (i >= 0 ? removePoint(p.train, i) : removePoint(p.test, j)));
      return;
    }
    if (this.points.train.x1.length >= this.d.limits.max_points) { this.note(`At most ${this.d.limits.max_points} points.`); return; }
    let label = Number(this.classSel.value);
    if (mode === 'other') {
      if (this.kind === 'binary') label = 1 - label;
      else if (this.kind === 'regression') label = -label;
      else label = (label + 1) % this.K;
    }
    this.editPoints((p) => addPoint(p.train, x1, x2, label, E));
  }

  clickNetwork(e) {
    if (!this.layout) return;
    const [x, y] = this.local(this.netCanvas, e);
    const unit = hitUnit(this.layout, x, y);
    if (unit && unit[0] === 0) { this.toggleFeature(FEATURE_NAMES[unit[1]]); return; }
    const edge = hitEdge(this.layout, (l) => this.edgeList(l), x, y);
    if (edge) this.editWeight(edge, x, y);
  }

  // The [from, to] pairs of the edges into layer l + 1 (column l to column l + 1).
  edgeList(l) {
    const net = this.net;
    if (!net) return [];
    const out = [];
    if (l === 0) {
      const rows = net.layers[0].nOut;
      this.features.forEach((name) => { const i = FEATURE_NAMES.indexOf(name); for (let j = 0; j < rows; j++) out.push([i, j]); });
      return out;
    }
    const L = net.layers[l];
    if (!L) return out;
    for (let i = 0; i < L.nIn; i++) for (let j = 0; j < L.nOut; j++) out.push([i, j]);
    return out;
  }

  weightIndex(edge) {
    const L = this.net.layers[edge.layer];
    const from = edge.layer === 0 ? this.features.indexOf(FEATURE_NAMES[edge.from]) : edge.from;
    return [L, edge.to * L.nIn + from];
  }

  editWeight(edge, x, y) {
    const [L, idx] = this.weightIndex(edge);
    this.editing = { layer: edge.layer, index: idx };
    const fromName = edge.layer === 0 ? FEATURES[edge.from].label : `a[${edge.layer}]${sub(edge.from + 1)}`;
    const input = el('input', { type: 'number', step: '0.1', 'data-testid': 'pg-weight-input', 'aria-label': 'Weight' });
    input.value = String(Math.round(L.W[idx] * 1e4) / 1e4);
    const done = el('button', { class: 'pg-btn pg-text' }, 'Set');
    const close = () => { this.popup.hidden = true; };
    const apply = () => {
      const v = Number(input.value);
      if (!Number.isFinite(v) || Math.abs(v) > 1e3) { input.setCustomValidity('a number between −1000 and 1000'); input.reportValidity(); return; }
      L.W[idx] = v;
      this.evaluate(true);
      this.dirty = true;
      this.report('weight');
      close();
    };
    done.onclick = apply;
    input.onkeydown = (e) => { if (e.key === 'Enter') apply(); if (e.key === 'Escape') close(); };
    this.popup.replaceChildren(el('div', { text: `w from ${fromName} to a[${edge.layer + 1}]${sub(edge.to + 1)} (W[${edge.layer + 1}] row ${edge.to + 1}, column ${(idx % L.nIn) + 1}):` }),
      input, done, el('button', { class: 'pg-btn pg-text', 'aria-label': 'Close' }, '×'));
    this.popup.lastChild.onclick = close;
    const b = this.box.getBoundingClientRect(), c = this.netCanvas.getBoundingClientRect();
    this.popup.style.left = `${Math.max(0, Math.min(c.left - b.left + x, b.width - 260))}px`;
    this.popup.style.top = `${c.top - b.top + y + 12}px`;
    this.popup.hidden = false;
    input.focus();
  }

  note(text) {
    this.noteEl.textContent = text;
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => { this.noteEl.textContent = this.stopNote || ''; }, 4000);
  }

  // -- metrics ---------------------------------------------------------------------------------
  evaluate(record) {
    const t = this.trainer;
    if (!t) { this.metrics = {}; return; }
    // one forward pass per set gives the loss (nn.js's headLoss, as Trainer.evaluate), the
    // accuracy, the confusion matrix or R²
    const kind = this.kind, K = this.K, nOut = this.nOut;
    const m = { step: t.steps, epoch: t.epoch };
    const withSet = (name, X, Y, tvals, B) => {
      if (!B) return;
      const outs = this.net.forward(X, B), last = outs[outs.length - 1];
      m[`${name}_loss`] = headLoss(last.Z, Y, nOut, B, kind);
      if (kind !== 'regression') m[`${name}_accuracy`] = accuracy(last.a, Y, nOut, B, kind);
      const pred = predictedLabels(last.a, nOut, B, kind);
      if (kind === 'regression') m[`${name}_r2`] = r2(tvals, pred);
      else m[`${name}_confusion`] = confusion(Array.from(tvals, (v) => (kind === 'binary' ? (v >= 0.5 ? 1 : 0) : v)), Array.from(pred), kind === 'binary' ? 2 : K);
    };
    withSet('train', t.X, t.Y, this.points.train.t, t.n);
    if (t.Xtest) withSet('test', t.Xtest, t.Ytest, this.points.test.t, t.Btest);
    this.metrics = m;
    this.status = t.status;
    this.message = t.message;
    if (record) {
      this.history.push([t.epoch + t.cursor / t.n, m.train_loss, m.test_loss ?? NaN]);
      if (this.history.length > HISTORY_MAX) this.history = this.history.filter((_, i) => i % 2 === 0 || i === this.history.length - 1);
    }
  }

  // -- the report to Python --------------------------------------------------------------------
  report(reason, settingsChanged = false) {
    this.seq += 1;
    if (settingsChanged) this.pendingSeq = this.seq;
    if (!this.setStateValue || !this.d) return;
    const t = this.trainer;
    const r = {
      seq: this.seq, sid: this.d.sid, reason, net_id: this.netId, provisional: this.provisional,
      data_id: this.dataId, playing: this.playing,
      epoch: t ? t.epoch : 0, steps: t ? t.steps : 0, status: t ? t.status : 'ready', message: t ? t.message : this.message,
      stopped: this.stopNote ? 'early' : '',
      network: this.net ? this.net.toJSON() : null,
      metrics: this.metrics ? Object.fromEntries(Object.entries(this.metrics).filter(([k, v]) => typeof v === 'number' && Number.isFinite(v))) : {},
      settings: this.settings,
      history: this.history.slice(-20),
    };
    if (String(this.dataId).startsWith('own-')) r.points = this.points;
    this.lastReport = performance.now();
    this.setStateValue('report', r);
  }

  // -- the animation -----------------------------------------------------------------------------
  loop(now) {
    if (!this.box.isConnected) { this.playing = false; return; }   // unmounted: stop
    requestAnimationFrame(this.loop);
    const t0 = performance.now();
    const t = this.trainer;
    if (this.playing && t) {
      const start = performance.now();
      const target = t.epoch + 2;
      while (t.epoch < target && t.status !== 'diverged' && performance.now() - start < (this.budget || TRAIN_BUDGET_MS)) {
        t.trainSteps(Math.max(1, Math.min(t.stepsPerEpoch, 25)));
      }
      if (now - this.lastEval > (this.evalEvery || EVAL_EVERY_MS) || t.status === 'diverged') { this.lastEval = now; this.evaluate(true); }
      if (t.status === 'diverged') {
        this.setPlaying(false, false);
        this.stopNote = `${t.message} Training is paused.`;
        this.report('diverged');
      } else if (shouldStop(this.history, this.settings.patience)) {
        this.setPlaying(false, false);
        this.stopNote = `Stopped early at epoch ${t.epoch}: the test loss has not improved for ${this.settings.patience} epochs.`;
        this.report('stopped');
      } else if (now - this.lastReport > REPORT_EVERY_MS) this.report('tick');
      this.dirty = true;
    }
    const t1 = performance.now();
    if (this.dirty) { this.dirty = false; this.paint(); }
    const t2 = performance.now();
    this.timing = { train: t1 - t0, paint: t2 - t1 };
    if (this.playing) { this.workMs = (this.workMs || 0) + (t2 - t0); this.workFrames = (this.workFrames || 0) + 1; }
  }

  size(canvas, width, height) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width * dpr), h = Math.round(height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w; canvas.height = h;
      if (canvas === this.outCanvas) this.frameKey = null;
      canvas.style.width = `${width}px`; canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  // Sizes and colours: read from the page only when it changed (reading layout every frame
  // would force the browser to lay the page out again each time).
  measure() {
    const host = this.root.host || this.root;
    const cs = getComputedStyle(host);
    const key = cs.getPropertyValue('--st-background-color') + cs.getPropertyValue('--st-text-color');
    if (key !== this.themeKey) {
      this.themeKey = key;
      this.theme = themeColours((name) => cs.getPropertyValue(name));
      this.box.classList.toggle('pg-dark', this.theme.dark);
      this.pointsLayer = null;
    }
    const narrow = this.box.clientWidth < 720;
    this.box.classList.toggle('pg-narrow', narrow);
    this.narrow = narrow;
    this.widths = { net: this.netWrap.clientWidth || 400, out: this.outCanvas.parentElement.clientWidth || 400,
      loss: this.lossCanvas.parentElement.clientWidth || 300 };
    this.sized = true;
    this.measuredAt = this.frames;
    this.pointsLayer = null;
  }

  paint() {
    if (!this.d) return;
    if (!this.sized || this.frames - this.measuredAt > 120) this.measure();
    const narrow = this.narrow;
    const scale = this.d.presenter ? 1.3 : 1;
    this.scale = scale;
    const outs = this.net && this.net.nIn === this.gridPhi.length / this.grid.n ? this.net.forward(this.gridPhi, this.grid.n) : null;
    this.paintNetwork(outs, narrow, scale);
    this.paintOutput(outs, narrow, scale);
    const now = performance.now();
    if (this.history.length !== this.lossDrawn || now - (this.lossAt || 0) > 250) {
      if (now - (this.lossAt || 0) > 90 || !this.playing) {
        this.lossAt = now; this.lossDrawn = this.history.length;
        const lw = this.widths.loss;
        const lctx = this.size(this.lossCanvas, lw, 170 * scale);
        drawLoss(lctx, lw, 170 * scale, this.history, this.theme, { scale, ylabel: this.d.loss_name || 'loss', showTest: this.points && this.points.test.x1.length > 0 });
      }
    }
    if (!this.playing || now - (this.textAt || 0) > 100) { this.textAt = now; this.paintText(); }
    this.frames += 1;
    if (!this.playing || this.frames % 15 === 0) {
      this.box.dataset.frames = String(this.frames);
      this.box.dataset.epoch = String(this.trainer ? this.trainer.epoch : 0);
    }
  }

  paintText() {
    const t = this.trainer, m = this.metrics || {}, kind = this.kind;
    this.epochEl.textContent = (t ? t.epoch : 0).toLocaleString('en');
    const per = t ? t.stepsPerEpoch : 0, B = t ? t.batch : 0, n = t ? t.n : 0;
    this.epochBox.title = t ? `Step ${t.steps.toLocaleString('en')}. One epoch = every one of the ${n} training points once: `
      + `${per} minibatch steps of B = ${B}${n % B ? ` (the last one holds the ${n % B} points left over)` : ''}, in a fresh random order each epoch.` : '';
    const epochText = t ? `One epoch: each of the ${n} training points once, in a fresh random order: ${per} minibatch step${per === 1 ? '' : 's'} of B = ${B}`
      + `${n % B && per > 1 ? `, the last one with the ${n % B} points left over` : ''}. Step ${t.steps.toLocaleString('en')}.` : '';
    if (this.epochNote.textContent !== epochText) this.epochNote.textContent = epochText;
    const cells = [['Train loss', fmt(m.train_loss)], ['Test loss', m.test_loss === undefined ? '–' : fmt(m.test_loss)]];
    if (kind === 'regression') {
      cells.push(['Train R²', m.train_r2 === undefined ? '–' : fmt(m.train_r2)], ['Test R²', m.test_r2 === undefined ? '–' : fmt(m.test_r2)]);
    } else {
      const pct = (v) => (v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);
      cells.push(['Train accuracy', pct(m.train_accuracy)], ['Test accuracy', pct(m.test_accuracy)]);
    }
    const html = cells.map(([k, v]) => `<div><span>${k}</span><b>${v}</b></div>`).join('');
    if (this.metricsEl.dataset.html !== html) { this.metricsEl.innerHTML = html; this.metricsEl.dataset.html = html; }
    // the confusion matrix (classification) or a note on R² (regression)
    let extra = '';
    const M = m.test_confusion || m.train_confusion;
    if (M) {
      const which = m.test_confusion ? 'test' : 'training';
      const names = kind === 'binary' ? ['y = 0', 'y = 1'] : M.map((_, k) => `class ${k + 1}`);
      extra = `<table class="pg-confusion" data-testid="pg-confusion"><caption>Confusion matrix (${which} points): rows true, columns predicted</caption>`
        + `<tr><th></th>${names.map((s) => `<th>${s}</th>`).join('')}</tr>`
        + M.map((row, i) => `<tr><th>${names[i]}</th>${row.map((v, j) => `<td class="${i === j ? 'pg-diag' : ''}">${v}</td>`).join('')}</tr>`).join('')
        + '</table>';
    } else if (kind === 'regression') {
      extra = '<div class="pg-caption">R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²: 1 is a perfect fit, 0 no better than predicting the mean.</div>';
    }
    if (this.extraEl.dataset.html !== extra) { this.extraEl.innerHTML = extra; this.extraEl.dataset.html = extra; }
    const note = this.status === 'diverged' ? this.stopNote || this.message : this.stopNote || this.message || '';
    if (!this.noteTimer && this.noteEl.textContent !== note) this.noteEl.textContent = note;
    this.noteEl.classList.toggle('pg-error', this.status === 'diverged');
    if (this.noteTimer && !this.noteEl.textContent) this.noteTimer = null;
  }

  // The diagram: one column per layer, inputs first (every feature; the unused ones pale).
  paintNetwork(outs, narrow, scale) {
    const th = this.theme, s = this.settings;
    const width = this.widths.net;
    const widths = s.widths;
    const mostUnits = Math.max(FEATURES.length, ...widths, this.nOut || 1);
    const height = Math.max(300, Math.min(620, 70 + mostUnits * 26)) * (narrow ? 0.9 : 1) * scale;
    const ctx = this.size(this.netCanvas, width, height);
    ctx.fillStyle = th.bg; ctx.fillRect(0, 0, width, height);
    const columns = [FEATURES.length, ...(this.net ? this.net.layers.map((L) => L.nOut) : [])];
    const layout = layoutDiagram(columns, width, height, { top: 70 * scale, left: 62 * scale, right: 26 * scale, maxSize: 44 * scale });
    this.layout = layout;
    const half = layout.size / 2;
    if (!this.net) return;
    // edges, bucketed by sign and width: a few strokes for thousands of weights. A big network's
    // edges (thousands of wide, translucent lines) are drawn into a layer at most ten times a second.
    const nEdges = columns.reduce((acc, n, c) => acc + (c ? n * columns[c - 1] : 0), 0);
    const many = nEdges > 1500;
    const now = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const ekey = `${width}|${height}|${dpr}|${columns.join(',')}|${this.features.join(',')}|${th.dark}`;
    if (!many || !this.edgeLayer || this.edgeKey !== ekey || !this.playing || now - this.edgeAt > 200) {
      if (!this.edgeLayer || this.edgeLayer.width !== Math.round(width * dpr) || this.edgeLayer.height !== Math.round(height * dpr)) {
        this.edgeLayer = new OffscreenCanvas(Math.round(width * dpr), Math.round(height * dpr));
      }
      const ectx = this.edgeLayer.getContext('2d');
      ectx.setTransform(1, 0, 0, 1, 0, 0);
      ectx.clearRect(0, 0, this.edgeLayer.width, this.edgeLayer.height);
      ectx.setTransform(dpr, 0, 0, dpr, 0, 0);
      this.drawEdges(ectx, layout, half, scale, many);
      this.edgeKey = ekey; this.edgeAt = now;
    }
    ctx.drawImage(this.edgeLayer, 0, 0, width, height);
    ctx.globalAlpha = 1;
    // unit pictures, all in one image: inputs, then every layer
    const steps = this.steps, px = Math.floor(steps / PIC);
    const total = columns.reduce((a, b) => a + b, 0);
    if (!this.atlas || this.atlas.width !== px * total || this.atlas.height !== px) {
      this.atlas = new OffscreenCanvas(px * total, px);
      this.atlasImg = new ImageData(px * total, px);
    }
    const img = this.atlasImg.data, stride = 4 * px * total;
    let slot = 0;
    const slots = [];
    FEATURES.forEach((f, i) => {
      const v = this.allPhi[i], m = pictureRange(v, 0, v.length, '');
      paintPicture(img, 4 * px * slot, stride, v, 0, steps, PIC, -m, m, th.lut);
      slots.push([0, i, slot++]);
    });
    if (outs) {
      outs.forEach((o, l) => {
        const L = this.net.layers[l], n = this.grid.n, last = l === outs.length - 1;
        for (let j = 0; j < L.nOut; j++) {
          let lo, hi;
          if (last && this.kind === 'binary') { lo = 0; hi = 1; } else if (last && this.kind === 'multiclass') { lo = 0; hi = 1; } else {
            const m = pictureRange(o.a, j * n, n, L.activation); lo = -m; hi = m;
          }
          if (last && this.kind === 'regression') { lo = -1; hi = 1; }
          paintPicture(img, 4 * px * slot, stride, o.a, j, steps, PIC, lo, hi, th.lut);
          slots.push([l + 1, j, slot++]);
        }
      });
    }
    const actx = this.atlas.getContext('2d');
    actx.putImageData(this.atlasImg, 0, 0);
    ctx.imageSmoothingEnabled = true;
    const active = new Set(this.features);
    for (const [c, i, k] of slots) {
      const u = layout.cols[c].units[i];
      const x = u.x - half, y = u.y - half;
      const off = c === 0 && !active.has(FEATURE_NAMES[i]);
      ctx.globalAlpha = off ? 0.25 : 1;
      ctx.drawImage(this.atlas, k * px, 0, px, px, x, y, layout.size, layout.size);
      ctx.globalAlpha = 1;
      const hovered = this.hover && this.hover[0] === c && this.hover[1] === i;
      ctx.strokeStyle = hovered ? th.text : th.frame;
      ctx.lineWidth = hovered ? 2.5 : 1;
      ctx.strokeRect(x, y, layout.size, layout.size);
    }
    // labels: feature names, layer headers
    ctx.font = font(13, scale); ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    FEATURES.forEach((f, i) => {
      const u = layout.cols[0].units[i];
      ctx.fillStyle = active.has(f.name) ? th.text : th.inactive;
      ctx.fillText(f.label, u.x - half - 5, u.y);
    });
    ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
    layout.cols.forEach((col, c) => {
      const last = c === layout.cols.length - 1;
      const head = c === 0 ? `X (N = ${this.features.length})` : last ? 'ŷ' : `a[${c}]`;
      const L = c ? this.net.layers[c - 1] : null;
      const sub2 = c === 0 ? 'click: on/off' : `${L.nOut} · ${last ? (L.activation === 'sigmoid' ? 'σ' : L.activation) : (ACTIVATIONS[L.activation] || {}).label || L.activation}`;
      ctx.fillStyle = th.text; ctx.font = font(13, scale, true);
      ctx.fillText(head, col.x, 16 * scale);
      ctx.fillStyle = th.muted; ctx.font = font(11, scale);
      ctx.fillText(sub2, col.x, 31 * scale);
    });
    this.placeUnitButtons(layout, scale);
  }

  drawEdges(ctx, layout, half, scale, many) {
    const th = this.theme;
    let wmax = 1e-12;
    this.net.layers.forEach((L) => { for (let j = 0; j < L.W.length; j++) { const a = Math.abs(L.W[j]); if (a > wmax && a < Infinity) wmax = a; } });
    const buckets = Array.from({ length: 16 }, () => []);
    for (let l = 0; l + 1 < layout.cols.length; l++) {
      const a = layout.cols[l], b = layout.cols[l + 1], L = this.net.layers[l];
      for (const [i, j] of this.edgeList(l)) {
        const from = l === 0 ? this.features.indexOf(FEATURE_NAMES[i]) : i;
        const w = L.W[j * L.nIn + from];
        if (!Number.isFinite(w)) continue;
        const m = Math.min(1, Math.abs(w) / wmax);
        if (many && m < 0.08) continue;   // thousands of edges: the faintest would only blur the rest
        const k = (w >= 0 ? 8 : 0) + Math.min(7, Math.floor(m * 8));
        buckets[k].push(a.x + half, a.units[i].y, b.x - half, b.units[j].y);
      }
    }
    buckets.forEach((segs, k) => {
      if (!segs.length) return;
      const m = ((k % 8) + 0.5) / 8;
      ctx.beginPath();
      for (let q = 0; q < segs.length; q += 4) {
        const x0 = segs[q], y0 = segs[q + 1], x1 = segs[q + 2], y1 = segs[q + 3];
        ctx.moveTo(x0, y0);
        if (many) ctx.lineTo(x1, y1); else ctx.bezierCurveTo((x0 + x1) / 2, y0, (x0 + x1) / 2, y1, x1, y1);
      }
      ctx.strokeStyle = k >= 8 ? th.positive : th.negative;
      ctx.globalAlpha = 0.25 + 0.7 * m;
      ctx.lineWidth = (many ? 0.4 + 1.6 * m : 0.5 + 4.5 * m) * scale;
      ctx.stroke();
    });
    ctx.globalAlpha = 1;
  }

  // + and − above every hidden layer (HTML buttons over the canvas: keyboard and screen readers).
  placeUnitButtons(layout, scale) {
    const widths = this.settings.widths;
    const sig = `${widths.join(',')}|${layout.cols.map((c) => Math.round(c.x)).join(',')}|${scale}`;
    if (this.unitSig === sig) return;
    this.unitSig = sig;
    const btns = [];
    widths.forEach((n, l) => {
      const x = layout.cols[l + 1].x;
      const minus = el('button', { class: 'pg-btn pg-tiny', 'data-testid': `pg-unit-minus-${l + 1}`, title: `One unit fewer in layer ${l + 1}`, 'aria-label': `Remove a unit from layer ${l + 1}` }, '−');
      const plus = el('button', { class: 'pg-btn pg-tiny', 'data-testid': `pg-unit-plus-${l + 1}`, title: `One more unit in layer ${l + 1}`, 'aria-label': `Add a unit to layer ${l + 1}` }, '+');
      minus.disabled = n <= 1; plus.disabled = n >= this.d.limits.max_width;
      minus.onclick = () => this.changeUnits(l, -1);
      plus.onclick = () => this.changeUnits(l, +1);
      const g = el('div', { class: 'pg-unitgroup' }, minus, plus);
      g.style.left = `${x}px`; g.style.top = `${35 * scale}px`;
      btns.push(g);
    });
    this.unitButtons.replaceChildren(...btns);
  }

  paintOutput(outs, narrow, scale) {
    const th = this.theme;
    const width = this.widths.out;
    const side = Math.max(160, Math.min(width - 70 * scale, narrow ? width - 60 : 460 * scale));
    const height = side + 58 * scale;
    const ctx = this.size(this.outCanvas, width, height);
    const l = Math.max(36 * scale, (width - side) / 2), t = 24 * scale;
    this.plot = [l, t, side];
    const E = this.extent;
    const fkey = `${width}|${height}|${side}|${th.dark}|${window.devicePixelRatio}|${narrow}|${scale}`;
    if (this.frameKey !== fkey) {   // the axes change only with the size or the theme
      this.frameKey = fkey;
      ctx.fillStyle = th.bg; ctx.fillRect(0, 0, width, height);
      const ticks = niceTicks(-E, E, narrow ? 4 : 6);
      this.plotMaps = axes(ctx, [l, t, side, side], [-E, E], [-E, E], ticks, ticks, '', '', th, scale, false);
      ctx.fillStyle = th.text; ctx.font = font(13, scale); ctx.textAlign = 'left'; ctx.textBaseline = 'top';
      ctx.fillText('x₁', l + side + 6, t + side + 4);
      ctx.textBaseline = 'bottom'; ctx.textAlign = 'right'; ctx.fillText('x₂', l - 4, t - 9 * scale);
    }
    const [X, Y] = this.plotMaps;
    const steps = this.steps, n = this.grid.n;
    if (!this.outImg || this.outImg.width !== steps) { this.outImg = new ImageData(steps, steps); this.outOff = new OffscreenCanvas(steps, steps); }
    const img = this.outImg.data;
    let title = { binary: 'Output: P(y = 1 | x)', multiclass: 'Output: the most likely class (paler = less sure)', regression: 'Output: ŷ over the plane' }[this.kind];
    let values = null;
    const hov = this.hover;
    if (hov && (hov[0] === 0 || outs)) {   // a unit's picture, large
      if (hov[0] === 0) {
        const v = this.allPhi[hov[1]], m = pictureRange(v, 0, n, '');
        paintPicture(img, 0, 4 * steps, v, 0, steps, 1, -m, m, th.lut);
        title = `Input ${FEATURES[hov[1]].label} over the plane`;
      } else {
        const L = this.net.layers[hov[0] - 1], o = outs[hov[0] - 1];
        const last = hov[0] === outs.length;
        const m = last && this.kind !== 'regression' ? null : pictureRange(o.a, hov[1] * n, n, L.activation);
        paintPicture(img, 0, 4 * steps, o.a, hov[1], steps, 1, m === null ? 0 : -m, m === null ? 1 : m, th.lut);
        title = last ? `Output unit ${hov[1] + 1}` : `Unit a[${hov[0]}]${sub(hov[1] + 1)} over the plane`;
      }
    } else if (outs) {
      const A = outs[outs.length - 1].a;
      if (this.kind === 'multiclass') paintClasses(img, A, this.K, steps, th.bgRgb);
      else paintPicture(img, 0, 4 * steps, A, 0, steps, 1, this.kind === 'binary' ? -0.35 : -1.35, this.kind === 'binary' ? 1.35 : 1.35, th.lut);
      if (this.kind === 'binary') values = A;
    }
    if (this.outTitle.textContent !== title) this.outTitle.textContent = title;
    this.outOff.getContext('2d').putImageData(this.outImg, 0, 0);
    ctx.save(); ctx.beginPath(); ctx.rect(l, t, side, side); ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.outOff, l, t, side, side);
    if (values && !hov) {   // the 0.5 line
      const segs = contourSegments(values, steps, 0.5), h = side / steps;
      ctx.beginPath();
      for (const [c0, r0, c1, r1] of segs) { ctx.moveTo(l + c0 * h, t + side - r0 * h); ctx.lineTo(l + c1 * h, t + side - r1 * h); }
      ctx.strokeStyle = th.dark ? '#ffffff' : '#000000'; ctx.lineWidth = 2 * scale; ctx.stroke();
    }
    this.paintPoints(ctx, X, Y, side, scale);
    ctx.restore();
    ctx.strokeStyle = th.frame; ctx.lineWidth = 1; ctx.strokeRect(l, t, side, side);
  }

  // The points change only when the data, the size or the theme does: drawn once into a layer.
  paintPoints(ctx, X, Y, side, scale) {
    if (!this.points) return;
    const [l, t] = this.plot, dpr = window.devicePixelRatio || 1;
    const key = `${this.dataId}|${side}|${l}|${t}|${this.settings.show_test}|${dpr}|${this.theme.dark}`;
    if (!this.pointsLayer || this.pointsKey !== key) {   // the plot square only
      this.pointsLayer = new OffscreenCanvas(Math.ceil(side * dpr), Math.ceil(side * dpr));
      const pctx = this.pointsLayer.getContext('2d');
      pctx.setTransform(dpr, 0, 0, dpr, -l * dpr, -t * dpr);
      this.drawPoints(pctx, X, Y, side, scale);
      this.pointsKey = key;
    }
    ctx.drawImage(this.pointsLayer, l, t, side, side);
  }

  drawPoints(ctx, X, Y, side, scale) {
    const th = this.theme, r = 3.4 * scale * Math.min(1.3, Math.max(0.75, side / 380));
    const draw = (p, test) => {
      for (let i = 0; i < p.x1.length; i++) {
        const [sym, fill] = pointStyle(this.kind, p.t[i], th);
        marker(ctx, sym, X(p.x1[i]), Y(p.x2[i]), r, fill, test ? (th.dark ? '#000000' : '#000000') : '#ffffff', test ? 1.4 : 1);
      }
    };
    draw(this.points.train, false);
    if (this.settings.show_test) draw(this.points.test, true);
  }
}

function sub(n) {
  return String(n).split('').map((d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]).join('');
}

export { PALETTE };
