// Unit tests of the playground's pure JavaScript (explorer/web/draw.js, pgdata.js) under Node:
// node --test tests/web/   (no DOM: colour maps, layout, hit-testing, contours, data, metrics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RDBU, makeLut, lutIndex, hexToRgb, luminance, themeColours, layoutDiagram, hitUnit, hitEdge, edgePoint,
  contourSegments, niceTicks, fmt, pictureRange, paintPicture, paintClasses, pointStyle,
} from '../../explorer/web/draw.js';
import {
  FEATURE_NAMES, canonicalFeatures, featureMatrix, targetMatrix, gridPoints, predictedLabels, confusion, r2,
  addPoint, nearestPoint, removePoint, copyPoints, shouldStop,
} from '../../explorer/web/pgdata.js';

test('the colour map runs from RdBu red (negative) through white to blue (positive)', () => {
  const lut = makeLut();
  assert.equal(lut.length, 768);
  assert.deepEqual([...lut.slice(0, 3)], RDBU[0]);
  assert.deepEqual([...lut.slice(765, 768)], RDBU[10]);
  assert.ok(lut[3 * 128] > 240 && lut[3 * 128 + 1] > 240);         // the middle is (nearly) white
  assert.equal(lutIndex(-1, -1, 1), 0);
  assert.equal(lutIndex(1, -1, 1), 255);
  assert.equal(lutIndex(0, -1, 1), 128);
  assert.equal(lutIndex(NaN, -1, 1), 128);
  assert.equal(lutIndex(50, -1, 1), 255);                         // clipped
  assert.equal(lutIndex(-Infinity, -1, 1), 0);
});

test('the theme is read from the CSS variables: dark pages get a dark-centred map', () => {
  assert.deepEqual(hexToRgb('#0E1117'), [14, 17, 23]);
  assert.deepEqual(hexToRgb('#fff'), [255, 255, 255]);
  assert.equal(hexToRgb('not a colour'), null);
  assert.ok(luminance([255, 255, 255]) > 0.99 && luminance([0, 0, 0]) === 0);
  const dark = themeColours((n) => ({ '--st-background-color': '#0e1117', '--st-text-color': '#fafafa' })[n]);
  const light = themeColours((n) => ({ '--st-background-color': '#ffffff', '--st-text-color': '#31333F' })[n]);
  assert.equal(dark.dark, true);
  assert.equal(light.dark, false);
  assert.ok(dark.lut[3 * 128] < 80);                               // the middle is dark on a dark page
  assert.equal(dark.bg, 'rgb(14,17,23)');
  const missing = themeColours(() => '');                           // no variables: a light page
  assert.equal(missing.dark, false);
});

test('the diagram layout spaces columns and units and never overlaps squares', () => {
  const L = layoutDiagram([7, 4, 2, 1], 500, 400, { top: 50, bottom: 10, left: 60, right: 20 });
  assert.equal(L.cols.length, 4);
  assert.equal(L.cols[0].x, 60);
  assert.equal(L.cols[3].x, 480);
  for (const col of L.cols) {
    for (let i = 1; i < col.units.length; i++) assert.ok(col.units[i].y - col.units[i - 1].y >= L.size);
    for (const u of col.units) assert.ok(u.y - L.size / 2 >= 50 - 1e-9 && u.y + L.size / 2 <= 390 + 1e-9);
  }
  const wide = layoutDiagram([2, 32, 32, 32, 32, 32, 32, 1], 600, 620, { top: 70 });
  assert.ok(wide.size >= 6 && wide.size * 32 <= 620);
  assert.ok(wide.cols[1].x - wide.cols[0].x > wide.size);
});

test('hit-testing finds the unit and the edge under the mouse', () => {
  const L = layoutDiagram([2, 3, 1], 400, 300);
  const u = L.cols[1].units[2];
  assert.deepEqual(hitUnit(L, u.x, u.y), [1, 2]);
  assert.deepEqual(hitUnit(L, u.x + L.size / 2 - 1, u.y - L.size / 2 + 1), [1, 2]);
  assert.equal(hitUnit(L, u.x + L.size + 10, u.y), null);
  // the middle of the edge from input 0 to unit 1 of layer 1
  const a = L.cols[0].units[0], b = L.cols[1].units[1], h = L.size / 2;
  const [mx, my] = edgePoint(a.x + h, a.y, b.x - h, b.y, 0.5);
  const edges = (l) => (l === 0 ? [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]] : [[0, 0], [1, 0], [2, 0]]);
  assert.deepEqual(hitEdge(L, edges, mx, my), { layer: 0, from: 0, to: 1 });
  assert.equal(hitEdge(L, edges, mx, my + 60), null);
});

test('the 0.5 line of a disc is a circle of the right radius', () => {
  const steps = 50, E = 6, g = gridPoints(E, steps);
  const v = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) v[i] = 1 / (1 + Math.exp(g.x1[i] ** 2 + g.x2[i] ** 2 - 9));   // P = 0.5 at r = 3
  const segs = contourSegments(v, steps, 0.5);
  assert.ok(segs.length > 40);
  const h = (2 * E) / steps;
  for (const [c0, r0] of segs) {
    const r = Math.hypot(-E + c0 * h, -E + r0 * h);
    assert.ok(Math.abs(r - 3) < 0.1, `radius ${r}`);
  }
  assert.equal(contourSegments(new Float64Array(g.n).fill(0.2), steps).length, 0);
  assert.equal(contourSegments(new Float64Array(g.n).fill(NaN), steps).length, 0);
});

test('ticks and numbers read well', () => {
  assert.deepEqual(niceTicks(-6, 6, 6), [-6, -4, -2, 0, 2, 4, 6]);
  assert.deepEqual(niceTicks(0, 1, 4), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(niceTicks(3, 3), [3]);
  assert.equal(fmt(-2), '−2');
  assert.equal(fmt(0.123456), '0.123');
  assert.equal(fmt(NaN), 'nan');
  assert.equal(fmt(Infinity), '∞');
  assert.equal(fmt(123456), '1.2e5');
});

test('unit pictures: bounded activations on [-1, 1], others on their largest |a|; top row = highest x2', () => {
  assert.equal(pictureRange(new Float64Array([0.1, -0.2]), 0, 2, 'tanh'), 1);
  assert.equal(pictureRange(new Float64Array([0.5, -3, 2]), 0, 3, 'relu'), 3);
  assert.equal(pictureRange(new Float64Array([0, 0]), 0, 2, 'relu'), 1);
  // a 2 x 2 grid whose upper row (x2 high) is +1 and lower row -1
  const values = new Float64Array([-1, -1, 1, 1]), out = new Uint8ClampedArray(16), lut = makeLut();
  paintPicture(out, 0, 8, values, 0, 2, 1, -1, 1, lut);
  assert.deepEqual([...out.slice(0, 3)], RDBU[10]);               // top-left: blue
  assert.deepEqual([...out.slice(8, 11)], RDBU[0]);               // bottom-left: red
  assert.equal(out[3], 255);
  // multi-class regions: sure -> the class colour, unsure -> the background
  const A = new Float64Array([1, 1 / 3, 0, 1 / 3, 0, 1 / 3]);    // K = 3 classes, 2 points (steps^2 = 2 is not square: use 1 x 1)
  const px = new Uint8ClampedArray(4);
  paintClasses(px, new Float64Array([1 / 3, 1 / 3, 1 / 3]), 3, 1, [255, 255, 255]);
  assert.deepEqual([...px.slice(0, 3)], [255, 255, 255]);
  paintClasses(px, new Float64Array([0, 0, 1]), 3, 1, [255, 255, 255]);
  assert.notDeepEqual([...px.slice(0, 3)], [255, 255, 255]);
  assert.ok(A.length === 6);
  const theme = themeColours(() => '');
  assert.equal(pointStyle('binary', 1, theme)[0], 'circle');
  assert.equal(pointStyle('binary', 0, theme)[0], 'x');
  assert.notEqual(pointStyle('multiclass', 1, theme)[1], pointStyle('multiclass', 2, theme)[1]);
});

test('features, targets and the grid follow explorer.core (row-major [N, B])', () => {
  assert.deepEqual(FEATURE_NAMES, ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sin1', 'sin2']);
  assert.deepEqual(canonicalFeatures(['sin2', 'x1', 'bogus']), ['x1', 'sin2']);
  const Phi = featureMatrix([2, -1], [3, 0.5], ['x1', 'x1x2', 'x2sq']);
  assert.deepEqual([...Phi], [2, -1, 9, 0.25, 6, -0.5]);   // canonical order: x1, x2sq, x1x2
  assert.deepEqual([...targetMatrix([2, 0], 'multiclass', 3)], [0, 1, 0, 0, 1, 0]);
  assert.deepEqual([...targetMatrix([1, 0], 'binary', 2)], [1, 0]);
  const g = gridPoints(6, 50);
  assert.equal(g.n, 2500);
  assert.ok(Math.abs(g.x1[0] + 5.88) < 1e-12 && Math.abs(g.x2[0] + 5.88) < 1e-12);   // pixel centres
  assert.ok(Math.abs(g.x1[49] - 5.88) < 1e-12 && Math.abs(g.x2[49 * 50] - 5.88) < 1e-12);
});

test('accuracy metrics: predicted labels, the confusion matrix and R²', () => {
  assert.deepEqual([...predictedLabels(new Float64Array([0.2, 0.7]), 1, 2, 'binary')], [0, 1]);
  assert.deepEqual([...predictedLabels(new Float64Array([0.1, 0.8, 0.9, 0.2]), 2, 2, 'multiclass')], [1, 0]);
  assert.deepEqual(confusion([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], 2), [[1, 1], [1, 2]]);
  assert.equal(r2([1, 2, 3], [1, 2, 3]), 1);
  assert.equal(r2([1, 2, 3], [2, 2, 2]), 0);
  assert.ok(Number.isNaN(r2([1, 1], [1, 1])));
  assert.ok(Number.isNaN(r2([1], [1])));
});

test('own points: add (clipped to the plane), find, remove', () => {
  const p = copyPoints({ x1: [0], x2: [0], t: [1] });
  addPoint(p, 9, -1, 0, 6);
  assert.deepEqual(p, { x1: [0, 6], x2: [0, -1], t: [1, 0] });
  assert.equal(nearestPoint(p, 5.9, -1.1, 0.5), 1);
  assert.equal(nearestPoint(p, 3, 3, 0.5), -1);
  removePoint(p, 0);
  assert.deepEqual(p, { x1: [6], x2: [-1], t: [0] });
});

test('early stopping: only after `patience` epochs without a better test loss', () => {
  const h = [[0, 1, 1.0], [1, 0.9, 0.8], [2, 0.8, 0.85], [3, 0.7, 0.9]];
  assert.equal(shouldStop(h, 0), false);
  assert.equal(shouldStop(h, 2), true);
  assert.equal(shouldStop(h, 3), false);
  assert.equal(shouldStop([[0, 1, NaN], [9, 1, NaN]], 2), false);   // no test set: never
});

test('the component module loads without a DOM and exports its entry point', async () => {
  const mod = await import('../../explorer/web/playground.js');
  assert.equal(typeof mod.default, 'function');
});
