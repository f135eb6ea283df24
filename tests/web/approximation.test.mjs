// Unit tests of explorer/web/approximation.js's pure parts (the drawing itself is tested in the
// browser: tests/e2e/test_approximation_live.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contributions, fmtE, fmtInt, gridMse, linspace, logTicks, niceTicks, paddedRange, powerLabel, thin } from '../../explorer/web/approximation.js';
import { Network } from '../../explorer/web/nn.js';

test('numbers are written as Python writes them on the page', () => {
  assert.equal(fmtE(0.000123), '1.2e-04');
  assert.equal(fmtE(0.94), '9.4e-01');
  assert.equal(fmtE(12345), '1.2e+04');
  assert.equal(fmtE(NaN), 'nan');
  assert.equal(fmtInt(1234567), '1,234,567');
  assert.equal(fmtInt(0), '0');
});

test('axis ticks: round linear values and readable powers of ten', () => {
  assert.deepEqual(niceTicks(-3, 3, 6), [-3, -2, -1, 0, 1, 2, 3]);
  assert.deepEqual(niceTicks(0, 2150, 5), [0, 500, 1000, 1500, 2000]);
  assert.deepEqual(niceTicks(-1.44, 1.44, 4), [-1, 0, 1]);
  assert.deepEqual(logTicks(2e-5, 0.9), [-5, -4, -3, -2, -1, 0]);
  assert.deepEqual(logTicks(1e-12, 1), [-12, -10, -8, -6, -4, -2, 0]);   // every second one when many
  assert.deepEqual([0, 1, -3, -12].map(powerLabel), ['1', '10', '10⁻³', '10⁻¹²']);
  assert.deepEqual(paddedRange(-1, 1), [-1.4, 1.4]);
});

test('the units plus b2 are the network\'s output, and the grid error is the mean square', () => {
  const net = Network.fromJSON({ n_in: 1, layers: [
    { W: [[2], [-1], [0.5]], b: [0.1, 0.2, -0.3], activation: 'tanh' },
    { W: [[0.7, -0.4, 1.5]], b: [0.25], activation: 'identity' }] });
  const u = Float64Array.from({ length: 9 }, (_, i) => -1 + i / 4);
  const { C, yHat, b2, width } = contributions(net, u, u.length);
  assert.equal(width, 3);
  assert.equal(b2, 0.25);
  for (let c = 0; c < u.length; c++) {
    const sum = C[c] + C[9 + c] + C[18 + c] + b2;
    assert.ok(Math.abs(sum - yHat[c]) < 1e-15);
    assert.ok(Math.abs(C[c] - 0.7 * Math.tanh(2 * u[c] + 0.1)) < 1e-15);
  }
  const target = Float64Array.from(yHat, (v) => v + 0.5);
  assert.ok(Math.abs(gridMse(net, u, target) - 0.25) < 1e-15);
});

test('maxout units contribute their largest piece', () => {
  const net = Network.fromJSON({ n_in: 1, layers: [
    { W: [[1], [-1]], b: [0, 0], activation: 'maxout', pieces: 2 },   // one unit: |u|
    { W: [[2]], b: [0], activation: 'identity' }] });
  const { C } = contributions(net, Float64Array.from([-0.5, 0.25]), 2);
  assert.deepEqual(Array.from(C), [1, 0.5]);
});

test('the error history is thinned from the old end and keeps the newest points', () => {
  const h = Array.from({ length: 1300 }, (_, i) => ({ step: i }));
  const t = thin(h, 1200);
  assert.ok(t.length < 1200 && t.length > 900);
  assert.equal(t[t.length - 1].step, 1299);
  assert.equal(t[0].step, 0);
  assert.deepEqual(t.slice(-650).map((p) => p.step), h.slice(-650).map((p) => p.step));
});

test('the grids are numpy\'s linspace(-3, 3, n) to the last bit', () => {
  // np.linspace(-3, 3, n)[[1, 7, n // 3, n - 2]], printed by Python
  const want = { 200: [-2.969849246231156, -2.7889447236180906, -1.0100502512562815, 2.9698492462311554],
    301: [-2.98, -2.86, -1.0, 2.9800000000000004], 1001: [-2.994, -2.958, -1.002, 2.9939999999999998] };
  for (const [n, values] of Object.entries(want)) {
    const g = linspace(-3, 3, Number(n));
    assert.deepEqual([1, 7, Math.floor(n / 3), n - 2].map((i) => g[i]), values);
    assert.equal(g[0], -3);
    assert.equal(g[n - 1], 3);
  }
});
