// node --test benchmarks/browser_latency.test.js
// The init script of benchmarks/browser_latency.py, run in a stand-in window: the websocket
// wrapper must count a run as finished exactly when a ForwardMsg carries script_finished
// (field 6) with a status other than 2 (cut short by a newer rerun), after an input.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

function load() {
  const listeners = {};
  class FakeWebSocket {
    constructor() { this.handlers = []; }
    addEventListener(type, fn) { if (type === 'message') this.handlers.push(fn); }
    receive(bytes) { for (const fn of this.handlers) fn({ data: new Uint8Array(bytes).buffer }); }
  }
  const window = {
    WebSocket: FakeWebSocket,
    addEventListener: (type, fn) => { listeners[type] = fn; },
  };
  const context = {
    window,
    document: { documentElement: {}, querySelector: () => null, querySelectorAll: () => [] },
    MutationObserver: class { observe() {} },
    performance: { now: () => 1000 },
  };
  vm.runInNewContext(fs.readFileSync(path.join(__dirname, 'browser_latency.js'), 'utf8'), context);
  return { bench: window.__bench, ws: new window.WebSocket('ws://x'), input: () => listeners.keydown() };
}

const HASH = [0x0a, 3, 97, 98, 99];                  // field 1, a 3-byte string
const METADATA = [0x12, 2, 0x08, 1];                 // field 2, a 2-byte message
const LONG_DELTA = [0x2a, 0xc8, 0x01, ...new Array(200).fill(7)];   // field 5, 200 bytes (2-byte length)
const finished = (status) => [0x30, status];         // field 6, varint

test('a finished run after an input is counted', () => {
  const { bench, ws, input } = load();
  bench.arm();
  input();
  ws.receive([...HASH, ...METADATA, ...LONG_DELTA]);
  assert.strictEqual(bench.finished, 0);
  ws.receive([...HASH, ...METADATA, ...finished(0)]);
  assert.strictEqual(bench.finished, 1);
  assert.strictEqual(bench.messages, 2);
});

test('a run cut short by a newer rerun is not the end', () => {
  const { bench, ws, input } = load();
  bench.arm();
  input();
  ws.receive([...HASH, ...finished(2)]);
  assert.strictEqual(bench.finished, 0);
  ws.receive([...HASH, ...finished(3)]);              // a fragment run done
  assert.strictEqual(bench.finished, 1);
});

test('nothing counts before the input, and a field 6 inside a nested message is skipped', () => {
  const { bench, ws, input } = load();
  bench.arm();
  ws.receive([...HASH, ...finished(0)]);
  assert.strictEqual(bench.finished, 0);
  input();
  ws.receive([0x12, 2, 0x30, 0x00]);                 // metadata containing bytes 0x30 0x00
  assert.strictEqual(bench.finished, 0);
});

test('a truncated message is ignored, not thrown', () => {
  const { bench, ws, input } = load();
  bench.arm();
  input();
  ws.receive([0x2a, 0xff]);
  assert.strictEqual(bench.finished, 0);
});
