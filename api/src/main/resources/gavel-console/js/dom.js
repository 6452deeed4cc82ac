// DOM helpers. Every piece of data becomes a text node: nothing here parses HTML.

/** h('div', {class: 'x', onclick: fn}, 'text', child…): an element; strings become text nodes. */
export function h(tag, attrs, ...children) {
  const svg = ['svg', 'rect', 'line', 'text', 'g', 'title', 'path'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const scopeUrl = (scope) => (scope === '' ? '_' : scope);
export const scopeLabel = (scope) => (scope === '' ? 'global' : scope);
export const enc = encodeURIComponent;

export function time(iso) {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC');
}

/** A list shown page by page: at most pageSize rows are in the DOM. */
export function pagedList(items, pageSize, renderRow, tag = 'ul', wrap = (list) => list) {
  const box = h('div', { class: 'paged' });
  let page = 0;
  const draw = () => {
    const pages = Math.max(1, Math.ceil(items.length / pageSize));
    const list = h(tag, { class: 'rows' }, items.slice(page * pageSize, (page + 1) * pageSize).map(renderRow));
    const nav = pages > 1 ? h('div', { class: 'pager' },
      h('button', { type: 'button', disabled: page === 0, onclick: () => { page--; draw(); } }, 'Previous'),
      ` page ${page + 1} of ${pages} `,
      h('button', { type: 'button', disabled: page >= pages - 1, onclick: () => { page++; draw(); } }, 'Next')) : null;
    fill(box, wrap(list), nav);
  };
  draw();
  return box;
}

/** Asks before a change; resolves true when confirmed. body: nodes showing what will change. */
export function confirmDialog(title, ...body) {
  const d = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  fill(document.getElementById('confirm-body'), body);
  return new Promise((resolve) => {
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.returnValue = '';
    d.showModal();
  });
}

/** Line diff (LCS) of two texts: [{kind: 'same'|'del'|'add', a, b, text}]. */
export function diffLines(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  const n = x.length, m = y.length;
  if (n * m > 4_000_000) return [...x.map((t, i) => ({ kind: 'del', a: i + 1, text: t })), ...y.map((t, j) => ({ kind: 'add', b: j + 1, text: t }))];
  const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { out.push({ kind: 'same', a: i + 1, b: j + 1, text: x[i] }); i++; j++; }
    else if (j < m && (i >= n || L[i][j + 1] >= L[i + 1][j])) { out.push({ kind: 'add', b: j + 1, text: y[j] }); j++; }
    else { out.push({ kind: 'del', a: i + 1, text: x[i] }); i++; }
  }
  return out;
}

/** Side-by-side diff table of two texts. */
export function sideBySide(before, after, labels = ['before', 'after']) {
  const rows = [];
  const ops = diffLines(before || '', after || '');
  for (let k = 0; k < ops.length;) {
    if (ops[k].kind === 'same') { const o = ops[k++]; rows.push(['same', o.a, o.text, o.b, o.text]); continue; }
    const dels = [], adds = [];
    while (k < ops.length && ops[k].kind !== 'same') (ops[k].kind === 'del' ? dels : adds).push(ops[k++]);
    for (let r = 0; r < Math.max(dels.length, adds.length); r++) {
      const d = dels[r], a = adds[r];
      rows.push(['change', d?.a ?? '', d ? d.text : '', a?.b ?? '', a ? a.text : '', !!d, !!a]);
    }
  }
  return h('table', { class: 'diff' },
    h('thead', {}, h('tr', {}, h('th', { colspan: 2 }, labels[0]), h('th', { colspan: 2 }, labels[1]))),
    h('tbody', {}, rows.map(([kind, la, ta, lb, tb, hasA, hasB]) => h('tr', { class: kind },
      h('td', { class: 'ln' }, la), h('td', { class: kind === 'change' && hasA ? 'del' : '' }, ta),
      h('td', { class: 'ln' }, lb), h('td', { class: kind === 'change' && hasB ? 'add' : '' }, tb)))));
}

/** YAML shown as text, with keys, comments and scalars in spans (still text nodes only). */
export function yamlView(source) {
  const pre = h('pre', { class: 'yaml' });
  source.split('\n').forEach((line, i) => {
    const row = h('span', { class: 'yl', 'data-line': i + 1 });
    const m = line.match(/^(\s*-?\s*)([A-Za-z0-9_.-]+)(:)(.*)$/);
    if (/^\s*#/.test(line)) row.append(h('span', { class: 'yc' }, line));
    else if (m) row.append(m[1], h('span', { class: 'yk' }, m[2]), m[3], h('span', { class: 'yv' }, m[4]));
    else row.append(line);
    pre.append(row, '\n');
  });
  return pre;
}
