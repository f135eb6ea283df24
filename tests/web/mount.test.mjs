// liveMount: one instance per element across reruns, the latest setStateValue, release as cleanup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveMount } from '../../explorer/web/mount.js';

class Counter {
  constructor(root, forget) { this.root = root; this.forget = forget; this.seen = []; Counter.made += 1; }
  update(data) { this.seen.push(data.id); }
}
Counter.made = 0;

test('a rerun with the same element updates the same instance; another element gets its own', () => {
  Counter.made = 0;
  const instances = [];
  const mount = liveMount((root, forget) => { const c = new Counter(root, forget); instances.push(c); return c; });
  const a = {}, b = {};
  const send1 = () => 1, send2 = () => 2;
  assert.equal(mount({ data: { id: 1 }, parentElement: a, setStateValue: send1 }), undefined);   // no release()
  mount({ data: { id: 2 }, parentElement: a, setStateValue: send2 });
  mount({ data: { id: 9 }, parentElement: b, setStateValue: send1 });
  assert.equal(Counter.made, 2);
  assert.deepEqual(instances[0].seen, [1, 2]);
  assert.equal(instances[0].setStateValue, send2);          // the current one, for reports
  assert.deepEqual(instances[1].seen, [9]);
  instances[0].forget();                                     // dropped: the next mount makes a new one
  mount({ data: { id: 3 }, parentElement: a, setStateValue: send2 });
  assert.equal(Counter.made, 3);
  assert.deepEqual(instances[2].seen, [3]);
});

test('an instance with release() gets it as the cleanup Streamlit calls', () => {
  let released = 0;
  const mount = liveMount(() => ({ update() {}, release() { released += 1; } }));
  const cleanup = mount({ data: {}, parentElement: {}, setStateValue: null });
  assert.equal(typeof cleanup, 'function');
  cleanup();
  assert.equal(released, 1);
});
