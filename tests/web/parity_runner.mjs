// Runs parity cases for tests/web/test_parity.py: JSON on stdin, JSON on stdout, one process for all.
//
// Input  {cases: [{net, X, Y, B, head, optimiser, lr, batchSize, l1, l2, seed, Xtest, Ytest, Btest,
//                  grid, Bgrid, ops: [{steps: n} | {epochs: e} | {retune: {...}} | {evaluate: true}]}]}
// Output {results: [{ops: [loss or evaluate() per op], net, steps, epoch, cursor, status, message,
//                    gridBefore, gridAfter}]}   (gridX: [{Z, a}] per layer, as plain arrays)
// NaN and infinities are written as the strings "nan", "inf", "-inf" (JSON has no such numbers).
import { Network, Trainer } from '../../explorer/web/nn.js';

const num = (x) => (Number.isFinite(x) ? x : Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf');
const arr = (a) => Array.from(a, num);
const grid = (net, X, B) => (X ? net.forward(Float64Array.from(X), B).map(({ Z, a }) => ({ Z: arr(Z), a: arr(a) })) : null);
const clean = (obj) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, typeof v === 'number' ? num(v) : v]));

function run(c) {
  const net = Network.fromJSON(c.net);
  const gridBefore = grid(net, c.grid, c.Bgrid);
  const t = new Trainer(net, {
    X: c.X, Y: c.Y, B: c.B, head: c.head, optimiser: c.optimiser, lr: c.lr, batchSize: c.batchSize,
    l1: c.l1, l2: c.l2, seed: c.seed, Xtest: c.Xtest, Ytest: c.Ytest, Btest: c.Btest,
  });
  const ops = c.ops.map((op) => {
    if (op.steps !== undefined) return num(t.trainSteps(op.steps));
    if (op.epochs !== undefined) return num(t.trainEpochs(op.epochs));
    if (op.retune) { t.retune(op.retune); return null; }
    return clean(t.evaluate());
  });
  const json = net.toJSON();
  json.layers.forEach((L) => { L.W = L.W.map(arr); L.b = arr(L.b); });
  return { ops, net: json, steps: t.steps, epoch: t.epoch, cursor: t.cursor, status: t.status,
    message: t.message, gridBefore, gridAfter: grid(net, c.grid, c.Bgrid) };
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const { cases } = JSON.parse(input);
  process.stdout.write(JSON.stringify({ results: cases.map(run) }));
});
