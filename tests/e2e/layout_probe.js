/* Layout probe: measures, in the live page, the box of every text a student can see and reports
 * what a student would call broken: two texts on top of each other, a text cut off by its figure
 * (or by a clipping container), text too faint for its background, figures and components whose
 * background is a bright box on a dark page.
 *
 * Loaded into the page by tests/e2e/test_layout_quality.py, which then calls
 * window.__layoutProbe.scan(). The geometry and colour arithmetic is pure and exported for
 * Node (tests/e2e/layout_probe.test.js, run with `node --test`).
 */
(function (root) {
  'use strict';

  // ---- pure geometry ------------------------------------------------------------------------
  // A quad is four [x, y] corners in order (a convex polygon), in CSS pixels of the viewport.
  function quadFromRect(r) {
    return [[r.left, r.top], [r.right, r.top], [r.right, r.bottom], [r.left, r.bottom]];
  }

  function bounds(q) {
    const xs = q.map((p) => p[0]);
    const ys = q.map((p) => p[1]);
    return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
  }

  function project(q, nx, ny) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of q) {
      const d = p[0] * nx + p[1] * ny;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    return [lo, hi];
  }

  /* How far two convex quads interpenetrate (separating-axis theorem): the smallest overlap of
   * their projections on the edge normals of both, 0 when they are apart or only touch. Rotated
   * tick labels are compared as the rotated boxes they are, not as their axis-aligned hulls. */
  function penetration(a, b) {
    let min = Infinity;
    for (const poly of [a, b]) {
      for (let i = 0; i < poly.length; i++) {
        const p = poly[i];
        const q = poly[(i + 1) % poly.length];
        let nx = q[1] - p[1];
        let ny = p[0] - q[0];
        const len = Math.hypot(nx, ny);
        if (len < 1e-9) continue;
        nx /= len;
        ny /= len;
        const pa = project(a, nx, ny);
        const pb = project(b, nx, ny);
        const o = Math.min(pa[1], pb[1]) - Math.max(pa[0], pb[0]);
        if (o <= 0) return 0;
        if (o < min) min = o;
      }
    }
    return min === Infinity ? 0 : min;
  }

  /* How far (px) quad q sticks out of the rectangle box, the largest of its four sides; 0 inside. */
  function protrusion(q, box) {
    const b = bounds(q);
    return Math.max(0, box.left - b.left, b.right - box.right, box.top - b.top, b.bottom - box.bottom);
  }

  /* Every pair of items ({quad, unit, ...}) from different units that interpenetrate by more
   * than tol px. A sweep over the left edges keeps it near-linear for a page of text. */
  function findOverlaps(items, tol) {
    const sorted = items.map((it) => ({ it, b: bounds(it.quad) })).sort((p, q) => p.b.left - q.b.left);
    const found = [];
    const seen = new Set();
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i];
      for (let j = i + 1; j < sorted.length; j++) {
        const c = sorted[j];
        if (c.b.left >= a.b.right - tol) break;
        if (a.it.unit === c.it.unit) continue;
        if (c.b.top >= a.b.bottom - tol || a.b.top >= c.b.bottom - tol) continue;
        const depth = penetration(a.it.quad, c.it.quad);
        if (depth > tol) {
          const key = a.it.unit < c.it.unit ? `${a.it.unit}|${c.it.unit}` : `${c.it.unit}|${a.it.unit}`;
          if (seen.has(key)) continue;
          seen.add(key);
          found.push({ a: a.it, b: c.it, depth });
        }
      }
    }
    return found;
  }

  // ---- pure colour --------------------------------------------------------------------------
  /* "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" / "#abc" / "#aabbcc" -> [r, g, b, a] (0..255, alpha 0..1);
   * null for "none", "transparent" or anything unreadable. */
  function parseColor(s) {
    if (!s) return null;
    s = String(s).trim().toLowerCase();
    if (s === 'none' || s === 'transparent') return null;
    let m = s.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/);
    if (m) {
      let a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
      return [parseFloat(m[1]), parseFloat(m[2]), parseFloat(m[3]), a];
    }
    m = s.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/);
    if (m) {
      const h = m[1].length === 3 ? m[1].split('').map((c) => c + c).join('') : m[1];
      return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 1];
    }
    return null;
  }

  /* Colour c (with alpha) painted over the opaque colour under. */
  function over(c, under) {
    const a = c[3];
    return [0, 1, 2].map((i) => c[i] * a + under[i] * (1 - a)).concat([1]);
  }

  /* WCAG relative luminance of an opaque colour, 0 (black) .. 1 (white). */
  function luminance(c) {
    const lin = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  }

  /* WCAG contrast ratio of two opaque colours, 1 .. 21. */
  function contrast(c1, c2) {
    const l1 = luminance(c1);
    const l2 = luminance(c2);
    return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  }

  // ---- the DOM ------------------------------------------------------------------------------
  const MAIN = '[data-testid="stMain"]';
  const FIGURE = '.explorer-figure';   // explorer/web/figure.js
  // Custom components and pictures: judged as boxes in the dark theme.
  const COMPONENTS = [
    [FIGURE, 'figure'],
    ['[data-testid="stImage"]', 'image'],
    ['[data-testid="stHtml"]', 'html block'],
    ['[data-testid="stCustomComponentV1"]', 'component'],
    ['[data-testid="stBidiComponent"]', 'component'],
    [`${MAIN} canvas`, 'canvas'],
    [`${MAIN} iframe`, 'iframe'],
  ];
  // What a plotly text is, by the class of its nearest classified ancestor (first rule that matches;
  // axes beyond the first are x2, y3, ...).
  const ROLES = [
    [/^g-gtitle$|^gtitle$/, 'title'], [/^(g-)?x\d*title$/, 'x-axis title'], [/^(g-)?y\d*title$/, 'y-axis title'],
    [/^cbtitle$/, 'colourbar title'], [/^(cbaxis|colorbar)$/, 'colourbar tick'],
    [/^legendtitletext$/, 'legend title'], [/^legend$/, 'legend'], [/^annotation(-text)?$/, 'annotation'],
    [/^x\d*tick$/, 'x tick label'], [/^y\d*tick$/, 'y tick label'], [/^(textpoint|bartext)$/, 'data label'],
    [/^updatemenu-container$/, 'menu'], [/^slider-container$/, 'plot slider'],
  ];

  const CHROME = new Set(['title', 'x-axis title', 'y-axis title', 'colourbar title', 'colourbar tick',
    'legend title', 'legend', 'x tick label', 'y tick label']);

  function visible(el) {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true, opacityProperty: true,
      visibilityProperty: true })) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (parseFloat(cs.opacity) === 0 || parseFloat(cs.fillOpacity) === 0 && e === el) return false;
      if (e.matches(FIGURE) || e.matches(MAIN)) break;
    }
    return true;
  }

  function shortText(s) {
    s = String(s).replace(/\s+/g, ' ').trim();
    return s.length > 60 ? s.slice(0, 57) + '…' : s;
  }

  function svgTextQuad(el) {
    let bb;
    try { bb = el.getBBox(); } catch (e) { return null; }
    const m = el.getScreenCTM();
    if (!m || bb.width < 0.5 || bb.height < 0.5) return null;
    const pts = [[bb.x, bb.y], [bb.x + bb.width, bb.y], [bb.x + bb.width, bb.y + bb.height], [bb.x, bb.y + bb.height]];
    return pts.map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  }

  function roleOf(el) {
    for (let e = el; e && !(e instanceof SVGSVGElement); e = e.parentElement) {
      const classes = (e.getAttribute('class') || '').split(/\s+/);
      for (const [re, name] of ROLES) if (classes.some((c) => re.test(c))) return name;
    }
    return 'text';
  }

  function pageBackground() {
    const app = document.querySelector('[data-testid="stApp"]') || document.body;
    return over(parseColor(getComputedStyle(app).backgroundColor) || [255, 255, 255, 1], [255, 255, 255, 1]);
  }

  /* The opaque colour behind element el: its ancestors' backgrounds composited over the page's. */
  function backgroundOf(el, page, textBox) {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (textBox && protrusion(quadFromRect(textBox), e.getBoundingClientRect()) > 1) continue;   // not behind it
      const c = parseColor(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
      if (e.matches('[data-testid="stApp"]')) break;
    }
    let bg = page;
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }

  function textColour(el, isSvg) {
    const cs = getComputedStyle(el);
    const c = parseColor(isSvg ? cs.fill : cs.color);
    if (!c) return null;
    let a = c[3] * (isSvg ? parseFloat(cs.fillOpacity || '1') : 1);
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      a *= parseFloat(getComputedStyle(e).opacity || '1');
      if (e.matches(MAIN)) break;
    }
    return [c[0], c[1], c[2], a];
  }

  function figureName(fig, index) {
    const t = fig.querySelector('.g-gtitle text, .gtitle');
    return t && t.textContent.trim() ? `figure ${index + 1} '${shortText(t.textContent)}'` : `figure ${index + 1}`;
  }

  /* The rectangle a clipping ancestor leaves visible around el ({left, top, right, bottom}) and
   * whether the clip hides content for good (overflow hidden/clip, not a scroll box). */
  function clipOf(el, stop) {
    const box = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
    // only the axes an ancestor cuts for good (hidden / clip): a scroll box hides nothing for good
    const hardBox = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
    let hard = null;
    const cuts = (o) => o === 'hidden' || o === 'clip';
    for (let e = el; e && e !== stop && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      const ox = cs.overflowX;
      const oy = cs.overflowY;
      if (ox === 'visible' && oy === 'visible') continue;
      const r = e.getBoundingClientRect();
      if (ox !== 'visible') { box.left = Math.max(box.left, r.left); box.right = Math.min(box.right, r.right); }
      if (oy !== 'visible') { box.top = Math.max(box.top, r.top); box.bottom = Math.min(box.bottom, r.bottom); }
      if (cuts(ox)) { hardBox.left = Math.max(hardBox.left, r.left); hardBox.right = Math.min(hardBox.right, r.right); }
      if (cuts(oy)) { hardBox.top = Math.max(hardBox.top, r.top); hardBox.bottom = Math.min(hardBox.bottom, r.bottom); }
      if (!hard && (cuts(ox) || cuts(oy))) hard = e;
    }
    return { box, hard, hardBox };
  }

  function clipRect(r, box) {
    return { left: Math.max(r.left, box.left), top: Math.max(r.top, box.top),
      right: Math.min(r.right, box.right), bottom: Math.min(r.bottom, box.bottom) };
  }

  /* Everything the probe measures; options: {tol: px, contrast: minimum ratio or 0 to skip}. */
  function scan(options) {
    const tol = (options && options.tol) || 1;
    const minContrast = (options && options.contrast) || 0;
    const main = document.querySelector(MAIN);
    const page = pageBackground();
    const problems = [];
    const pageItems = [];
    let unitId = 0;
    let figureCount = 0;
    let textCount = 0;

    const checkContrast = (el, isSvg, where, text, bgEl, textBox) => {
      if (!minContrast) return;
      const c = textColour(el, isSvg);
      if (!c) return;
      const bg = backgroundOf(bgEl || el, page, textBox);
      const ratio = contrast(over(c, bg), bg);
      if (ratio < minContrast) {
        problems.push({ kind: 'faint', where, text: `${where}: '${shortText(text)}' has contrast ` +
          `${ratio.toFixed(2)} against its background (needs ${minContrast})` });
      }
    };

    // -- plotly figures: every text against every other text of the same figure, and its box
    const figures = main ? [...main.querySelectorAll(FIGURE)] : [];
    figures.forEach((fig, index) => {
      const svg = fig.querySelector('.main-svg');
      if (!svg || !visible(fig)) return;
      figureCount += 1;
      const name = figureName(fig, index);
      const box = svg.getBoundingClientRect();
      const items = [];
      for (const el of fig.querySelectorAll('.main-svg text')) {
        if (el.closest('.hoverlayer')) continue;
        const text = el.textContent.trim();
        if (!text || !visible(el)) continue;
        const quad = svgTextQuad(el);
        if (!quad) continue;
        textCount += 1;
        const role = roleOf(el);
        const item = { quad, unit: ++unitId, label: `${role} '${shortText(text)}'`, where: name };
        items.push(item);
        const out = protrusion(quad, box);
        if (out > tol) {
          problems.push({ kind: 'clipped', where: name, text: `${name}: ${item.label} is cut off by the ` +
            `figure's edge (${out.toFixed(1)} px outside)` });
        }
        // text over data (heatmap cells, bars, annotations on a plot) has the data behind it:
        // only the figure's own frame is judged against the page
        if (CHROME.has(role)) checkContrast(el, true, name, `${role} '${text}'`, fig);
      }
      for (const o of findOverlaps(items, tol)) {
        problems.push({ kind: 'overlap', where: name, text: `${name}: ${o.a.label} overlaps ${o.b.label} ` +
          `by ${o.depth.toFixed(1)} px` });
      }
      // the figure's box, against the page's text (a caption drawn over a chart)
      pageItems.push({ quad: quadFromRect(box), unit: ++unitId, label: `the box of ${name}`, figure: true });
    });

    // -- the page's own text (HTML, KaTeX as whole formulas, SVG text of custom diagrams)
    if (main) {
      const units = new Map();
      const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || !node.textContent.trim()) continue;
        if (parent.closest(`${FIGURE}, script, style, noscript, title, [data-testid="stTooltipContent"]`)) continue;
        if (/Material (Symbols|Icons)/.test(getComputedStyle(parent).fontFamily)) continue;   // an icon, not text
        let owner = parent.closest('.katex-display, .katex') || parent.closest('svg text') || node;
        if (units.has(owner)) continue;
        const el = owner.nodeType === 1 ? owner : parent;
        if (!visible(el)) { units.set(owner, null); continue; }
        let quads = [];
        if (owner.nodeType === 1 && owner.matches('svg text')) {
          const q = svgTextQuad(owner);
          if (q) quads.push(q);
        } else {
          const range = document.createRange();
          range.selectNodeContents(owner);
          const target = owner.nodeType === 1 && owner.matches('.katex, .katex-display')
            ? [owner.getBoundingClientRect()] : [...range.getClientRects()];
          quads = target.filter((r) => r.width >= 0.5 && r.height >= 0.5).map((r) => r);
        }
        if (!quads.length) { units.set(owner, null); continue; }
        const text = owner.textContent;
        const { box, hard, hardBox } = clipOf(el, main.parentElement);
        const unit = ++unitId;
        const label = `'${shortText(text)}'`;
        units.set(owner, unit);
        textCount += 1;
        for (const q of quads) {
          const quad = Array.isArray(q) ? q : quadFromRect(clipRect(q, box));
          if (!Array.isArray(q)) {
            const c = clipRect(q, box);
            if (c.right - c.left < 0.5 || c.bottom - c.top < 0.5) continue;   // hidden by its box
          }
          pageItems.push({ quad, unit, label });
          if (hard && !Array.isArray(q)) {
            const out = protrusion(quadFromRect(q), hardBox);
            if (out > tol) {
              const what = hard.getAttribute('data-testid') || hard.tagName.toLowerCase();
              problems.push({ kind: 'clipped', where: 'page', text: `page text ${label} is cut off by its ` +
                `container (${what}, ${out.toFixed(1)} px hidden)` });
              break;
            }
          }
        }
        const first = quads[0];
        checkContrast(el, el.matches('svg text'), 'page', text, null, Array.isArray(first) ? bounds(first) : first);
      }
      for (const o of findOverlaps(pageItems, tol)) {
        if (o.a.figure && o.b.figure) {
          problems.push({ kind: 'overlap', where: 'page', text: `${o.a.label} overlaps ${o.b.label} by ` +
            `${o.depth.toFixed(1)} px` });
          continue;
        }
        problems.push({ kind: 'overlap', where: 'page', text: `page text ${o.a.label} overlaps ` +
          `${o.b.label} by ${o.depth.toFixed(1)} px` });
      }
    }
    return { problems, figures: figureCount, texts: textCount, background: page.slice(0, 3) };
  }

  /* Boxes (page coordinates, px) of every visible figure and custom component in the main area,
   * for the dark-theme test to sample its screenshot. */
  function components() {
    const main = document.querySelector(MAIN);
    if (!main) return [];
    const out = [];
    const seen = new Set();
    for (const [sel, kind] of COMPONENTS) {
      document.querySelectorAll(sel).forEach((el, i) => {
        if (!main.contains(el) || seen.has(el) || !visible(el)) return;
        seen.add(el);
        const r = el.getBoundingClientRect();
        if (r.width < 24 || r.height < 24) return;   // st.html that only carries a <style>
        const name = kind === 'figure' ? figureName(el, [...main.querySelectorAll(FIGURE)].indexOf(el)) : `${kind} ${i + 1}`;
        out.push({ kind, name, left: r.left, top: r.top, width: r.width, height: r.height });
      });
    }
    return out;
  }

  /* How wide the page is against the window: horizontal scrolling on a phone. */
  function widths() {
    const main = document.querySelector(MAIN);
    const wide = [];
    if (main) {
      for (const el of main.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && r.width > 0 && visible(el)) {
          const id = el.getAttribute('data-testid') || el.tagName.toLowerCase();
          wide.push(`${id} '${shortText(el.textContent || '')}' reaches ${Math.round(r.right)} px`);
          if (wide.length >= 5) break;
        }
      }
    }
    return { inner: window.innerWidth, document: document.scrollingElement.scrollWidth,
      main: main ? main.scrollWidth : 0, wide };
  }

  const api = { quadFromRect, bounds, penetration, protrusion, findOverlaps, parseColor, over, luminance,
    contrast, scan, components, widths };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.__layoutProbe = api;
})(typeof window !== 'undefined' ? window : globalThis);
