// nn.js: the browser twin of explorer/core/mlp.py + explorer/core/train.py.
//
// Plain ES module, no build step, no dependencies, float64 everywhere. It trains the
// playground's and universal approximation's networks in the browser; Python stays the
// source of truth (it makes the data and the seeded first weights and receives the
// weights back). tests/web/test_parity.py pins this file to explorer.core: the same
// first weights, data and seed give the same weights and losses after N steps (1e-9).
//
// Notation of the lecture (and of mlp.py): X is [N, B], one sample per column;
// W^[l] is [out, in] (maxout: [k*out, in], piece p of unit j in row p*out + j);
// b^[l] is [out] (maxout [k*out]).  Z = W a_prev + b,  a = f(Z).
// Every matrix here is a flat Float64Array in row-major order: M[r, c] = M[r*cols + c],
// so a batch X : [N, B] is X[i*B + c] = feature i of sample c.
//
// ---------------------------------------------------------------------------------
// Public API
//
//   ACTIVATIONS            name -> {label, params, f(x, p), df(x, p)}: scalar functions,
//                          p = {slope, alpha, pieces}; the names of
//                          explorer.core.activations.ACTIVATIONS (maxout's f/df draw the
//                          1-D curve of example pieces, as in Python).
//   erfc(x)                float64-accurate complementary error function (W. J. Cody).
//   sigmoid(x), softplus(x)  stable scalar helpers (as numpy's, no overflow).
//   HEADS                  {binary: 'sigmoid', multiclass: 'softmax', regression: 'identity'}
//   OPTIMISERS             ['sgd', 'momentum', 'adam']
//
//   class Network
//     static fromJSON(obj)  obj = {n_in, layers: [{W: number[][] (rows of W),
//                           b: number[] (or [[b0], [b1], ...]), activation, pieces, slope, alpha}]}
//     toJSON()              the same shape back (b as a flat number[])
//     nIn, nOut, layers     layers[l] = {nIn, nOut, k, rows, W, b (Float64Array), activation,
//                           pieces, slope, alpha}; W and b may be edited in place
//     forward(X, B)         X: Float64Array [N*B]; returns [{Z, a}] per layer (Float64Array,
//                           Z [rows*B], a [out*B]). The arrays are the network's own buffers for
//                           this B: the next call with the same B overwrites them (copy to keep).
//     predict(X, B)         the last a (same buffer rule)
//     nParams               exact count of every W and b entry
//
//   class Trainer
//     constructor(net, {X, Y, B, head, optimiser = 'adam', lr = 0.01, batchSize = null,
//                       l1 = 0, l2 = 0, seed = 0, Xtest = null, Ytest = null, Btest = 0})
//                           X [N*B], Y [out*B] (binary: 0/1; multiclass: one-hot columns);
//                           batchSize null/0/undefined: full batch
//     trainSteps(n)         up to n minibatch steps; returns the last minibatch loss (NaN once diverged)
//     trainEpochs(e)        steps up to the end of the e-th epoch boundary from now (see Epochs)
//     evaluate()            {step, epoch, train_loss, train_accuracy, test_loss, test_accuracy}
//                           as Python's Trainer.evaluate() (no accuracy for regression,
//                           no test_* without a test set)
//     retune({lr, optimiser, batchSize, l1, l2})   undefined leaves a setting as it is;
//                           batchSize null or 0 means full batch. A new optimiser kind
//                           restarts its state (momentum, Adam's moments); the weights stay.
//     steps, epoch, cursor  optimiser steps done; whole epochs done; position in this epoch
//     stepsPerEpoch         ceil(n / batch)
//     status, message       'ready' | 'running' | 'diverged'; why it diverged
//
//   makeRng(seed)           the portable generator of explorer/core/shuffle.py (mulberry32):
//                           {nextUint32(), below(m)}
//   permutation(rng, n, out?)  Fisher-Yates of 0..n-1 (into the Int32Array out if given)
//   shuffle(rng, arr)       Fisher-Yates of arr in place (same draws as permutation)
//   formatG(x)              Python's f"{x:g}"
//
// Epochs (identical in explorer/core/train.py): an epoch visits every training point
// exactly once. At the start of an epoch, if the batch size B is below the number of
// points n, the order is a fresh permutation(rng, n); the epoch's minibatches are
// consecutive slices of that order of B points, the last one holding the n mod B points
// left over when B does not divide n (so an epoch is ceil(n / B) steps). With B >= n
// every step is one epoch on all points in their natural order and the generator is not
// drawn. Changing B mid-epoch keeps the order and the position: the rest of the epoch is
// cut into slices of the new B.
// ---------------------------------------------------------------------------------

// -- the portable generator (explorer/core/shuffle.py) -------------------------------
export function makeRng(seed = 0) {
  let state = Number(seed) >>> 0;
  return {
    nextUint32() {
      state = (state + 0x6D2B79F5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
      return (t ^ (t >>> 14)) >>> 0;
    },
    below(m) {   // (u * m) >> 32, exact for m < 2^21
      return Math.floor((this.nextUint32() * m) / 4294967296);
    },
  };
}

export function shuffle(rng, arr) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = arr[i]; arr[i] = arr[j]; arr[j] = t;
  }
  return arr;
}

export function permutation(rng, n, out = null) {
  const order = out || new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffle(rng, order);
}

// -- scalar functions ------------------------------------------------------------------
const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

// W. J. Cody, "Rational Chebyshev approximations for the error function",
// Math. Comp. 1969 (the netlib specfun CALERF, erfc branch): three intervals of |x|.
const ERF_A = [3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
  3.20937758913846947e03, 1.85777706184603153e-1];
const ERF_B = [2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
  2.84423683343917062e03];
const ERF_C = [5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
  2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
  2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8];
const ERF_D = [1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
  1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
  3.43936767414372164e03, 1.23033935480374942e03];
const ERF_P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
  1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const ERF_Q = [2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
  6.05183413124413191e-2, 2.33520497626869185e-3];
const SQRPI = 5.6418958354775628695e-1;   // 1 / sqrt(pi)

// exp(-y*y) without the rounding error of forming y*y: split y at a multiple of 1/16.
function expMinusSquare(y) {
  const ys = Math.trunc(y * 16.0) / 16.0;
  const del = (y - ys) * (y + ys);
  return Math.exp(-ys * ys) * Math.exp(-del);
}

export function erfc(x) {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  let result;
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0.0;
    let xnum = ERF_A[4] * ysq, xden = ysq;
    for (let i = 0; i < 3; i++) {
      xnum = (xnum + ERF_A[i]) * ysq;
      xden = (xden + ERF_B[i]) * ysq;
    }
    return 1.0 - x * (xnum + ERF_A[3]) / (xden + ERF_B[3]);
  }
  if (y <= 4.0) {
    let xnum = ERF_C[8] * y, xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + ERF_C[i]) * y;
      xden = (xden + ERF_D[i]) * y;
    }
    result = expMinusSquare(y) * ((xnum + ERF_C[7]) / (xden + ERF_D[7]));
  } else if (y >= 26.543) {
    result = 0.0;
  } else {
    const ysq = 1.0 / (y * y);
    let xnum = ERF_P[5] * ysq, xden = ysq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + ERF_P[i]) * ysq;
      xden = (xden + ERF_Q[i]) * ysq;
    }
    const r = ysq * (xnum + ERF_P[4]) / (xden + ERF_Q[4]);
    result = expMinusSquare(y) * ((SQRPI - r) / y);
  }
  return x < 0 ? 2.0 - result : result;
}

export function sigmoid(x) {   // activations.sigmoid: exp(-|x|) never overflows
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

export function softplus(x) {   // numpy's logaddexp(0, x), branch for branch
  if (x === 0) return Math.LN2;
  const tmp = -x;
  if (tmp > 0) return Math.log1p(Math.exp(-tmp));
  if (tmp <= 0) return x + Math.log1p(Math.exp(tmp));
  return tmp;   // NaN
}

const relu = (x) => Math.max(0.0, x);
const leaky = (x, slope) => (x >= 0 ? x : slope * x);
const leakyD = (x, slope) => (x >= 0 ? 1.0 : slope);
const elu = (x, alpha) => (x >= 0 ? x : alpha * Math.expm1(Math.min(x, 0.0)));
const eluD = (x, alpha) => (x >= 0 ? 1.0 : alpha * Math.exp(Math.min(x, 0.0)));
const gelu = (x) => 0.5 * x * erfc(-x / SQRT2);
const geluD = (x) => 0.5 * erfc(-x / SQRT2) + x * (INV_SQRT_2PI * Math.exp(-0.5 * Math.min(x * x, 1e300)));
const silu = (x) => x * sigmoid(x);
const siluD = (x) => { const s = sigmoid(x); return s * (1.0 + x * (1.0 - s)); };

// maxout as a 1-D curve (activations.maxout_pieces_1d): tangents of x^2/8 at k points of [-4, 4]
function maxoutPieces(k) {
  const w = [], c = [];
  for (let p = 0; p < k; p++) {
    const t = k === 1 ? -4.0 : -4.0 + (8.0 * p) / (k - 1);
    w.push(t / 4.0); c.push(-(t * t) / 8.0);
  }
  return [w, c];
}
function maxoutCurve(x, k, derivative) {
  const [w, c] = maxoutPieces(k);
  let best = -Infinity, arg = 0;
  for (let p = 0; p < k; p++) {
    const v = w[p] * x + c[p];
    if (v > best) { best = v; arg = p; }
  }
  return derivative ? w[arg] : best;
}

const P = (p) => p || {};
export const ACTIVATIONS = Object.freeze({
  sigmoid: { label: 'sigmoid', params: [], f: sigmoid, df: (x) => { const s = sigmoid(x); return s * (1.0 - s); } },
  tanh: { label: 'tanh', params: [], f: Math.tanh, df: (x) => { const t = Math.tanh(x); return 1.0 - t * t; } },
  relu: { label: 'ReLU', params: [], f: relu, df: (x) => (x > 0 ? 1.0 : 0.0) },
  leaky_relu: { label: 'leaky ReLU', params: ['slope'], f: (x, p) => leaky(x, P(p).slope ?? 0.1), df: (x, p) => leakyD(x, P(p).slope ?? 0.1) },
  maxout: { label: 'maxout', params: ['pieces'], f: (x, p) => maxoutCurve(x, P(p).pieces ?? 2, false), df: (x, p) => maxoutCurve(x, P(p).pieces ?? 2, true) },
  elu: { label: 'ELU', params: ['alpha'], f: (x, p) => elu(x, P(p).alpha ?? 1.0), df: (x, p) => eluD(x, P(p).alpha ?? 1.0) },
  identity: { label: 'identity', params: [], f: (x) => x, df: () => 1.0 },
  gelu: { label: 'GELU', params: [], f: gelu, df: geluD },
  silu: { label: 'SiLU', params: [], f: silu, df: siluD },
  softplus: { label: 'softplus', params: [], f: softplus, df: sigmoid },
});

export const HEADS = Object.freeze({ binary: 'sigmoid', multiclass: 'softmax', regression: 'identity' });
export const OPTIMISERS = Object.freeze(['sgd', 'momentum', 'adam']);

// Python's f"{x:g}": 6 significant digits, trailing zeros dropped, exponent form outside [1e-4, 1e6).
export function formatG(x) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expStr] = x.toExponential(5).split('e');
  const exp = Number(expStr);
  const strip = (s) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp >= -4 && exp < 6) return strip(x.toFixed(5 - exp));
  const e = Math.abs(exp);
  return `${strip(mant)}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

// -- layers and the network --------------------------------------------------------------
const KNOWN = new Set([...Object.keys(ACTIVATIONS), 'softmax']);

// Z = W a + b for a batch of B columns: Z[r, c] = sum_i W[r, i] a[i, c], then + b[r].
function linear(W, b, rows, nIn, A, Z, B) {
  for (let r = 0; r < rows; r++) {
    const zo = r * B, wo = r * nIn;
    for (let c = 0; c < B; c++) Z[zo + c] = 0.0;
    for (let i = 0; i < nIn; i++) {
      const w = W[wo + i], ao = i * B;
      for (let c = 0; c < B; c++) Z[zo + c] += w * A[ao + c];
    }
    const br = b[r];
    for (let c = 0; c < B; c++) Z[zo + c] += br;
  }
}

// a = f(Z) for one layer (Z [rows*B], A [nOut*B]).
function activate(layer, Z, A, B) {
  const n = layer.nOut * B, { slope, alpha } = layer;
  switch (layer.activation) {
    case 'sigmoid': for (let j = 0; j < n; j++) A[j] = sigmoid(Z[j]); break;
    case 'tanh': for (let j = 0; j < n; j++) A[j] = Math.tanh(Z[j]); break;
    case 'relu': for (let j = 0; j < n; j++) A[j] = Math.max(Z[j], 0.0); break;
    case 'identity': for (let j = 0; j < n; j++) A[j] = Z[j]; break;
    case 'leaky_relu': for (let j = 0; j < n; j++) A[j] = leaky(Z[j], slope); break;
    case 'elu': for (let j = 0; j < n; j++) A[j] = elu(Z[j], alpha); break;
    case 'gelu': for (let j = 0; j < n; j++) A[j] = gelu(Z[j]); break;
    case 'silu': for (let j = 0; j < n; j++) A[j] = silu(Z[j]); break;
    case 'softplus': for (let j = 0; j < n; j++) A[j] = softplus(Z[j]); break;
    case 'maxout': {   // a[j, c] = max over pieces p of Z[p*out + j, c] (NaN wins, as np.max)
      const k = layer.k;
      for (let j = 0; j < n; j++) {
        let m = Z[j];
        for (let p = 1; p < k; p++) {
          const v = Z[p * n + j];
          if (v > m || Number.isNaN(v)) m = Number.isNaN(m) ? m : v;
        }
        A[j] = m;
      }
      break;
    }
    case 'softmax': {   // over the class axis (rows), per column, with the max subtracted
      const K = layer.nOut;
      for (let c = 0; c < B; c++) {
        let m = -Infinity;
        for (let r = 0; r < K; r++) m = Math.max(m, Z[r * B + c]);
        let s = 0.0;
        for (let r = 0; r < K; r++) { const e = Math.exp(Z[r * B + c] - m); A[r * B + c] = e; s += e; }
        for (let r = 0; r < K; r++) A[r * B + c] /= s;
      }
      break;
    }
    default: throw new Error(`unknown activation ${layer.activation}`);
  }
}

// dL/dZ from dL/da for one hidden layer, as mlp.Layer.backward_through_activation.
function activateBackward(layer, Z, A, dA, dZ, B) {
  const n = layer.nOut * B, { slope, alpha } = layer;
  switch (layer.activation) {
    case 'sigmoid': for (let j = 0; j < n; j++) dZ[j] = dA[j] * A[j] * (1.0 - A[j]); break;
    case 'tanh': for (let j = 0; j < n; j++) dZ[j] = dA[j] * (1.0 - A[j] * A[j]); break;
    case 'relu': for (let j = 0; j < n; j++) dZ[j] = dA[j] * (Z[j] > 0 ? 1.0 : 0.0); break;
    case 'identity': for (let j = 0; j < n; j++) dZ[j] = dA[j]; break;
    case 'leaky_relu': for (let j = 0; j < n; j++) dZ[j] = dA[j] * leakyD(Z[j], slope); break;
    case 'elu': for (let j = 0; j < n; j++) dZ[j] = dA[j] * eluD(Z[j], alpha); break;
    case 'gelu': for (let j = 0; j < n; j++) dZ[j] = dA[j] * geluD(Z[j]); break;
    case 'silu': for (let j = 0; j < n; j++) dZ[j] = dA[j] * siluD(Z[j]); break;
    case 'softplus': for (let j = 0; j < n; j++) dZ[j] = dA[j] * sigmoid(Z[j]); break;
    case 'maxout': {   // the gradient goes to the first piece that is its unit's maximum
      const k = layer.k;
      for (let j = 0; j < n; j++) {
        let arg = 0, m = Z[j];
        if (!Number.isNaN(m)) {
          for (let p = 1; p < k; p++) {
            const v = Z[p * n + j];
            if (Number.isNaN(v)) { arg = p; break; }
            if (v > m) { m = v; arg = p; }
          }
        }
        for (let p = 0; p < k; p++) dZ[p * n + j] = dA[j] * (p === arg ? 1.0 : 0.0);
      }
      break;
    }
    default: throw new Error(`no backward pass through ${layer.activation}`);
  }
}

function flatten(rows, what) {
  if (!Array.isArray(rows)) throw new Error(`${what} must be an array`);
  return rows.map((v) => (Array.isArray(v) ? (v.length === 1 ? v[0] : NaN) : v));
}

export class Network {
  constructor(nIn, layers) {
    this.nIn = nIn;
    this.layers = layers;
    this._ws = new Map();
  }

  static fromJSON(obj) {
    if (!obj || !Array.isArray(obj.layers) || !obj.layers.length) throw new Error('a network needs at least one layer');
    const nIn = Number(obj.n_in);
    if (!Number.isInteger(nIn) || nIn < 1) throw new Error(`n_in must be a positive integer, got ${obj.n_in}`);
    let prev = nIn;
    const layers = obj.layers.map((L, idx) => {
      const activation = L.activation;
      if (!KNOWN.has(activation)) throw new Error(`layer ${idx + 1}: unknown activation ${activation}`);
      const k = activation === 'maxout' ? Number(L.pieces ?? 2) : 1;
      if (!Number.isInteger(k) || k < 1) throw new Error(`layer ${idx + 1}: pieces must be a positive integer`);
      if (!Array.isArray(L.W) || !L.W.length) throw new Error(`layer ${idx + 1}: W must be a non-empty list of rows`);
      const rows = L.W.length;
      if (rows % k) throw new Error(`layer ${idx + 1}: maxout: ${rows} rows are not a multiple of k = ${k}`);
      const W = new Float64Array(rows * prev);
      L.W.forEach((row, r) => {
        if (!Array.isArray(row) || row.length !== prev) throw new Error(`layer ${idx + 1}: W must be [${rows}, ${prev}]`);
        for (let i = 0; i < prev; i++) W[r * prev + i] = Number(row[i]);
      });
      const bFlat = flatten(L.b, `layer ${idx + 1}: b`);
      if (bFlat.length !== rows) throw new Error(`layer ${idx + 1}: b must have ${rows} entries, got ${bFlat.length}`);
      const layer = {
        nIn: prev, nOut: rows / k, k, rows, W, b: Float64Array.from(bFlat, Number), activation,
        pieces: Number(L.pieces ?? 2), slope: Number(L.slope ?? 0.1), alpha: Number(L.alpha ?? 1.0),
      };
      prev = layer.nOut;
      return layer;
    });
    return new Network(nIn, layers);
  }

  toJSON() {
    return {
      n_in: this.nIn,
      layers: this.layers.map((L) => ({
        W: Array.from({ length: L.rows }, (_, r) => Array.from(L.W.subarray(r * L.nIn, (r + 1) * L.nIn))),
        b: Array.from(L.b), activation: L.activation, pieces: L.pieces, slope: L.slope, alpha: L.alpha,
      })),
    };
  }

  get nOut() { return this.layers[this.layers.length - 1].nOut; }

  get nParams() { return this.layers.reduce((s, L) => s + L.W.length + L.b.length, 0); }

  // The buffers for a batch of B columns (made once per B, then reused).
  workspace(B) {
    let ws = this._ws.get(B);
    if (!ws) {
      ws = {
        B,
        Z: this.layers.map((L) => new Float64Array(L.rows * B)),
        A: this.layers.map((L) => new Float64Array(L.nOut * B)),
        dZ: this.layers.map((L) => new Float64Array(L.rows * B)),
        dA: this.layers.map((L) => new Float64Array(L.nOut * B)),
        X: null, Y: null,   // minibatch gathers (made by the trainer)
      };
      if (this._ws.size > 8) this._ws.clear();
      this._ws.set(B, ws);
    }
    return ws;
  }

  // Forward pass into ws (no allocation).
  _forward(X, ws) {
    const B = ws.B;
    let a = X;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      linear(L.W, L.b, L.rows, L.nIn, a, ws.Z[l], B);
      activate(L, ws.Z[l], ws.A[l], B);
      a = ws.A[l];
    }
  }

  forward(X, B) {
    if (!Number.isInteger(B) || B < 1) throw new Error(`B must be a positive integer, got ${B}`);
    if (X.length !== this.nIn * B) throw new Error(`X must be [${this.nIn}, ${B}] (${this.nIn * B} numbers), got ${X.length}`);
    const ws = this.workspace(B);
    this._forward(X, ws);
    return this.layers.map((_, l) => ({ Z: ws.Z[l], a: ws.A[l] }));
  }

  predict(X, B) {
    const out = this.forward(X, B);
    return out[out.length - 1].a;
  }
}

// -- heads: losses from the logits (mlp.head_loss) ----------------------------------------
export function headLoss(Z, Y, K, B, head) {
  let s = 0.0;
  if (head === 'binary') {   // mean of log(1 + e^z) - y z
    for (let c = 0; c < B; c++) s += softplus(Z[c]) - Y[c] * Z[c];
    return s / B;
  }
  if (head === 'multiclass') {   // -(1/B) sum Y log softmax(Z)
    for (let c = 0; c < B; c++) {
      let m = -Infinity;
      for (let r = 0; r < K; r++) m = Math.max(m, Z[r * B + c]);
      let e = 0.0;
      for (let r = 0; r < K; r++) e += Math.exp(Z[r * B + c] - m);
      const lse = Math.log(e);
      for (let r = 0; r < K; r++) s += Y[r * B + c] * ((Z[r * B + c] - m) - lse);
    }
    return -s / B;
  }
  for (let j = 0; j < K * B; j++) { const d = Z[j] - Y[j]; s += d * d; }   // regression
  return s / B;
}

export function accuracy(A, Y, K, B, head) {
  let right = 0;
  if (head === 'binary') {
    for (let c = 0; c < B; c++) if ((A[c] >= 0.5) === (Y[c] >= 0.5)) right++;
  } else {
    for (let c = 0; c < B; c++) {
      let ia = 0, iy = 0;
      for (let r = 1; r < K; r++) {
        if (A[r * B + c] > A[ia * B + c]) ia = r;
        if (Y[r * B + c] > Y[iy * B + c]) iy = r;
      }
      if (ia === iy) right++;
    }
  }
  return right / B;
}

// -- optimisers (train.Optimiser) -----------------------------------------------------------
class Optimiser {
  constructor(params, kind = 'adam', lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) {
    if (!OPTIMISERS.includes(kind)) throw new Error(`optimiser must be one of ${OPTIMISERS.join(', ')}, got ${kind}`);
    checkLr(lr);
    Object.assign(this, { kind, lr: Number(lr), beta1, beta2, eps, t: 0 });
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  update(params, grads) {
    this.t += 1;
    const { lr, beta1, beta2, eps } = this;
    const c1 = 1 - beta1 ** this.t, c2 = 1 - beta2 ** this.t;
    for (let q = 0; q < params.length; q++) {
      const p = params[q], g = grads[q], m = this.m[q], v = this.v[q], n = p.length;
      if (this.kind === 'sgd') {
        for (let j = 0; j < n; j++) p[j] -= lr * g[j];
      } else if (this.kind === 'momentum') {
        for (let j = 0; j < n; j++) { m[j] = m[j] * beta1 + g[j]; p[j] -= lr * m[j]; }
      } else {
        for (let j = 0; j < n; j++) {
          m[j] = m[j] * beta1 + (1 - beta1) * g[j];
          v[j] = v[j] * beta2 + (1 - beta2) * g[j] * g[j];
          p[j] -= lr * (m[j] / c1) / (Math.sqrt(v[j] / c2) + eps);
        }
      }
    }
  }
}

function checkLr(lr) {
  if (!(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) {
    throw new Error(`the learning rate must be a positive number, got ${lr}`);
  }
}

function checkData(net, X, Y, B, head, what) {
  if (!(head in HEADS)) throw new Error(`head must be one of ${Object.keys(HEADS).join(', ')}, got ${head}`);
  const last = net.layers[net.layers.length - 1].activation;
  if (last !== HEADS[head]) throw new Error(`the ${head} head needs a ${HEADS[head]} output layer, this network ends in ${last}`);
  if (!Number.isInteger(B) || B < 1) throw new Error(`the ${what} set needs at least one sample, got B = ${B}`);
  if (!X || X.length !== net.nIn * B) throw new Error(`the ${what} inputs X must be [${net.nIn}, ${B}]`);
  if (!Y || Y.length !== net.nOut * B) throw new Error(`the ${what} targets Y must be [${net.nOut}, ${B}]`);
  return [Float64Array.from(X), Float64Array.from(Y)];
}

// -- the trainer (train.Trainer) ------------------------------------------------------------
export class Trainer {
  constructor(net, { X, Y, B, head, optimiser = 'adam', lr = 0.01, batchSize = null, l1 = 0, l2 = 0,
    seed = 0, Xtest = null, Ytest = null, Btest = 0 } = {}) {
    this.net = net;
    this.head = head;
    [this.X, this.Y] = checkData(net, X, Y, B, head, 'training');
    this.n = B;
    if (Xtest && Btest) [this.Xtest, this.Ytest] = checkData(net, Xtest, Ytest, Btest, head, 'test');
    else this.Xtest = this.Ytest = null;
    this.Btest = this.Xtest ? Btest : 0;
    this.params = [];
    this.grads = [];
    for (const L of net.layers) {
      this.params.push(L.W, L.b);
      this.grads.push(new Float64Array(L.W.length), new Float64Array(L.b.length));
    }
    this.optimiser = optimiser;
    this.lr = Number(lr);
    this._opt = new Optimiser(this.params, optimiser, this.lr);
    this.l1 = Number(l1);
    this.l2 = Number(l2);
    this.seed = seed;
    this._rng = makeRng(seed);
    this._order = new Int32Array(this.n);
    this._setBatch(batchSize);
    this.steps = 0;
    this.epoch = 0;
    this.cursor = 0;
    this.status = 'ready';
    this.message = '';
  }

  _setBatch(batchSize) {
    this.batchSize = batchSize || null;
    this.batch = batchSize ? Math.max(1, Math.min(Math.trunc(batchSize), this.n)) : this.n;
  }

  get stepsPerEpoch() { return Math.ceil(this.n / this.batch); }

  retune({ lr, optimiser, batchSize, l1, l2 } = {}) {
    if (lr !== undefined) checkLr(lr);
    if (optimiser !== undefined && optimiser !== this.optimiser) {
      this._opt = new Optimiser(this.params, optimiser, lr === undefined ? this.lr : lr);
      this.optimiser = optimiser;
    }
    if (lr !== undefined) this.lr = this._opt.lr = Number(lr);
    if (batchSize !== undefined) this._setBatch(batchSize);
    if (l1 !== undefined) this.l1 = Number(l1);
    if (l2 !== undefined) this.l2 = Number(l2);
  }

  // The next minibatch as [X, Y, size] (see "Epochs" at the top).
  _nextBatch() {
    const n = this.n;
    if (this.cursor === 0) {
      if (this.batch >= n) {
        this.epoch += 1;
        return [this.X, this.Y, n];
      }
      permutation(this._rng, n, this._order);
    }
    const size = Math.min(this.batch, n - this.cursor);
    const ws = this.net.workspace(size);
    const nIn = this.net.nIn, K = this.net.nOut;
    if (!ws.X) { ws.X = new Float64Array(nIn * size); ws.Y = new Float64Array(K * size); }
    const order = this._order, start = this.cursor;
    for (let c = 0; c < size; c++) {
      const s = order[start + c];
      for (let i = 0; i < nIn; i++) ws.X[i * size + c] = this.X[i * n + s];
      for (let r = 0; r < K; r++) ws.Y[r * size + c] = this.Y[r * n + s];
    }
    this.cursor += size;
    if (this.cursor === n) { this.cursor = 0; this.epoch += 1; }
    return [ws.X, ws.Y, size];
  }

  // One forward and backward pass on (X, Y) of B columns; fills this.grads; returns the loss.
  _backprop(X, Y, B) {
    const net = this.net, layers = net.layers, ws = net.workspace(B), last = layers.length - 1;
    net._forward(X, ws);
    const K = layers[last].nOut, Z = ws.Z[last], A = ws.A[last];
    const loss = headLoss(Z, Y, K, B, this.head);
    let dZ = ws.dZ[last];
    if (this.head === 'regression') for (let j = 0; j < K * B; j++) dZ[j] = 2.0 * (Z[j] - Y[j]) / B;
    else for (let j = 0; j < K * B; j++) dZ[j] = (A[j] - Y[j]) / B;
    for (let l = last; l >= 0; l--) {
      const L = layers[l], aPrev = l === 0 ? X : ws.A[l - 1], nIn = L.nIn;
      const gW = this.grads[2 * l], gb = this.grads[2 * l + 1];
      for (let r = 0; r < L.rows; r++) {   // dW = dZ a_prev^T, db = sum over the batch
        const zo = r * B;
        let sb = 0.0;
        for (let c = 0; c < B; c++) sb += dZ[zo + c];
        gb[r] = sb;
        for (let i = 0; i < nIn; i++) {
          const ao = i * B;
          let s = 0.0;
          for (let c = 0; c < B; c++) s += dZ[zo + c] * aPrev[ao + c];
          gW[r * nIn + i] = s;
        }
      }
      if (l > 0) {   // dA_prev = W^T dZ, then through the previous layer's activation
        const dA = ws.dA[l - 1];
        dA.fill(0.0);
        for (let r = 0; r < L.rows; r++) {
          const zo = r * B;
          for (let i = 0; i < nIn; i++) {
            const w = L.W[r * nIn + i], ao = i * B;
            for (let c = 0; c < B; c++) dA[ao + c] += w * dZ[zo + c];
          }
        }
        activateBackward(layers[l - 1], ws.Z[l - 1], ws.A[l - 1], dA, ws.dZ[l - 1], B);
        dZ = ws.dZ[l - 1];
      }
    }
    return loss;
  }

  trainSteps(n) {
    if (this.status === 'diverged') return NaN;
    let loss = NaN;
    const { l1, l2 } = this, layers = this.net.layers;
    for (let s = 0; s < n; s++) {
      const [Xb, Yb, size] = this._nextBatch();
      loss = this._backprop(Xb, Yb, size);
      if (l1 || l2) {   // weights only: dW + l2 W + l1 sign(W)
        for (let l = 0; l < layers.length; l++) {
          const W = layers[l].W, g = this.grads[2 * l];
          for (let j = 0; j < W.length; j++) g[j] = g[j] + l2 * W[j] + l1 * Math.sign(W[j]);
        }
      }
      this._opt.update(this.params, this.grads);
      this.steps += 1;
      if (!Number.isFinite(loss)) break;
    }
    if (!Number.isFinite(loss) || !this.params.every((p) => p.every(Number.isFinite))) {
      this.status = 'diverged';
      this.message = `Training diverged at step ${this.steps}: the loss or the weights became nan/inf. `
        + `The learning rate (${formatG(this.lr)}) is most likely too large for this network and data; `
        + 'lower it and reset.';
    } else {
      this.status = 'running';
    }
    return loss;
  }

  // Steps to the e-th epoch boundary from now: the rest of this epoch, then e - 1 whole ones.
  stepsToEpochs(e) {
    if (e < 1) return 0;
    return Math.ceil((this.n - this.cursor) / this.batch) + (e - 1) * this.stepsPerEpoch;
  }

  trainEpochs(e) {
    return this.trainSteps(this.stepsToEpochs(e));
  }

  evaluate() {
    const out = { step: this.steps, epoch: this.epoch };
    const net = this.net, last = net.layers.length - 1, K = net.nOut;
    for (const [name, X, Y, B] of [['train', this.X, this.Y, this.n], ['test', this.Xtest, this.Ytest, this.Btest]]) {
      if (!X) continue;
      const ws = net.workspace(B);
      net._forward(X, ws);
      out[`${name}_loss`] = headLoss(ws.Z[last], Y, K, B, this.head);
      if (this.head !== 'regression') out[`${name}_accuracy`] = accuracy(ws.A[last], Y, K, B, this.head);
    }
    return out;
  }
}
