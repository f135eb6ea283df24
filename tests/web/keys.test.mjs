// Pure logic of explorer/web/keys.js (lecture mode's keyboard). Run: node --test tests/web/keys.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../explorer/web/keys.js", import.meta.url), "utf8");
const keys = await import("data:text/javascript," + encodeURIComponent(source));

function el(tagName = "DIV", attrs = {}, parent = null, extra = {}) {
  return { tagName, parentElement: parent, isContentEditable: false,
           getAttribute: (name) => (name in attrs ? attrs[name] : null), ...extra };
}
function key(k, target = el(), mods = {}) {
  return { key: k, target, defaultPrevented: false, isComposing: false, altKey: false, ctrlKey: false,
           metaKey: false, shiftKey: false, ...mods };
}

test("arrow keys and a clicker's page keys move the slides", () => {
  assert.equal(keys.actionFor(key("ArrowRight")), "next");
  assert.equal(keys.actionFor(key("PageDown")), "next");
  assert.equal(keys.actionFor(key("ArrowLeft")), "prev");
  assert.equal(keys.actionFor(key("PageUp")), "prev");
});

test("other keys do nothing", () => {
  for (const k of ["a", "Enter", " ", "ArrowUp", "ArrowDown", "Home", "End", "Tab", "Escape"]) {
    assert.equal(keys.actionFor(key(k)), null, k);
  }
});

test("keys typed into inputs, text areas and selects stay there; a focused button does not hold them", () => {
  for (const tag of ["INPUT", "TEXTAREA", "SELECT"]) {
    assert.equal(keys.actionFor(key("ArrowRight", el(tag))), null, tag);
  }
  assert.equal(keys.actionFor(key("PageDown", el("BUTTON"))), "next");
  assert.equal(keys.actionFor(key("ArrowLeft", el("DIV", {}, null, { isContentEditable: true }))), null);
});

test("sliders, radio groups and tabs keep their arrow keys, also from a child element", () => {
  for (const role of ["slider", "radio", "radiogroup", "tab", "combobox", "spinbutton", "listbox", "gridcell"]) {
    const owner = el("DIV", { role });
    const child = el("SPAN", {}, el("DIV", {}, owner));
    assert.equal(keys.actionFor(key("ArrowRight", owner)), null, role);
    assert.equal(keys.actionFor(key("PageDown", child)), null, `${role} (child)`);
  }
  assert.equal(keys.actionFor(key("ArrowRight", el("DIV", { role: "region" }))), "next");
});

test("modifier keys, handled and composing events are left alone", () => {
  for (const mod of ["altKey", "ctrlKey", "metaKey", "shiftKey"]) {
    assert.equal(keys.actionFor(key("ArrowRight", el(), { [mod]: true })), null, mod);
  }
  assert.equal(keys.actionFor(key("ArrowRight", el(), { defaultPrevented: true })), null);
  assert.equal(keys.actionFor(key("ArrowRight", el(), { isComposing: true })), null);
  assert.equal(keys.actionFor(null), null);
});

test("the first element of the composed path counts (keys typed inside a shadow root)", () => {
  const input = el("INPUT");
  const host = el("DIV");
  const event = key("ArrowRight", host, { composedPath: () => [input, host] });
  assert.equal(keys.actionFor(event), null);
  const plain = key("ArrowRight", host, { composedPath: () => [el("P"), host] });
  assert.equal(keys.actionFor(plain), "next");
});

test("findLink picks the step bar's link, and none where the step has no neighbour", () => {
  const asked = [];
  const doc = { querySelector: (sel) => { asked.push(sel); return { sel }; } };
  assert.deepEqual(keys.findLink(doc, "next", { next: true }), { sel: ".st-key-lecture_next a" });
  assert.deepEqual(keys.findLink(doc, "prev", {}), { sel: ".st-key-lecture_prev a" });
  assert.equal(keys.findLink(doc, "next", { next: false }), null);
  assert.equal(keys.findLink(doc, null, {}), null);
  assert.deepEqual(asked, [".st-key-lecture_next a", ".st-key-lecture_prev a"]);
});
