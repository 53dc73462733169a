// The live QA page: one Server-Sent Events stream (/api/events) pushes a snapshot of every model version
// (cumulative figures, tumbling windows, ROC curve) and the newest slides whenever something changes.
// Charts are plain SVG drawn here: no chart library, nothing to download.
'use strict';

const COLORS = ['#3366cc', '#dc3912', '#109618', '#ff9900', '#990099', '#0099c6'];
const state = { snapshot: null, selected: null, sort: { key: 'updatedAt', dir: -1 }, updates: 0 };
window.qa = state; // for the browser test and for curious people in the console

const fmt4 = v => (v === null || v === undefined ? '–' : v.toFixed(4));
const fmt2 = v => (v === null || v === undefined ? '–' : v.toFixed(2));
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
};
const svgEl = (tag, attrs = {}, text) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
};

function connect() {
  const status = document.getElementById('connection');
  const source = new EventSource('api/events');
  source.addEventListener('open', () => { status.dataset.state = 'live'; status.textContent = 'live'; });
  source.addEventListener('error', () => { status.dataset.state = 'reconnecting'; status.textContent = 'reconnecting…'; });
  source.addEventListener('snapshot', event => {
    state.snapshot = JSON.parse(event.data);
    state.updates += 1;
    render();
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  });
}

function render() {
  const models = state.snapshot.models;
  if (!state.selected || !models.some(m => m.model === state.selected)) {
    state.selected = models.length ? models[models.length - 1].model : null;
  }
  renderModels(models);
  renderSelect(models);
  ['accuracy', 'auc', 'f1'].forEach(field => renderSeries('chart-' + field, models, field));
  const selected = models.find(m => m.model === state.selected);
  renderRoc(selected);
  renderConfusion(selected);
  renderSlides(state.snapshot.slides);
}

function renderModels(models) {
  const body = document.querySelector('#models tbody');
  body.replaceChildren(...models.map((m, i) => {
    const c = m.cumulative;
    const row = el('tr', { 'data-model': m.model });
    const name = el('td', { 'data-field': 'model' });
    name.append(el('span', { class: 'swatch', style: 'background:' + COLORS[i % COLORS.length] }), m.model);
    row.append(name, el('td', { 'data-field': 'count' }, String(c.count)));
    ['accuracy', 'auc', 'f1', 'sensitivity', 'specificity', 'precision']
      .forEach(f => row.append(el('td', { 'data-field': f }, fmt4(c[f]))));
    return row;
  }));
}

function renderSelect(models) {
  const select = document.getElementById('model-select');
  const keys = models.map(m => m.model).join('\n');
  if (select.dataset.keys !== keys) {
    select.replaceChildren(...models.map(m => el('option', { value: m.model }, m.model)));
    select.dataset.keys = keys;
  }
  select.value = state.selected || '';
  select.onchange = () => { state.selected = select.value; render(); };
}

// A line per model version over its windows; x is the window start (shared time axis), y is 0..1.
function renderSeries(id, models, field) {
  const svg = document.getElementById(id);
  const W = 420, H = 220, L = 34, R = 10, T = 10, B = 26;
  svg.replaceChildren();
  const points = models.flatMap(m => m.windows.filter(w => w[field] !== null).map(w => w.windowStart));
  const minX = Math.min(...points), maxX = Math.max(...points);
  const values = models.flatMap(m => m.windows.map(w => w[field]).filter(v => v !== null));
  const minY = values.length ? Math.max(0, Math.floor(Math.min(...values) * 10) / 10) : 0;
  const x = t => (maxX === minX ? (L + W - R) / 2 : L + (t - minX) / (maxX - minX) * (W - L - R));
  const y = v => H - B - (v - minY) / (1 - minY || 1) * (H - T - B);
  for (let i = 0; i <= 4; i++) {
    const v = minY + (1 - minY) * i / 4;
    svg.append(svgEl('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#e4e7ec' }),
      svgEl('text', { x: 2, y: y(v) + 3 }, v.toFixed(2)));
  }
  if (points.length) {
    [minX, maxX].forEach((t, i) => svg.append(svgEl('text', { x: i ? W - R - 40 : L, y: H - 8 },
      new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }))));
  }
  models.forEach((m, i) => {
    const pts = m.windows.filter(w => w[field] !== null).map(w => [x(w.windowStart), y(w[field])]);
    if (!pts.length) return;
    const color = COLORS[i % COLORS.length];
    svg.append(svgEl('polyline', { points: pts.map(p => p.join(',')).join(' '), fill: 'none', stroke: color,
      'stroke-width': 2, 'data-model': m.model }));
    pts.forEach(p => svg.append(svgEl('circle', { cx: p[0], cy: p[1], r: 2.5, fill: color })));
  });
}

function renderRoc(model) {
  const svg = document.getElementById('roc');
  const S = 260, P = 24;
  svg.replaceChildren();
  const sx = v => P + v * (S - 2 * P), sy = v => S - P - v * (S - 2 * P);
  svg.append(svgEl('rect', { x: P, y: P, width: S - 2 * P, height: S - 2 * P, fill: 'none', stroke: '#c9ced8' }),
    svgEl('line', { x1: sx(0), y1: sy(0), x2: sx(1), y2: sy(1), stroke: '#c9ced8', 'stroke-dasharray': '4 3' }),
    svgEl('text', { x: S / 2 - 40, y: S - 6 }, 'false positive rate'),
    svgEl('text', { x: 2, y: P - 8 }, 'true positive rate'));
  if (!model || !model.cumulative.roc.length) return;
  const pts = model.cumulative.roc.map(p => sx(p.fpr) + ',' + sy(p.tpr)).join(' ');
  svg.append(svgEl('polyline', { id: 'roc-curve', points: pts, fill: 'none', stroke: '#3366cc', 'stroke-width': 2 }),
    svgEl('text', { id: 'roc-auc', x: S / 2, y: S / 2 + 30 }, 'AUC ' + fmt4(model.cumulative.auc)));
}

function renderConfusion(model) {
  const c = model ? model.cumulative : null;
  const cells = { tp: 'truePositives', fp: 'falsePositives', fn: 'falseNegatives', tn: 'trueNegatives' };
  Object.entries(cells).forEach(([cell, field]) => {
    document.querySelector('#confusion td[data-cell=' + cell + ']').textContent = c ? String(c[field]) : '–';
  });
  document.getElementById('legend').textContent = c ? model.model + ': ' + c.count + ' labelled cells' : 'no labelled cells yet';
}

function renderSlides(slides) {
  const { key, dir } = state.sort;
  const value = s => (key === 'parasitaemiaCiLowPct' ? s.parasitaemiaCiLowPct : s[key]);
  const sorted = [...slides].sort((a, b) => {
    const va = value(a), vb = value(b);
    if (va === vb) return a.slideId < b.slideId ? -1 : 1;
    if (va === null || va === undefined) return 1;
    if (vb === null || vb === undefined) return -1;
    return (va < vb ? -1 : 1) * dir;
  });
  const body = document.querySelector('#slides tbody');
  body.replaceChildren(...sorted.map(s => {
    const row = el('tr', { 'data-slide': s.slideId, class: s.status === 'COMPLETE' ? 'complete' : '' });
    row.append(el('td', { 'data-field': 'slideId' }, s.slideId),
      el('td', { 'data-field': 'status' }, s.status + (s.completionReason ? ' (' + s.completionReason.toLowerCase().replace(/_/g, ' ') + ')' : '')),
      el('td', { 'data-field': 'cellsClassified' }, String(s.cellsClassified)),
      el('td', { 'data-field': 'parasitaemiaPct' }, fmt2(s.parasitaemiaPct)),
      el('td', { 'data-field': 'ci' }, fmt2(s.parasitaemiaCiLowPct) + '–' + fmt2(s.parasitaemiaCiHighPct)),
      el('td', { 'data-field': 'labelledParasitaemiaPct' }, fmt2(s.labelledParasitaemiaPct)),
      el('td', { 'data-field': 'parasitaemiaErrorPp' }, fmt2(s.parasitaemiaErrorPp)),
      el('td', { 'data-field': 'slideAwareParasitaemiaPct' }, fmt2(s.slideAwareParasitaemiaPct)),
      el('td', { 'data-field': 'slideAwareErrorPp' }, fmt2(s.slideAwareErrorPp)),
      el('td', { 'data-field': 'modelVersion' }, s.modelVersion),
      el('td', { 'data-field': 'updatedAt' }, new Date(s.updatedAt).toLocaleTimeString()));
    return row;
  }));
  document.querySelectorAll('#slides th[data-sort]').forEach(th => {
    th.classList.toggle('asc', th.dataset.sort === key && dir > 0);
    th.classList.toggle('desc', th.dataset.sort === key && dir < 0);
  });
}

document.querySelectorAll('#slides th[data-sort]').forEach(th => th.addEventListener('click', () => {
  const key = th.dataset.sort;
  state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
  if (state.snapshot) renderSlides(state.snapshot.slides);
}));

connect();
