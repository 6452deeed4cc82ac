// Decisions: the evaluation log with filters, decisions over time by outcome, top denying policies, latency; "try it".
import { api } from './api.js';
import { h, fill, scopeLabel, scopeUrl, time } from './dom.js';

const OUTCOMES = ['allow', 'warn', 'deny'];
const WINDOWS = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };

function hashQuery() {
  const i = location.hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : location.hash.slice(i + 1));
}

export async function decisionsPage(main) {
  const q = hashQuery();
  const field = (id, label, value, attrs = {}) => [h('label', { for: id }, label), h('input', { id, name: id, value: value || '', ...attrs })];
  const decision = h('select', { id: 'f-decision', name: 'decision' }, h('option', { value: '' }, 'any'), OUTCOMES.map((o) => h('option', { value: o }, o)));
  decision.value = q.get('decision') || '';
  const windowSel = h('select', { id: 'f-window', name: 'window' }, Object.keys(WINDOWS).map((w) => h('option', { value: w }, `last ${w}`)));
  windowSel.value = q.get('window') || '24h';
  const form = h('form', { class: 'filters', id: 'filters' },
    field('f-scope', 'Scope (and below)', q.get('scope'), { placeholder: 'acme.chat', pattern: '[a-z0-9.-]*' }),
    field('f-policy', 'Policy', q.get('policy'), { placeholder: 'token-limits', pattern: '[a-z0-9-]*' }),
    h('label', { for: 'f-decision' }, 'Decision'), decision, h('label', { for: 'f-window' }, 'Time'), windowSel,
    h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const n = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) n.set(k.replace('f-', ''), v);
    location.hash = `#/decisions?${n}`;
  });
  const chart = h('section', { id: 'chart' }, h('h2', {}, 'Decisions over time'));
  const top = h('section', { id: 'top-denying' }, h('h2', {}, 'Top denying policies'));
  const log = h('section', { id: 'log' }, h('h2', {}, 'Evaluation log'));
  fill(main, h('h1', {}, 'Decisions'), form, h('div', { class: 'two' }, chart, top), log);

  const filter = new URLSearchParams();
  if (q.get('scope')) filter.set('scopePrefix', q.get('scope'));
  if (q.get('policy')) filter.set('policy', q.get('policy'));
  if (q.get('decision')) filter.set('decision', q.get('decision'));
  const span = WINDOWS[q.get('window') || '24h'] || WINDOWS['24h'];
  const since = new Date(Date.now() - span).toISOString();
  filter.set('since', since);
  await Promise.all([summary(chart, top, filter, span), logList(log, filter)]);
}

async function summary(chart, top, filter, span) {
  const f = new URLSearchParams(filter);
  f.set('limit', '5000');
  const r = await api(`/evaluations/export?${f}`, { raw: true });
  const text = r.ok ? await r.text() : '';
  const rows = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const end = Date.now(), start = end - span, buckets = 24, width = span / buckets;
  const counts = Array.from({ length: buckets }, () => ({ allow: 0, warn: 0, deny: 0 }));
  const denying = new Map();
  const latencies = [];
  for (const e of rows) {
    const t = Date.parse(e.timestamp);
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((t - start) / width)));
    counts[b][e.decision] = (counts[b][e.decision] || 0) + 1;
    latencies.push(e.durationMicros);
    for (const res of e.results || []) if (res.effect === 'deny') denying.set(res.policy, (denying.get(res.policy) || 0) + 1);
  }
  chart.append(barChart(counts, start, width), h('p', { class: 'muted', id: 'chart-total' },
    `${rows.length} evaluations${rows.length >= 5000 ? ' (the newest 5,000)' : ''}: `,
    OUTCOMES.map((o) => `${o} ${counts.reduce((n, c) => n + (c[o] || 0), 0)} `)));
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? `${(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] / 1000).toFixed(2)} ms` : '—');
  top.append(h('ol', { id: 'top-list' }, [...denying.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([p, n]) => h('li', {},
    h('a', { href: `#/decisions?policy=${encodeURIComponent(p)}` }, p), ` ${n} denies`))),
    h('h2', {}, 'Latency'), h('p', { id: 'latency' }, `p50 ${pct(0.5)} · p95 ${pct(0.95)} · p99 ${pct(0.99)}`));
}

/** Stacked bars by outcome, drawn as SVG (no library). */
function barChart(counts, start, width) {
  const W = 480, H = 160, pad = 24;
  const max = Math.max(1, ...counts.map((c) => OUTCOMES.reduce((n, o) => n + (c[o] || 0), 0)));
  const bw = (W - pad) / counts.length;
  const svg = h('svg', { viewBox: `0 0 ${W} ${H + 20}`, class: 'chart', role: 'img', 'aria-label': 'Decisions over time by outcome' });
  svg.append(h('line', { x1: pad, y1: H, x2: W, y2: H, class: 'axis' }), h('text', { x: 0, y: 12, class: 'tick' }, String(max)));
  counts.forEach((c, i) => {
    let y = H;
    for (const o of OUTCOMES) {
      const n = c[o] || 0;
      if (!n) continue;
      const bh = (n / max) * (H - 10);
      y -= bh;
      svg.append(h('rect', { x: pad + i * bw + 1, y, width: Math.max(1, bw - 2), height: bh, class: `bar ${o}`, 'data-outcome': o, 'data-count': n },
        h('title', {}, `${new Date(start + i * width).toISOString().slice(0, 16)}Z: ${n} ${o}`)));
    }
  });
  const legend = h('g', {}, OUTCOMES.map((o, k) => [h('rect', { x: pad + k * 70, y: H + 8, width: 10, height: 10, class: `bar ${o}` }),
    h('text', { x: pad + k * 70 + 14, y: H + 17, class: 'tick' }, o)]));
  svg.append(legend);
  return svg;
}

async function logList(section, filter) {
  const body = h('tbody', { id: 'log-rows' });
  const more = h('button', { type: 'button', hidden: true }, 'More');
  let cursor = null;
  const load = async () => {
    const f = new URLSearchParams(filter);
    f.set('limit', '50');
    if (cursor) f.set('cursor', cursor);
    const { json } = await api(`/evaluations?${f}`);
    for (const e of json.data) body.append(evaluationRow(e));
    cursor = json.meta.nextCursor;
    more.hidden = !json.meta.hasMore;
    if (!body.children.length) body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No evaluation matches.')));
  };
  more.addEventListener('click', load);
  section.append(h('div', { class: 'scroll' }, h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, ['time', 'decision', 'scope', 'resource / action', 'policies', 'details'].map((t) => h('th', {}, t)))), body)), more);
  await load();
}

function evaluationRow(e) {
  return h('tr', { class: 'evaluation', 'data-id': e.id, 'data-decision': e.decision },
    h('td', {}, time(e.timestamp)), h('td', {}, h('span', { class: `badge ${e.decision}` }, e.decision)),
    h('td', {}, scopeLabel(e.scope)), h('td', {}, `${e.resourceType || ''} / ${e.action || ''}`),
    h('td', {}, (e.results || []).map((r) => r.policy).join(', ')),
    h('td', {}, h('a', { href: `#/evaluation/${e.id}`, class: 'evaluation-link' }, 'open'), ' ',
      h('details', {}, h('summary', {}, 'show'), evaluationDetails(e))));
}

function evaluationDetails(e) {
  return h('div', { class: 'evaluation-details' },
    h('p', {}, 'id ', h('code', {}, e.id), ' · commit ', h('a', { href: `#/commit/${e.commit}` }, h('code', {}, (e.commit || '').slice(0, 12))),
      ` · ${(e.durationMicros / 1000).toFixed(2)} ms`),
    resultsTable(e.results || [], true), h('h3', {}, 'Request'), h('pre', {}, JSON.stringify(e.request, null, 2)));
}

function resultsTable(results, linked) {
  const policy = (r) => (linked ? h('a', { href: `#/policy/${scopeUrl(r.definedAt)}/${encodeURIComponent(r.policy)}` }, r.policy) : r.policy);
  return h('table', { class: 'grid results' }, h('thead', {}, h('tr', {}, ['policy', 'defined at', 'enforcement', 'rule', 'effect', 'message'].map((t) => h('th', {}, t)))),
    h('tbody', {}, results.map((r) => h('tr', { 'data-policy': r.policy }, h('td', {}, policy(r)), h('td', {}, scopeLabel(r.definedAt)),
      h('td', {}, r.enforcement), h('td', {}, h('code', {}, r.rule || '')), h('td', {}, h('span', { class: `badge ${r.effect}` }, r.effect)), h('td', {}, r.message || '')))));
}

const EXAMPLE = {
  scope: 'acme.search', resource: { type: 'model', name: 'm1' }, action: 'invoke',
  location: { name: 'eu-central-1', country: 'DE', continent: 'EU' }, flavor: { name: 'c7i.large', type: 'cpu' }, tokens: { input: 1000, output: 200 },
};

export async function tryPage(main) {
  const area = h('textarea', { id: 'try-request', rows: 14, spellcheck: 'false', 'aria-label': 'Evaluation request (JSON)' });
  area.value = JSON.stringify(EXAMPLE, null, 2);
  const out = h('div', { id: 'try-result', role: 'status' });
  const send = h('button', { type: 'button', id: 'try-send' }, 'Evaluate');
  send.addEventListener('click', async () => {
    let body;
    try { body = JSON.parse(area.value); } catch (err) { fill(out, h('p', { class: 'error' }, `Not JSON: ${err.message}`)); return; }
    try {
      const { json } = await api('/evaluate', { method: 'POST', body });
      fill(out, h('p', {}, 'Decision ', h('span', { class: `badge ${json.decision}`, id: 'try-decision' }, json.decision),
        ` in ${(json.durationMicros / 1000).toFixed(2)} ms at `, h('code', {}, json.commit.slice(0, 12))),
      json.results.length ? resultsTable(json.results) : h('p', { class: 'muted' }, 'No rule fired.'));
    } catch (err) {
      fill(out, h('p', { class: 'error', role: 'alert' }, err.message), h('ul', {}, (err.problem?.errors || []).map((x) => h('li', {}, h('code', {}, x.field), ' ', x.message))));
    }
  });
  fill(main, h('h1', {}, 'Try it'), h('p', { class: 'muted' }, 'Sends one evaluation request (it is logged like any other) and shows which rules fired.'),
    area, h('p', {}, send), out);
}

/** A page per evaluation (#/evaluation/<id>): the request, the decision, the rules that fired, the commit. */
export async function evaluationPage(main, id) {
  const { json: e } = await api(`/evaluations/${encodeURIComponent(id || '')}`);
  const scope = scopeUrl(e.scope);
  fill(main, h('h1', {}, 'Evaluation ', h('code', { id: 'evaluation-id' }, e.id)),
    h('p', { id: 'evaluation-summary' }, h('span', { class: `badge ${e.decision}`, id: 'evaluation-decision' }, e.decision),
      ' at ', time(e.timestamp), ' in ', h('a', { href: `#/scope/${scope}` }, scopeLabel(e.scope)),
      ` for ${e.resourceType || '?'} / ${e.action || '?'} · ${(e.durationMicros / 1000).toFixed(2)} ms · decided by commit `,
      h('a', { href: `#/commit/${e.commit}`, id: 'evaluation-commit' }, h('code', {}, e.commit.slice(0, 12)))),
    h('h2', {}, 'Rules that fired'),
    (e.results || []).length ? resultsTable(e.results, true) : h('p', { class: 'muted' }, 'No rule fired: nothing applied stood in the way.'),
    h('h2', {}, 'Request'), h('pre', { id: 'evaluation-request' }, JSON.stringify(e.request, null, 2)),
    h('p', {}, h('a', { href: `#/decisions?scope=${encodeURIComponent(e.scope)}` }, 'More decisions in this scope')));
}
