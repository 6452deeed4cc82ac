// A scope: the policies defined there (paged by the API's cursor), the resolved set with provenance, its versions.
import { api, session } from './api.js';
import { h, fill, scopeLabel, scopeUrl, enc, time, pagedList, confirmDialog, sideBySide } from './dom.js';

export async function scopePage(main, scope, tab) {
  const u = scopeUrl(scope);
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Scope views' },
    h('a', { href: `#/scope/${u}`, 'aria-current': !tab ? 'page' : null }, 'Policies'),
    h('a', { href: `#/scope/${u}/history`, 'aria-current': tab === 'history' ? 'page' : null }, 'History'));
  const body = h('div');
  fill(main, h('h1', {}, 'Scope ', h('code', { id: 'scope-name' }, scopeLabel(scope))), tabs, body);
  if (tab === 'history') return scopeHistory(body, scope);

  const defined = h('section', { id: 'defined' }, h('h2', {}, 'Defined here'));
  const resolved = h('section', { id: 'resolved' }, h('h2', {}, 'Resolved set'),
    h('p', { class: 'muted' }, 'What applies at this scope: each policy with its layers (global first) and which scope set each field.'));
  fill(body, defined, resolved);
  await Promise.all([definedList(defined, scope), resolvedSet(resolved, scope)]);
}

async function definedList(section, scope) {
  const table = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'More');
  let cursor = null;
  const load = async () => {
    const q = new URLSearchParams({ scope: scopeUrl(scope), sort: 'name:asc', limit: '50' });
    if (cursor) q.set('cursor', cursor);
    const { json } = await api(`/policies?${q}`);
    for (const p of json.data) {
      table.append(h('tr', { 'data-policy': p.name },
        h('td', {}, h('a', { href: `#/policy/${scopeUrl(p.scope)}/${enc(p.name)}` }, p.name)),
        h('td', {}, p.displayName || ''), h('td', {}, p.type), h('td', {}, h('span', { class: `badge ${p.enforcement}` }, p.enforcement)),
        h('td', {}, p.status), h('td', {}, p.locked ? h('span', { class: 'badge locked', title: 'locked guardrail' }, 'locked') : ''),
        h('td', {}, p.owner || '')));
    }
    cursor = json.meta.nextCursor;
    more.hidden = !json.meta.hasMore;
    if (!json.data.length && !table.children.length) table.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No policy is defined at exactly this scope.')));
  };
  more.addEventListener('click', load);
  section.append(h('div', { class: 'scroll' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['Name', 'Title', 'Type', 'Enforcement', 'Status', '', 'Owner'].map((t) => h('th', {}, t)))), table)), more);
  await load();
}

async function resolvedSet(section, scope) {
  const { json } = await api(`/scopes/${scopeUrl(scope)}/resolved`);
  section.append(h('p', { class: 'muted' }, `${json.data.length} policies at commit `, h('code', {}, json.commit.slice(0, 12))));
  section.append(pagedList(json.data, 20, (r) => resolvedItem(r), 'div'));
}

function resolvedItem(r) {
  const p = r.policy;
  const locked = p.spec.locked === true;
  const fields = Object.entries(r.provenance || {});
  return h('details', { class: 'resolved', 'data-policy': r.name },
    h('summary', {}, h('strong', {}, r.name), ' ', h('span', { class: `badge ${p.spec.enforcement}` }, p.spec.enforcement),
      locked ? h('span', { class: 'badge locked', title: 'locked guardrail: lower scopes cannot override it' }, 'locked') : '',
      h('span', { class: 'muted' }, ` defined at ${scopeLabel(r.definedAt)} · ${r.layers.length} layer${r.layers.length > 1 ? 's' : ''}`)),
    h('p', {}, p.metadata.displayName || '', p.metadata.description ? h('span', { class: 'muted desc' }, ' — ', p.metadata.description) : ''),
    h('h3', {}, 'Layers'),
    h('ol', { class: 'layers' }, r.layers.map((l) => h('li', {},
      h('a', { href: `#/policy/${scopeUrl(l.scope)}/${enc(r.name)}` }, scopeLabel(l.scope)), ' ', h('code', { class: 'muted' }, l.file)))),
    h('h3', {}, 'Provenance'),
    h('table', { class: 'grid provenance' }, h('thead', {}, h('tr', {}, h('th', {}, 'field'), h('th', {}, 'set at'))),
      h('tbody', {}, fields.map(([f, s]) => h('tr', { 'data-field': f }, h('td', {}, h('code', {}, f)), h('td', { class: 'set-at' }, scopeLabel(s)))))));
}

async function scopeHistory(body, scope) {
  const { json } = await api(`/scopes/${scopeUrl(scope)}/history`);
  fill(body, h('p', { class: 'muted' }, 'Versions of this scope, newest first.'), pagedList(json.data, 20, (v) => h('li', { class: 'version', 'data-version': v.version },
    h('strong', {}, `v${v.version}`), ' ', h('a', { href: `#/commit/${v.commit}` }, h('code', {}, v.commit.slice(0, 12))), ' ',
    h('span', {}, v.author?.name || ''), ' ', h('span', { class: 'muted' }, time(v.time)), ' ', h('span', { class: 'msg' }, (v.message || '').split('\n')[0]),
    session.isAdmin() && v.version !== json.data[0].version
      ? h('button', { type: 'button', class: 'danger write', onclick: () => rollbackScope(scope, v.version) }, `Roll back to v${v.version}`) : '')));
}

/** Rolls the scope's files back to a version after showing what will change. */
export async function rollbackScope(scope, version) {
  const [now, then] = await Promise.all([api(`/scopes/${scopeUrl(scope)}/policies`), api(`/scopes/${scopeUrl(scope)}/policies?version=${version}`)]);
  const byName = (list) => new Map(list.json.data.map((p) => [p.name, p.source]));
  const a = byName(now), b = byName(then);
  const names = [...new Set([...a.keys(), ...b.keys()])].filter((n) => a.get(n) !== b.get(n));
  const ok = await confirmDialog(`Roll back ${scopeLabel(scope)} to v${version}?`,
    h('p', {}, `A new commit restores the files defined at this scope as of version ${version}. ${names.length} file(s) change.`),
    names.map((n) => h('div', {}, h('h3', {}, n), sideBySide(a.get(n) || '', b.get(n) || '', ['now', `v${version}`]))));
  if (!ok) return null;
  const r = await api(`/scopes/${scopeUrl(scope)}/rollback/${version}`, { method: 'POST', headers: { 'X-Gavel-Message': `Roll back ${scopeLabel(scope)} to version ${version} (console)` } });
  const target = `#/scope/${scopeUrl(scope)}/history`;
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
  return r;
}
