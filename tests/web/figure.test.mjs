import test from 'node:test';
import assert from 'node:assert/strict';
import { themeColours, themed, sameFigure, plotConfig, isLegendBelow, legendMargin } from '../../explorer/web/figure.js';

const DARK = {
  '--st-text-color': ' #FAFAFA', '--st-background-color': '#0E1117', '--st-border-color-light': 'rgba(250, 250, 250, 0.1)',
  '--st-border-color': 'rgba(250, 250, 250, 0.2)', '--st-gray-color': '#A3A8B8', '--st-font': '"Source Sans", sans-serif',
};

test("the theme's colours are read from Streamlit's variables, trimmed", () => {
  const c = themeColours((name) => DARK[name]);
  assert.equal(c.text, '#FAFAFA');
  assert.equal(c.background, '#0E1117');
  assert.equal(c.grid, 'rgba(250, 250, 250, 0.1)');
  assert.equal(c.line, 'rgba(250, 250, 250, 0.2)');
  assert.equal(c.muted, '#A3A8B8');
});

test('a missing variable falls back to the light theme', () => {
  const c = themeColours(() => '');
  assert.equal(c.text, '#31333F');
  assert.equal(c.background, '#FFFFFF');
  const d = themeColours(() => undefined);
  assert.deepEqual(d, c);
});

test("the theme goes into the template: the figure's own colours still win", () => {
  const c = themeColours((name) => DARK[name]);
  const layout = {
    height: 300, font: { size: 14 }, xaxis: { gridcolor: '#123456' },
    template: { layout: { colorway: ['#0072B2', '#E69F00'], font: { size: 12 } } },
  };
  const out = themed(layout, c);
  assert.equal(out.height, 300);
  assert.deepEqual(out.font, { size: 14 });                      // the figure's layout is untouched
  assert.equal(out.xaxis.gridcolor, '#123456');
  const t = out.template.layout;
  assert.deepEqual(t.colorway, ['#0072B2', '#E69F00']);          // the Python template is kept
  assert.deepEqual(t.font, { size: 12, color: '#FAFAFA', family: '"Source Sans", sans-serif' });
  assert.equal(t.xaxis.gridcolor, 'rgba(250, 250, 250, 0.1)');
  assert.equal(t.yaxis.zerolinecolor, 'rgba(250, 250, 250, 0.2)');
  assert.equal(t.hoverlabel.bgcolor, '#0E1117');
  assert.equal(t.paper_bgcolor, 'rgba(0,0,0,0)');
  assert.equal(layout.template.layout.font.color, undefined);    // the input is not changed
});

test('a figure without layout or template is themed too', () => {
  const c = themeColours(() => '');
  assert.equal(themed(undefined, c).template.layout.font.color, '#31333F');
  assert.equal(themed({}, c).template.layout.legend.font.color, '#31333F');
});

test('a figure is drawn again only when its spec or the theme changed', () => {
  const light = themeColours(() => '');
  const dark = themeColours((name) => DARK[name]);
  assert.equal(sameFigure(null, '{}', light), false);
  const last = { spec: '{"data":[]}', colours: light };
  assert.equal(sameFigure(last, '{"data":[]}', { ...light }), true);
  assert.equal(sameFigure(last, '{"data":[1]}', light), false);
  assert.equal(sameFigure(last, '{"data":[]}', dark), false);
});

test("the page's options pass through; a screen that cannot hover gets no toolbar over the title", () => {
  const page = { displaylogo: false, toImageButtonOptions: { format: 'png', scale: 3 } };
  assert.deepEqual(plotConfig(page, true), { ...page, responsive: false });
  assert.deepEqual(plotConfig(page, false), { ...page, responsive: false, displayModeBar: false });
  assert.deepEqual(plotConfig(undefined, true), { responsive: false });
  assert.equal(page.displayModeBar, undefined);   // the page's own object is left as it was
});

test('a legend under the x axes is the one legend_below makes', () => {
  assert.equal(isLegendBelow({ legend: { orientation: 'h', yref: 'container', y: 0, yanchor: 'bottom' } }), true);
  assert.equal(isLegendBelow({ legend: { orientation: 'h', y: 1.02 } }), false);        // a legend on top
  assert.equal(isLegendBelow({ legend: { orientation: 'v', yref: 'container', y: 0 } }), false);
  assert.equal(isLegendBelow({}), false);
  assert.equal(isLegendBelow(undefined), false);
});

test("the bottom margin grows until the legend clears the axis' lowest text, and shrinks back to the figure's own", () => {
  // a phone: the legend took three rows and its top (300) is 20 px above the x title's bottom (320)
  assert.equal(legendMargin(80, 80, 300, 320), 106);               // 80 + 20 + the 6 px gap
  // already clear by exactly the gap: unchanged
  assert.equal(legendMargin(106, 80, 300, 294), 106);
  // a wider window: the legend is back to one row, far below the axis; not under the figure's own margin
  assert.equal(legendMargin(140, 80, 400, 300), 80);
  assert.equal(legendMargin(140, 80, 350, 300), 96);
  // never more than the cap (a tiny figure keeps some plot area)
  assert.equal(legendMargin(80, 80, 100, 400, 6, 150), 150);
});
