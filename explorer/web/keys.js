// Lecture mode's keyboard: arrow keys and Page Down / Page Up (what a presentation clicker sends)
// move to the next or previous step, by clicking the step bar's own Next / Previous link, so that
// Streamlit navigates exactly as for a click. Keys typed into inputs, sliders, tabs and the like
// keep their usual meaning. Mounted by explorer/ui/lecture_bar.py as a Streamlit component (v2).

export const NEXT_KEYS = ["ArrowRight", "PageDown"];
export const PREV_KEYS = ["ArrowLeft", "PageUp"];

// Elements whose own keyboard use must win: typing, sliders, radio groups, tabs, menus, grids. (A focused
// button does not count: after pressing "Check" the clicker must still move the slides.)
const TYPING_TAGS = ["INPUT", "TEXTAREA", "SELECT", "OPTION"];
const KEYED_ROLES = ["textbox", "searchbox", "combobox", "spinbutton", "slider", "listbox", "option",
  "radio", "radiogroup", "tab", "tablist", "menu", "menuitem", "grid", "gridcell", "tree", "treeitem"];

// Selectors of the step bar's links (Streamlit puts a container's key in its class: st-key-<key>).
export const LINKS = { next: ".st-key-lecture_next a", prev: ".st-key-lecture_prev a" };

/** True when the key went to something that uses keys itself (walks up from the target). */
export function isKeyedTarget(target) {
  for (let el = target, depth = 0; el && depth < 12; el = el.parentElement, depth += 1) {
    if (TYPING_TAGS.includes(el.tagName)) return true;
    if (el.isContentEditable) return true;
    const role = el.getAttribute ? el.getAttribute("role") : null;
    if (role && KEYED_ROLES.includes(role)) return true;
  }
  return false;
}

/** "next", "prev" or null for a keydown event. */
export function actionFor(event) {
  if (!event || event.defaultPrevented || event.isComposing) return null;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const target = event.composedPath ? (event.composedPath()[0] || event.target) : event.target;
  if (isKeyedTarget(target)) return null;
  if (NEXT_KEYS.includes(event.key)) return "next";
  if (PREV_KEYS.includes(event.key)) return "prev";
  return null;
}

/** The link to click for ``action`` in ``doc`` (null when there is none, as on the last step). */
export function findLink(doc, action, allowed) {
  if (!action || (allowed && allowed[action] === false)) return null;
  return doc.querySelector(LINKS[action]);
}

export default function (component) {
  const { data } = component;
  const doc = globalThis.document;
  if (!doc) return undefined;
  // One listener per page: a re-mount replaces the previous one.
  if (globalThis.__lectureKeys) doc.removeEventListener("keydown", globalThis.__lectureKeys);
  const onKey = (event) => {
    const link = findLink(doc, actionFor(event), data || {});
    if (!link) return;
    event.preventDefault();
    link.click();
  };
  globalThis.__lectureKeys = onKey;
  doc.addEventListener("keydown", onKey);
  return () => {
    doc.removeEventListener("keydown", onKey);
    if (globalThis.__lectureKeys === onKey) globalThis.__lectureKeys = null;
  };
}
