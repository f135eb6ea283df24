// The layout probe's geometry and colour arithmetic (run: node --test tests/e2e/layout_probe.test.js).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const probe = require('./layout_probe.js');

const rect = (left, top, right, bottom) => probe.quadFromRect({ left, top, right, bottom });

function rotated(cx, cy, w, h, degrees) {
  const a = (degrees * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]
    .map(([x, y]) => [cx + x * c - y * s, cy + x * s + y * c]);
}

test('penetration of axis-aligned boxes is the smaller overlap', () => {
  assert.equal(probe.penetration(rect(0, 0, 10, 10), rect(7, 2, 20, 8)), 3);
  assert.equal(probe.penetration(rect(0, 0, 10, 10), rect(10, 0, 20, 10)), 0);   // touching
  assert.equal(probe.penetration(rect(0, 0, 10, 10), rect(30, 30, 40, 40)), 0);
});

test('rotated labels whose hulls overlap but whose boxes do not are apart', () => {
  // two 45-degree tick labels side by side: their axis-aligned hulls overlap widely
  const a = rotated(0, 0, 40, 6, 45);
  const b = rotated(12, 0, 40, 6, 45);
  const ha = probe.bounds(a);
  const hb = probe.bounds(b);
  assert.ok(ha.right > hb.left + 10, 'the hulls overlap');
  assert.equal(probe.penetration(a, b), 0);
  // moved onto each other they do overlap
  assert.ok(probe.penetration(a, rotated(2, 0, 40, 6, 45)) > 1);
});

test('findOverlaps reports pairs of different units beyond the tolerance, once', () => {
  const items = [
    { quad: rect(0, 0, 10, 10), unit: 1 },
    { quad: rect(9.5, 0, 20, 10), unit: 2 },     // 0.5 px: within tolerance
    { quad: rect(5, 5, 15, 15), unit: 3 },       // overlaps 1 and 2
    { quad: rect(5, 0, 15, 10), unit: 1 },       // same unit as the first: two lines of one text
  ];
  const found = probe.findOverlaps(items, 1).map((o) => [o.a.unit, o.b.unit].sort().join('-')).sort();
  assert.deepEqual(found, ['1-2', '1-3', '2-3']);
});

test('protrusion measures how far a text sticks out of its box', () => {
  const box = { left: 0, top: 0, right: 100, bottom: 50 };
  assert.equal(probe.protrusion(rect(10, 10, 20, 20), box), 0);
  assert.equal(probe.protrusion(rect(-4, 10, 20, 20), box), 4);
  assert.equal(probe.protrusion(rect(10, 45, 20, 57), box), 7);
});

test('colours parse, composite and contrast as WCAG defines', () => {
  assert.deepEqual(probe.parseColor('rgb(14, 17, 23)'), [14, 17, 23, 1]);
  assert.deepEqual(probe.parseColor('rgba(250, 250, 250, 0.6)'), [250, 250, 250, 0.6]);
  assert.deepEqual(probe.parseColor('#fff'), [255, 255, 255, 1]);
  assert.equal(probe.parseColor('none'), null);
  assert.equal(probe.parseColor('rgba(0, 0, 0, 0)')[3], 0);
  assert.ok(Math.abs(probe.contrast([0, 0, 0, 1], [255, 255, 255, 1]) - 21) < 1e-9);
  assert.equal(probe.contrast([40, 40, 40, 1], [40, 40, 40, 1]), 1);
  // half-transparent white over black is mid grey
  assert.deepEqual(probe.over([255, 255, 255, 0.5], [0, 0, 0, 1]), [127.5, 127.5, 127.5, 1]);
  // black text on Streamlit's dark background is invisible, its light text is not
  assert.ok(probe.contrast([0, 0, 0, 1], [14, 17, 23, 1]) < 1.5);
  assert.ok(probe.contrast([250, 250, 250, 1], [14, 17, 23, 1]) > 15);
});
