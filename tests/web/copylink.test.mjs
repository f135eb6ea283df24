import test from 'node:test';
import assert from 'node:assert/strict';
import { linkText } from '../../explorer/web/copylink.js';

test('the browser address is the link when it is a web address', () => {
  const href = 'https://class.example/pixels?px_top=12&present=true';
  assert.equal(linkText(href, 'https://server/built'), href);
  assert.equal(linkText('http://127.0.0.1:8501/mlp?mlp_N=1024', ''), 'http://127.0.0.1:8501/mlp?mlp_N=1024');
});

test('without a usable address the server-built link is shown', () => {
  assert.equal(linkText('about:blank', '?lr_w=1'), '?lr_w=1');
  assert.equal(linkText('file:///tmp/x.html', '?lr_w=1'), '?lr_w=1');
  assert.equal(linkText(undefined, '?lr_w=1'), '?lr_w=1');
  assert.equal(linkText('javascript:alert(1)', undefined), '');
});
