// figure.js: every plotly figure of the app, a Streamlit (components v2) component that stays mounted.
//
// Streamlit's own st.plotly_chart gives a chart a new element identity whenever its figure changes
// (the id hashes the spec), so each changed chart is unmounted, mounted and drawn from scratch, and
// laid out twice (once at its first width, once when the container is measured). This component is
// keyed by the figure's place on the page instead: one <div> per figure for the page's lifetime,
// redrawn with Plotly.react only when its figure or the theme changed, at the width it already has.
//
// Python (explorer/ui/figure.py) sends {spec: the figure's JSON text {data, layout}, config}.
// The figure's template (explorer/charts/style.py TEMPLATE) holds what does not depend on the theme
// (the colour-blind-safe colourway, colour scales); the colours that do (text, grid lines, hover
// boxes) come from Streamlit's theme variables here, so a theme switch restyles every figure.
// plotly.js is the copy shipped inside the installed plotly Python package (one version with the
// Python side), loaded once per page from the server; nothing comes from a CDN.
//
// While a figure is being drawn (plotly.js still loading, or Plotly.react running) its <div> has
// data-pending="true": the browser tests and benchmarks wait for no such figure.
//
// Pure parts (themeColours, themed, sameFigure) are tested under node: tests/web/figure.test.mjs.
import { liveMount } from './mount.js';

const PLOTLY_URL = '../explorer.plotlyjs/plotly.min.js';   // beside this component's own files
const DEFAULT_HEIGHT = 450;                                  // plotly.js's own default

// -- pure helpers ------------------------------------------------------------------------------
// The theme's colours from a style lookup (name -> CSS value), with light-theme fallbacks.
export function themeColours(lookup) {
  const get = (name, fallback) => {
    const v = (lookup(name) || '').trim();
    return v || fallback;
  };
  return {
    text: get('--st-text-color', '#31333F'),
    background: get('--st-background-color', '#FFFFFF'),
    grid: get('--st-border-color-light', 'rgba(49, 51, 63, 0.1)'),
    line: get('--st-border-color', 'rgba(49, 51, 63, 0.2)'),
    muted: get('--st-gray-color', '#808495'),
    font: get('--st-font', '"Source Sans", sans-serif'),
  };
}

function merge(base, extra) {
  const out = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
      ? merge(b, v) : v;
  }
  return out;
}

// The figure's layout with the theme's colours put into its template (so that a colour the figure
// sets itself still wins): text, axis lines and grids, legend, hover boxes, modebar.
export function themed(layout, colours) {
  const axis = { gridcolor: colours.grid, linecolor: colours.line, zerolinecolor: colours.line,
                 tickcolor: colours.line, color: colours.text };
  const themeLayout = {
    font: { color: colours.text, family: colours.font },
    title: { font: { color: colours.text } },
    xaxis: axis, yaxis: axis,
    legend: { font: { color: colours.text } },
    hoverlabel: { bgcolor: colours.background, bordercolor: colours.line, font: { color: colours.text } },
    modebar: { bgcolor: 'rgba(0,0,0,0)', color: colours.muted, activecolor: colours.text },
    paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
  };
  const template = (layout && layout.template) || {};
  return { ...(layout || {}), template: { ...template, layout: merge(template.layout || {}, themeLayout) } };
}

// Whether a figure need not be drawn again: the same spec text and the same theme.
export function sameFigure(last, spec, colours) {
  return !!last && last.spec === spec && JSON.stringify(last.colours) === JSON.stringify(colours);
}

// plotly.js's options for a figure. On a screen whose pointer cannot hover (a phone, a tablet) plotly.js
// shows its toolbar all the time, over the figure's title: there it is left out (dragging still zooms).
export function plotConfig(config, canHover) {
  return { ...(config || {}), responsive: false, ...(canHover ? {} : { displayModeBar: false }) };
}

// A legend under the x axes (explorer/charts/style.py legend_below: horizontal, at the bottom of the
// figure's container) takes as many rows as the figure's width needs, which the server cannot know: a
// phone has room for a third of a desktop's entries per row. After drawing, the bottom margin is set so
// that the legend's top clears the lowest x-axis text by ``gap`` px: never below the figure's own margin
// (``base``), never above ``max``.
export function isLegendBelow(layout) {
  const legend = (layout && layout.legend) || {};
  return legend.orientation === 'h' && legend.yref === 'container' && legend.y === 0;
}

export function legendMargin(current, base, legendTop, axisBottom, gap = 6, max = Infinity) {
  const wanted = current + (axisBottom + gap - legendTop);
  return Math.round(Math.min(max, Math.max(base, wanted)));
}

// -- the component ---------------------------------------------------------------------------------
let plotlyLoad = null;
function canHover() {
  return typeof matchMedia !== 'function' || matchMedia('(hover: hover)').matches;
}

function plotly() {
  if (!plotlyLoad) {
    plotlyLoad = import(new URL(PLOTLY_URL, import.meta.url).href).then(() => window.Plotly)
      .catch((e) => { plotlyLoad = null; throw e; });   // the next figure tries again
  }
  return plotlyLoad;
}

// Where a legend under the x axes must start: below the lowest x tick label, and below an x-axis
// title placed under the labels (plotly.js keeps a title above such a legend by moving it up onto the
// labels, so the title's own place is counted from the labels, not read from where it is drawn).
function legendTopNeeded(div) {
  let ticks = -Infinity;
  let title = 0;
  for (const t of div.querySelectorAll('.xaxislayer-above text, text[class]')) {
    const r = t.getBoundingClientRect();
    if (r.height <= 0) continue;
    if (t.closest('.xaxislayer-above')) ticks = Math.max(ticks, r.bottom);
    else if (/^x\d*title$/.test(t.getAttribute('class')) && t.textContent.trim()) title = Math.max(title, r.height);
  }
  return ticks === -Infinity ? null : ticks + (title ? TITLE_GAP + title : 0);
}

const TITLE_GAP = 8;   // px between the x tick labels and the x-axis title

// Returns the bottom margin the figure ends with.
async function clearLegend(div, Plotly, base) {
  const legend = div.querySelector('.legend');
  const full = div._fullLayout;
  if (!legend || !full) return null;
  const needed = legendTopNeeded(div);
  const current = full.margin.b;
  if (needed === null) return current;
  const margin = legendMargin(current, base, legend.getBoundingClientRect().top, needed, 6, 0.45 * full.height);
  if (Math.abs(margin - current) < 2) return current;
  await Plotly.relayout(div, { 'margin.b': margin });
  return margin;
}

const ERROR_CLASS = 'explorer-figure-error';
// A figure that cannot be drawn says so in its place (as text, never markup), instead of a blank box.
function showError(div, message) {
  let note = div.querySelector(`.${ERROR_CLASS}`);
  if (!note) {
    note = document.createElement('p');
    note.className = ERROR_CLASS;
    div.prepend(note);
  }
  note.textContent = message;
}

// A figure off screen is not redrawn when its data changes: it is marked data-deferred and drawn
// once it comes within DEFER_MARGIN of the window (so it is drawn before a student scrolling down
// sees it), or when window.explorerFigures.drawAll() is called (the browser tests do before they
// read a page). A click then costs the browser only the figures in view. A figure's first drawing
// is never deferred.
const DEFER_MARGIN = '400px 0px';
const instances = new Map();   // figure <div> -> its instance
let observer = null;
function visibility() {
  if (!observer && typeof IntersectionObserver === 'function') {
    observer = new IntersectionObserver((entries) => {
      for (const e of entries) instances.get(e.target)?.seen(e.isIntersecting);
    }, { rootMargin: DEFER_MARGIN });
  }
  return observer;
}
if (typeof window !== 'undefined') {
  window.explorerFigures = { drawAll: () => { for (const inst of instances.values()) inst.seen(false, true); } };
}

function createFigure(parentElement, forget) {
  const div = document.createElement('div');
  div.className = 'explorer-figure';
  parentElement.appendChild(div);
  let last = null;
  let drawing = Promise.resolve();
  let inView = true;      // until the observer says otherwise
  let waiting = null;     // the newest data of a deferred figure
  let resizeFrame = 0;
  let legendBase = null;  // the figure's own bottom margin, when its legend is under the x axes
  let legendFit = null;   // the margin that fitted its legend last time, and at which width: the next
                          // drawing at that width starts from it (no second drawing per change)
  const resize = new ResizeObserver(() => {
    if (!last || resizeFrame) return;
    resizeFrame = requestAnimationFrame(() => {
      resizeFrame = 0;
      if (!window.Plotly || !div.isConnected || !div._fullLayout) return;
      // in the drawing queue: a resize never interleaves with a redraw
      drawing = drawing.then(async () => {
        await window.Plotly.Plots.resize(div);
        if (legendBase !== null) legendFit = { width: div.clientWidth, margin: await clearLegend(div, window.Plotly, legendBase) };
      }).catch((e) => console.error('figure', e));
    });
  });
  resize.observe(div);

  const draw = async (data) => {
    const spec = data && typeof data.spec === 'string' ? data.spec : '{}';
    const colours = themeColours((name) => getComputedStyle(parentElement.host || div).getPropertyValue(name));
    if (sameFigure(last, spec, colours)) return;
    let fig;
    try { fig = JSON.parse(spec); } catch (e) { fig = {}; }
    const layout = themed(fig.layout, colours);
    div.style.height = `${layout.height || DEFAULT_HEIGHT}px`;
    last = { spec, colours };
    div.dataset.pending = 'true';   // until drawn: tests and benchmarks wait for no pending figure
    try {
      const Plotly = await plotly();
      div.querySelector(`.${ERROR_CLASS}`)?.remove();
      legendBase = isLegendBelow(layout) ? ((layout.margin && layout.margin.b) ?? 80) : null;
      if (legendBase !== null && legendFit && legendFit.margin !== null && legendFit.width === div.clientWidth) {
        layout.margin = { ...(layout.margin || {}), b: Math.max(legendBase, legendFit.margin) };
      }
      if (div.isConnected) await Plotly.react(div, fig.data || [], layout, plotConfig(data.config, canHover()));
      if (legendBase !== null && div.isConnected) {
        legendFit = { width: div.clientWidth, margin: await clearLegend(div, Plotly, legendBase) };
      }
    } catch (e) {
      last = null;   // drawn again with the next data
      showError(div, 'This figure could not be drawn here. Reloading the page usually brings it back.');
      throw e;
    } finally {
      delete div.dataset.pending;
    }
  };

  const schedule = (data) => {
    // one draw at a time, in order: a quick second change waits for the first to be drawn
    drawing = drawing.then(() => draw(data)).catch((e) => console.error('figure', e));
  };
  const inst = {
    div,
    update(data) {
      if (last && !inView) {
        waiting = data;
        div.dataset.deferred = 'true';
        return;
      }
      waiting = null;
      delete div.dataset.deferred;
      schedule(data);
    },
    // the observer's news (visible: within the margin of the window), or drawAll() (force)
    seen(visible, force = false) {
      if (!force) inView = visible;
      if ((inView || force) && waiting) {
        const data = waiting;
        waiting = null;
        delete div.dataset.deferred;
        schedule(data);
      }
    },
    release() {
      // Streamlit calls the cleanup before every new call with the same element: keep the figure,
      // drop it only once the element has left the page
      queueMicrotask(() => {
        if (!parentElement.isConnected) {
          resize.disconnect();
          if (observer) observer.unobserve(div);
          instances.delete(div);
          if (window.Plotly) window.Plotly.purge(div);
          forget();
        }
      });
    },
  };
  instances.set(div, inst);
  if (visibility()) observer.observe(div);
  return inst;
}

export default liveMount(createFigure);
