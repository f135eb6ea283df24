// pgdata.js: the playground's data in the browser: input features, targets, the grid of
// the plane, the points a student adds or removes, and the metrics a student asks for
// (accuracy, confusion matrix, R²). Pure functions, no DOM: tested under Node
// (tests/web/playground.test.mjs) and pinned to explorer.core.features by
// tests/pages/test_playground.py.
//
// Layout as in nn.js and the lecture: a batch X : [N, B] is a flat Float64Array with
// X[i*B + c] = feature i of sample c.

// explorer/core/features.py, in its order (the order of the network's inputs).
export const FEATURES = Object.freeze([
  { name: 'x1', label: 'x₁', f: (a, b) => a },
  { name: 'x2', label: 'x₂', f: (a, b) => b },
  { name: 'x1sq', label: 'x₁²', f: (a, b) => a * a },
  { name: 'x2sq', label: 'x₂²', f: (a, b) => b * b },
  { name: 'x1x2', label: 'x₁x₂', f: (a, b) => a * b },
  { name: 'sin1', label: 'sin(x₁)', f: (a, b) => Math.sin(a) },
  { name: 'sin2', label: 'sin(x₂)', f: (a, b) => Math.sin(b) },
]);
export const FEATURE_NAMES = Object.freeze(FEATURES.map((f) => f.name));

// The chosen features in the canonical order (unknown names dropped).
export function canonicalFeatures(names) {
  const set = new Set(names);
  return FEATURE_NAMES.filter((n) => set.has(n));
}

// Φ : [F, B] for points (x1[c], x2[c]), one row per chosen feature.
export function featureMatrix(x1, x2, names) {
  const B = x1.length, chosen = canonicalFeatures(names);
  const out = new Float64Array(chosen.length * B);
  chosen.forEach((name, i) => {
    const f = FEATURES[FEATURE_NAMES.indexOf(name)].f;
    for (let c = 0; c < B; c++) out[i * B + c] = f(x1[c], x2[c]);
  });
  return out;
}

// Targets Y : [K, B] from labels: binary 0/1 ([1, B]), multiclass one-hot, regression values.
export function targetMatrix(t, kind, K) {
  const B = t.length;
  if (kind !== 'multiclass') return Float64Array.from(t, Number);
  const Y = new Float64Array(K * B);
  for (let c = 0; c < B; c++) Y[t[c] * B + c] = 1;
  return Y;
}

// The pixel centres of [-extent, extent]² on steps x steps, row 0 = lowest x2 (as datasets.grid).
export function gridPoints(extent, steps) {
  const n = steps * steps, x1 = new Float64Array(n), x2 = new Float64Array(n);
  const h = (2 * extent) / steps;
  for (let r = 0; r < steps; r++) {
    for (let c = 0; c < steps; c++) {
      x1[r * steps + c] = -extent + h * (c + 0.5);
      x2[r * steps + c] = -extent + h * (r + 0.5);
    }
  }
  return { x1, x2, n };
}

// The class (or value) a network output column says: argmax / threshold 0.5 / the value.
export function predictedLabels(A, K, B, kind) {
  const out = new Float64Array(B);
  for (let c = 0; c < B; c++) {
    if (kind === 'binary') out[c] = A[c] >= 0.5 ? 1 : 0;
    else if (kind === 'regression') out[c] = A[c];
    else {
      let best = 0;
      for (let r = 1; r < K; r++) if (A[r * B + c] > A[best * B + c]) best = r;
      out[c] = best;
    }
  }
  return out;
}

// Confusion matrix M[true][predicted] (counts) for K classes.
export function confusion(truth, predicted, K) {
  const M = Array.from({ length: K }, () => new Array(K).fill(0));
  for (let c = 0; c < truth.length; c++) M[truth[c]][predicted[c]] += 1;
  return M;
}

// Coefficient of determination R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)² (NaN for fewer than 2 points
// or constant targets).
export function r2(y, yhat) {
  const n = y.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let ss = 0, tot = 0;
  for (let i = 0; i < n; i++) { ss += (y[i] - yhat[i]) ** 2; tot += (y[i] - mean) ** 2; }
  return tot > 0 ? 1 - ss / tot : NaN;
}

// -- the student's own points ------------------------------------------------------------
// A point set is {x1: number[], x2: number[], t: number[]}.
export function copyPoints(p) {
  return { x1: Array.from(p.x1), x2: Array.from(p.x2), t: Array.from(p.t) };
}

export function addPoint(p, x1, x2, t, extent) {
  const clip = (v) => Math.max(-extent, Math.min(extent, v));
  p.x1.push(clip(x1)); p.x2.push(clip(x2)); p.t.push(t);
  return p;
}

// Index of the point nearest (x1, x2) within radius r, or -1.
export function nearestPoint(p, x1, x2, r) {
  let best = -1, bestD = r * r;
  for (let i = 0; i < p.x1.length; i++) {
    const d = (p.x1[i] - x1) ** 2 + (p.x2[i] - x2) ** 2;
    if (d <= bestD) { bestD = d; best = i; }
  }
  return best;
}

export function removePoint(p, i) {
  if (i >= 0 && i < p.x1.length) { p.x1.splice(i, 1); p.x2.splice(i, 1); p.t.splice(i, 1); }
  return p;
}

// Early stopping: true when the best test loss is more than `patience` epochs old.
// `history` is [[epoch, trainLoss, testLoss], ...].
export function shouldStop(history, patience) {
  if (!patience || history.length < 2) return false;
  let best = Infinity, bestEpoch = history[0][0];
  for (const [epoch, , test] of history) {
    if (Number.isFinite(test) && test < best - 1e-12) { best = test; bestEpoch = epoch; }
  }
  return Number.isFinite(best) && history[history.length - 1][0] - bestEpoch >= patience;
}
