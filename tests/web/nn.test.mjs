// Unit tests of explorer/web/nn.js under Node's built-in runner: node --test tests/web/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTIVATIONS, Network, Trainer, erfc, formatG, headLoss, makeRng, permutation, shuffle, sigmoid, softplus,
} from '../../explorer/web/nn.js';

// Reference values made with scipy.special.erfc and explorer.core.activations (float64).
const ERFC = [[-30.0, 2.0], [-26.6, 2.0], [-10.0, 2.0], [-5.0, 1.9999999999984626], [-4.0, 1.999999984582742],
  [-3.9, 1.9999999652077514], [-1.5, 1.9661051464753108], [-0.5, 1.5204998778130465],
  [-0.46875, 1.4926134732179381], [-0.2, 1.2227025892104784], [-1e-20, 1.0], [0.0, 1.0], [1e-20, 1.0],
  [0.2, 0.7772974107895215], [0.46875, 0.507386526782062], [0.47, 0.5062549491139179], [1.0, 0.15729920705028516],
  [2.5, 0.00040695201744495886], [4.0, 1.541725790028002e-08], [4.01, 1.4196939421371057e-08],
  [6.0, 2.1519736712498913e-17], [10.0, 2.0884875837625446e-45], [26.0, 5.663192408856145e-296]];
const PTS = [-800.0, -3.0, -0.7, 0.0, 0.4, 2.0, 800.0];
const REF = {"sigmoid": {"params": {}, "f": [0.0, 0.04742587317756679, 0.33181222783183395, 0.5, 0.598687660112452, 0.8807970779778823, 1.0], "df": [0.0, 0.045176659730912144, 0.22171287329310907, 0.25, 0.24026074574152914, 0.10499358540350662, 0.0]}, "tanh": {"params": {}, "f": [-1.0, -0.9950547536867305, -0.6043677771171634, 0.0, 0.3799489622552249, 0.9640275800758169, 1.0], "df": [0.0, 0.009866037165440211, 0.6347395899824587, 1.0, 0.8556387860811777, 0.07065082485316443, 0.0]}, "relu": {"params": {}, "f": [0.0, 0.0, 0.0, 0.0, 0.4, 2.0, 800.0], "df": [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]}, "leaky_relu": {"params": {"slope": 0.2}, "f": [-160.0, -0.6000000000000001, -0.13999999999999999, 0.0, 0.4, 2.0, 800.0], "df": [0.2, 0.2, 0.2, 1.0, 1.0, 1.0, 1.0]}, "maxout": {"params": {"pieces": 3}, "f": [798.0, 1.0, -0.0, 0.0, 0.0, 0.0, 798.0], "df": [-1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 1.0]}, "elu": {"params": {"alpha": 1.5}, "f": [-1.5, -1.4253193974482041, -0.7551220443128857, 0.0, 0.4, 2.0, 800.0], "df": [0.0, 0.07468060255179591, 0.7448779556871143, 1.0, 1.0, 1.0, 1.0]}, "identity": {"params": {}, "f": [-800.0, -3.0, -0.7, 0.0, 0.4, 2.0, 800.0], "df": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]}, "gelu": {"params": {}, "f": [-0.0, -0.004049694094890288, -0.1693745565561511, 0.0, 0.2621686966441297, 1.9544997361036416, 800.0], "df": [0.0, -0.011945647204183927, 0.023385898866340155, 0.5, 0.8027297977316535, 1.085231801078197, 1.0]}, "silu": {"params": {}, "f": [-0.0, -0.14227761953270035, -0.23226855948228375, 0.0, 0.2394750640449808, 1.7615941559557646, 800.0], "df": [-0.0, -0.08810410601516963, 0.17661321652665762, 0.5, 0.6947919584090636, 1.0907842487848955, 1.0]}, "softplus": {"params": {}, "f": [0.0, 0.04858735157374206, 0.4031860488854579, 0.6931471805599453, 0.9130152523999526, 2.1269280110429727, 800.0], "df": [0.0, 0.04742587317756679, 0.33181222783183395, 0.5, 0.598687660112452, 0.8807970779778823, 1.0]}};

const close = (a, b, rel = 1e-14, abs = 1e-300) => Math.abs(a - b) <= abs + rel * Math.abs(b);
const assertClose = (a, b, rel, abs, what) => assert.ok(close(a, b, rel, abs), `${what}: ${a} vs ${b}`);

test('erfc agrees with scipy to about 1 ulp on every interval of Cody\'s approximation', () => {
  for (const [x, want] of ERFC) assertClose(erfc(x), want, 4e-16, 0, `erfc(${x})`);
  assert.equal(erfc(27), 0);
  assert.equal(erfc(-Infinity), 2);
  assert.ok(Number.isNaN(erfc(NaN)));
});

test('every activation and its derivative match explorer.core.activations', () => {
  assert.deepEqual(Object.keys(ACTIVATIONS), Object.keys(REF));
  for (const [name, ref] of Object.entries(REF)) {
    const a = ACTIVATIONS[name];
    PTS.forEach((x, i) => {
      assertClose(a.f(x, ref.params), ref.f[i], 1e-15, 1e-300, `${name}(${x})`);
      assertClose(a.df(x, ref.params), ref.df[i], 1e-15, 1e-300, `${name}'(${x})`);
    });
  }
});

test('derivatives agree with central finite differences away from the kinks', () => {
  const xs = [-4.3, -2.1, -0.9, -0.31, 0.27, 0.8, 1.7, 3.9];
  const params = { slope: 0.15, alpha: 0.7, pieces: 4 };
  for (const [name, a] of Object.entries(ACTIVATIONS)) {
    for (const x of xs) {
      const h = 1e-6;
      const fd = (a.f(x + h, params) - a.f(x - h, params)) / (2 * h);
      assertClose(a.df(x, params), fd, 1e-6, 1e-8, `${name}'(${x})`);
    }
  }
});

test('no activation overflows for huge inputs', () => {
  for (const [name, a] of Object.entries(ACTIVATIONS)) {
    for (const x of [-1e300, 1e300, -745.5, 710]) {
      assert.ok(Number.isFinite(a.f(x, {})), `${name}(${x}) = ${a.f(x, {})}`);
      assert.ok(Number.isFinite(a.df(x, {})), `${name}'(${x})`);
    }
  }
  assert.equal(sigmoid(-1e300), 0);
  assert.equal(softplus(-1e300), 0);
  assert.equal(softplus(1e300), 1e300);
});

test('the portable generator is mulberry32 and shuffles as explorer/core/shuffle.py', () => {
  const rng = makeRng(0);
  assert.deepEqual([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()], [1144304738, 1416247, 958946056]);
  assert.deepEqual(Array.from(permutation(makeRng(1), 5)), [4, 2, 1, 0, 3]);   // shuffle.py's doctest
  assert.equal(makeRng(2 ** 32 + 7).nextUint32(), makeRng(7).nextUint32());
  assert.equal(makeRng(-1).nextUint32(), makeRng(2 ** 32 - 1).nextUint32());
  const order = Array.from(permutation(makeRng(42), 1000));
  assert.deepEqual([...order].sort((p, q) => p - q), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(shuffle(makeRng(1), [0, 1, 2, 3, 4]), [4, 2, 1, 0, 3]);
  const r = makeRng(9);
  for (let k = 0; k < 1000; k++) { const v = r.below(7); assert.ok(Number.isInteger(v) && v >= 0 && v < 7); }
});

test('formatG writes numbers as Python\'s f"{x:g}"', () => {
  const cases = [[0.03, '0.03'], [1e-5, '1e-05'], [3, '3'], [1234567, '1.23457e+06'], [0.0001, '0.0001'],
    [10, '10'], [123456, '123456'], [0.5, '0.5'], [2.5e-7, '2.5e-07'], [NaN, 'nan'], [-0.25, '-0.25']];
  for (const [x, want] of cases) assert.equal(formatG(x), want);
});

// -- networks ------------------------------------------------------------------------------------
function randomNet(rng, nIn, widths, acts, extra = {}) {
  const u = () => (rng.nextUint32() / 4294967296 - 0.5) * 1.6;
  let prev = nIn;
  const layers = widths.map((w, l) => {
    const act = acts[l], k = act === 'maxout' ? (extra.pieces ?? 2) : 1;
    const L = { W: Array.from({ length: k * w }, () => Array.from({ length: prev }, u)),
      b: Array.from({ length: k * w }, u), activation: act, pieces: extra.pieces ?? 2,
      slope: extra.slope ?? 0.1, alpha: extra.alpha ?? 1.0 };
    prev = w;
    return L;
  });
  return Network.fromJSON({ n_in: nIn, layers });
}

function randomData(rng, nIn, K, B, head) {
  const X = new Float64Array(nIn * B), Y = new Float64Array(K * B);
  for (let j = 0; j < X.length; j++) X[j] = (rng.nextUint32() / 4294967296 - 0.5) * 4;
  for (let c = 0; c < B; c++) {
    if (head === 'binary') Y[c] = rng.below(2);
    else if (head === 'multiclass') Y[rng.below(K) * B + c] = 1;
    else for (let r = 0; r < K; r++) Y[r * B + c] = rng.nextUint32() / 4294967296 - 0.5;
  }
  return { X, Y };
}

function lossOf(net, X, Y, B, head) {
  const out = net.forward(X, B);
  return headLoss(out[out.length - 1].Z, Y, net.nOut, B, head);
}

test('backpropagation agrees with finite differences for every activation and head', () => {
  const rng = makeRng(11);
  const heads = { binary: ['sigmoid', 1], multiclass: ['softmax', 3], regression: ['identity', 2] };
  for (const name of Object.keys(ACTIVATIONS)) {
    for (const [head, [out, K]] of Object.entries(heads)) {
      const net = randomNet(rng, 3, [4, 3, K], [name, name, out], { pieces: 3, slope: 0.2, alpha: 0.8 });
      const B = 6, { X, Y } = randomData(rng, 3, K, B, head);
      const t = new Trainer(net, { X, Y, B, head, optimiser: 'sgd', lr: 0.1 });
      t._backprop(t.X, t.Y, B);
      net.layers.forEach((L, l) => {
        for (const [arr, grad] of [[L.W, t.grads[2 * l]], [L.b, t.grads[2 * l + 1]]]) {
          for (let j = 0; j < arr.length; j++) {
            const keep = arr[j], h = 1e-6;
            arr[j] = keep + h; const up = lossOf(net, X, Y, B, head);
            arr[j] = keep - h; const down = lossOf(net, X, Y, B, head);
            arr[j] = keep;
            assertClose(grad[j], (up - down) / (2 * h), 1e-5, 1e-8, `${name}/${head} layer ${l + 1} [${j}]`);
          }
        }
      });
    }
  }
});

test('forward pass: shapes, maxout picks the largest piece, softmax columns sum to 1', () => {
  const net = Network.fromJSON({ n_in: 1, layers: [
    { W: [[1], [-1], [0.5], [2]], b: [0, 0, 1, -1], activation: 'maxout', pieces: 2 },   // 2 units, 2 pieces
    { W: [[1, 0], [0, 1], [1, 1]], b: [0, 0, 0], activation: 'softmax' }] });
  const out = net.forward(new Float64Array([2, -3]), 2);
  assert.deepEqual(Array.from(out[0].Z), [2, -3, -2, 3, 2, -0.5, 3, -7]);
  assert.deepEqual(Array.from(out[0].a), [2, -0.5, 3, 3]);   // unit 1: max(x, 0.5x+1); unit 2: max(-x, 2x-1)
  const p = out[1].a;
  for (let c = 0; c < 2; c++) assertClose(p[c] + p[2 + c] + p[4 + c], 1, 1e-15, 0, 'column sum');
  assert.equal(net.nParams, 4 * 1 + 4 + 3 * 2 + 3);
  assert.deepEqual(Network.fromJSON(net.toJSON()).toJSON(), net.toJSON());
  assert.ok(Number.isFinite(headLoss(new Float64Array([1000, -1000, 0, 0]), new Float64Array([0, 1, 1, 0]), 2, 2, 'multiclass')));
});

test('fromJSON refuses malformed networks with a reason', () => {
  const good = { W: [[1, 2]], b: [0], activation: 'sigmoid' };
  assert.throws(() => Network.fromJSON({ n_in: 2, layers: [] }), /at least one layer/);
  assert.throws(() => Network.fromJSON({ n_in: 3, layers: [good] }), /W must be \[1, 3\]/);
  assert.throws(() => Network.fromJSON({ n_in: 2, layers: [{ ...good, activation: 'swish' }] }), /unknown activation/);
  assert.throws(() => Network.fromJSON({ n_in: 2, layers: [{ ...good, b: [0, 1] }] }), /b must have 1/);
  assert.throws(() => Network.fromJSON({ n_in: 2, layers: [{ ...good, activation: 'maxout', pieces: 2 }] }), /multiple of k/);
  assert.deepEqual(Array.from(Network.fromJSON({ n_in: 2, layers: [{ ...good, b: [[0.5]] }] }).layers[0].b), [0.5]);
  const net = Network.fromJSON({ n_in: 2, layers: [good] });
  assert.throws(() => new Trainer(net, { X: [1, 2], Y: [1], B: 1, head: 'regression' }), /needs a identity output/);
  assert.throws(() => new Trainer(net, { X: [1, 2, 3], Y: [1], B: 1, head: 'binary' }), /inputs X must be \[2, 1\]/);
  assert.throws(() => new Trainer(net, { X: [1, 2], Y: [1], B: 1, head: 'binary', lr: 0 }), /learning rate/);
  assert.throws(() => new Trainer(net, { X: [1, 2], Y: [1], B: 1, head: 'binary', optimiser: 'rmsprop' }), /optimiser/);
});

// -- optimisers on hand-checked cases: one weight w, x = 1, y = 0, regression: L = (w + b)^2 ------
function tiny(optimiser, lr, extra = {}) {
  const net = Network.fromJSON({ n_in: 1, layers: [{ W: [[2]], b: [1], activation: 'identity' }] });
  return new Trainer(net, { X: [1], Y: [0], B: 1, head: 'regression', optimiser, lr, ...extra });
}

test('SGD: w <- w - lr dL/dw, with L2 and L1 on the weight only', () => {
  const t = tiny('sgd', 0.1);   // dL/dw = dL/db = 2 (w + b) = 6
  assert.equal(t.trainSteps(1), 9);
  assertClose(t.net.layers[0].W[0], 2 - 0.6, 1e-15, 0, 'w');
  assertClose(t.net.layers[0].b[0], 1 - 0.6, 1e-15, 0, 'b');
  const r = tiny('sgd', 0.1, { l1: 0.5, l2: 0.25 });   // w gets 6 + 0.25*2 + 0.5*sign(2) = 7
  r.trainSteps(1);
  assertClose(r.net.layers[0].W[0], 2 - 0.7, 1e-15, 0, 'w with L1 + L2');
  assertClose(r.net.layers[0].b[0], 1 - 0.6, 1e-15, 0, 'b unregularised');
});

test('momentum accumulates v <- 0.9 v + g', () => {
  const t = tiny('momentum', 0.1);
  t.trainSteps(1);   // g = 6: w = 1.4, b = 0.4, m = 6
  t.trainSteps(1);   // g = 2 (1.4 + 0.4) = 3.6, m = 5.4 + 3.6 = 9: w = 1.4 - 0.9
  assertClose(t.net.layers[0].W[0], 0.5, 1e-14, 0, 'w');
  assertClose(t.net.layers[0].b[0], -0.5, 1e-13, 0, 'b');
});

test('Adam\'s first step moves every parameter by lr against the gradient\'s sign', () => {
  const t = tiny('adam', 0.1);
  t.trainSteps(1);
  assertClose(t.net.layers[0].W[0], 1.9, 1e-9, 0, 'w');
  assertClose(t.net.layers[0].b[0], 0.9, 1e-9, 0, 'b');
  t.retune({ lr: 0.2 });             // same kind: Adam's moments stay
  assert.equal(t._opt.t, 1);
  t.retune({ optimiser: 'sgd' });    // new kind: fresh state, lr kept
  assert.equal(t._opt.t, 0);
  assert.equal(t._opt.lr, 0.2);
});

test('an epoch uses every point once; the last batch holds the n mod B left over', () => {
  const n = 23, X = Float64Array.from({ length: n }, (_, i) => i);
  const net = Network.fromJSON({ n_in: 1, layers: [{ W: [[0]], b: [0], activation: 'identity' }] });
  const t = new Trainer(net, { X, Y: new Float64Array(n), B: n, head: 'regression', optimiser: 'sgd', lr: 1e-9, batchSize: 5, seed: 5 });
  assert.equal(t.stepsPerEpoch, 5);
  const seen = [], sizes = [];
  for (let s = 0; s < 5; s++) { const [Xb, , size] = t._nextBatch(); sizes.push(size); seen.push(...Xb.subarray(0, size)); }
  assert.deepEqual(sizes, [5, 5, 5, 5, 3]);
  assert.deepEqual(seen, Array.from(permutation(makeRng(5), n)));
  assert.equal(t.epoch, 1);
  assert.equal(t.cursor, 0);
  t.trainSteps(2);
  assert.equal(t.stepsToEpochs(1), 3);
  t.retune({ batchSize: 4 });        // mid-epoch: same order, same position
  assert.equal(t.stepsToEpochs(1), 4);
  t.trainEpochs(2);
  assert.deepEqual([t.steps, t.epoch, t.cursor], [2 + 4 + 6, 3, 0]);
  t.retune({ batchSize: null });     // full batch: one step per epoch
  t.trainSteps(2);
  assert.deepEqual([t.epoch, t.stepsPerEpoch], [5, 1]);
  assert.deepEqual(t.evaluate(), { step: 14, epoch: 5, train_loss: t.evaluate().train_loss });
});

test('a diverging run stops, says why, and does nothing more', () => {
  const rng = makeRng(3), n = 50;
  const net = randomNet(rng, 2, [8, 1], ['relu', 'identity']);
  const { X } = randomData(rng, 2, 1, n, 'regression');
  const Y = Float64Array.from({ length: n }, () => (rng.nextUint32() / 4294967296 - 0.5) * 400);
  for (let j = 0; j < X.length; j++) X[j] *= 10;
  const t = new Trainer(net, { X, Y, B: n, head: 'regression', optimiser: 'sgd', lr: 10 });
  t.trainSteps(200);
  assert.equal(t.status, 'diverged');
  assert.ok(t.steps < 200);
  assert.equal(t.message, `Training diverged at step ${t.steps}: the loss or the weights became nan/inf. `
    + 'The learning rate (10) is most likely too large for this network and data; lower it and reset.');
  const steps = t.steps;
  assert.ok(Number.isNaN(t.trainSteps(5)));
  assert.equal(t.steps, steps);
});

test('training learns: the circle with the default playground network', () => {
  const rng = makeRng(7), n = 200;
  const net = randomNet(rng, 2, [4, 2, 1], ['tanh', 'tanh', 'sigmoid']);
  const X = new Float64Array(2 * n), Y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    X[c] = (rng.nextUint32() / 4294967296 - 0.5) * 4; X[n + c] = (rng.nextUint32() / 4294967296 - 0.5) * 4;
    Y[c] = X[c] ** 2 + X[n + c] ** 2 < 1.3 ? 1 : 0;
  }
  const t = new Trainer(net, { X, Y, B: n, head: 'binary', optimiser: 'adam', lr: 0.03, batchSize: 10, seed: 1 });
  const before = t.evaluate();
  t.trainEpochs(200);
  const after = t.evaluate();
  assert.equal(t.status, 'running');
  assert.ok(after.train_loss < 0.3 * before.train_loss, `${before.train_loss} -> ${after.train_loss}`);
  assert.ok(after.train_accuracy > 0.95, `accuracy ${after.train_accuracy}`);
});
