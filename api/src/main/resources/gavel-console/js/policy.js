// A policy: its YAML and metadata, lifecycle buttons, the editor (validated as you type), its history.
import { api, session, ApiError } from './api.js';
import { h, fill, scopeLabel, scopeUrl, enc, time, pagedList, confirmDialog, sideBySide, yamlView } from './dom.js';
import { rollbackScope } from './scopes.js';
import { monitoredWorkloads } from './workloads.js';
import { settingsForm, withSettings } from './settings.js';

const LIFECYCLE = ['activate', 'deactivate', 'promote', 'demote', 'review', 'reset-circuit-breaker'];

export async function policyPage(main, scope, name, tab) {
  const u = scopeUrl(scope);
  const base = `/scopes/${u}/policies/${enc(name)}`;
  const link = (t, label) => h('a', { href: `#/policy/${u}/${enc(name)}${t ? '/' + t : ''}`, 'aria-current': (tab || '') === t ? 'page' : null }, label);
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Policy views' }, link('', 'Policy'),
    session.canWrite() ? link('edit', 'Edit') : null, link('history', 'History'));
  const body = h('div');
  fill(main, h('p', { class: 'crumbs' }, h('a', { href: `#/scope/${u}` }, scopeLabel(scope)), ' / '),
    h('h1', {}, h('code', { id: 'policy-name' }, name)), tabs, body);
  const { json: p, etag } = await api(base);
  if (tab === 'edit' && session.canWrite()) return editor(body, scope, name, base, p, etag);
  if (tab === 'history') return history(body, scope, name, base, p);
  await overview(body, scope, name, base, p, etag);
}

async function overview(body, scope, name, base, p, etag) {
  const m = p.policy.metadata, s = p.policy.spec;
  const dl = h('dl', { class: 'meta', id: 'metadata' });
  const row = (k, v) => dl.append(h('dt', {}, k), h('dd', { 'data-key': k }, v ?? '—'));
  row('title', m.displayName);
  row('description', m.description);
  row('type', s.type);
  row('enforcement', h('span', { class: `badge ${s.enforcement}` }, s.enforcement));
  row('status', s.status || 'active');
  row('locked', s.locked ? 'locked guardrail' : 'no');
  row('owner', m.owner);
  row('category', m.category);
  row('review due', p.nextReview);
  row('usage (24 h)', p.usage ? `${p.usage.last24h.evaluations} evaluations, ${p.usage.last24h.denies} denies, ${p.usage.last24h.warns} warns` : null);
  row('usage (7 d)', p.usage ? `${p.usage.last7d.evaluations} evaluations, ${p.usage.last7d.denies} denies, ${p.usage.last7d.warns} warns` : null);
  row('circuit breaker', p.circuitBreaker ? (p.circuitBreaker.configured ? p.circuitBreaker.state : 'not configured') : null);
  row('created', p.createdAt ? `${time(p.createdAt)} by ${p.createdBy?.name}` : null);
  row('updated', p.updatedAt ? `${time(p.updatedAt)} by ${p.updatedBy?.name}` : null);
  row('file', h('code', {}, p.file));
  row('commit', h('a', { href: `#/commit/${p.commit}` }, h('code', {}, p.commit.slice(0, 12))));
  const status = h('p', { role: 'status', class: 'muted', id: 'lifecycle-status' });
  const actions = session.canWrite() ? h('div', { class: 'actions', id: 'lifecycle' }, LIFECYCLE.map((a) => h('button', {
    type: 'button', class: 'write', 'data-action': a, onclick: async () => {
      try {
        const r = await api(`${base}/${a}`, { method: 'POST', headers: a === 'reset-circuit-breaker' ? {} : { 'If-Match': etag, 'X-Gavel-Message': `${a} ${name} (console)` } });
        status.textContent = r.json.changed === false ? `${a}: nothing to change` : `${a}: done`;
        setTimeout(() => window.dispatchEvent(new HashChangeEvent('hashchange')), 300);
      } catch (e) { status.textContent = `${a}: ${e.message}`; }
    },
  }, a.replaceAll('-', ' '))), status) : null;
  fill(body, h('div', { class: 'two' }, h('section', {}, h('h2', {}, 'Metadata'), dl, actions),
    h('section', {}, h('h2', {}, 'YAML'), yamlView(p.source))),
    h('p', {}, h('a', { href: `#/scope/${scopeUrl(scope)}` }, 'Resolved view at this scope'), ' · ',
      h('a', { href: `#/decisions?policy=${enc(name)}` }, 'Decisions')));
  if (s.type === 'heartbeat') {
    const section = h('section', { id: 'workloads' }, h('h2', {}, 'Workloads it monitors'));
    body.append(section);
    // the policy is shown whatever happens here: a workloads store that cannot answer is said in its section
    return monitoredWorkloads(section, scope, name).catch((e) => section.append(h('p', { class: 'error', role: 'alert' }, e.message)));
  }
}

async function editor(body, scope, name, base, p, etag) {
  const area = h('textarea', { id: 'yaml-editor', spellcheck: 'false', 'aria-label': 'Policy YAML', rows: 28, wrap: 'off' });
  area.value = p.source;
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const diags = h('ul', { id: 'diagnostics', class: 'diagnostics', 'aria-live': 'polite' });
  const state = h('p', { id: 'validity', role: 'status' });
  const message = h('input', { id: 'commit-message', type: 'text', value: `Update ${name} (console)`, size: 50 });
  const commit = h('button', { type: 'button', id: 'commit-button' }, 'Commit');
  const result = h('div', { id: 'commit-result', role: 'status' });
  let current = etag, seq = 0, timer = null;

  const drawGutter = (bad) => {
    const n = area.value.split('\n').length;
    fill(gutter, Array.from({ length: n }, (_, i) => h('div', { class: bad.has(i + 1) ? 'err' : '', 'data-line': i + 1 }, i + 1)));
    gutter.scrollTop = area.scrollTop;
  };
  const showDiagnostics = (list) => {
    fill(diags, list.map((d) => h('li', { class: `diagnostic ${d.severity}`, 'data-line': d.line ?? '' },
      h('button', { type: 'button', class: 'link', onclick: () => goToLine(area, d.line) }, d.line ? `line ${d.line}${d.column ? ':' + d.column : ''}` : 'file'),
      ' ', d.field ? h('code', {}, d.field) : '', ' ', d.message)));
    drawGutter(new Set(list.filter((d) => d.severity === 'error' && d.line).map((d) => d.line)));
  };
  const validate = async () => {
    const mine = ++seq;
    try {
      const { json } = await api(`/validate?scope=${scopeUrl(scope)}`, { method: 'POST', body: area.value });
      if (mine !== seq) return;
      state.textContent = json.valid ? 'Valid' : `${json.diagnostics.filter((d) => d.severity === 'error').length} error(s)`;
      state.className = json.valid ? 'ok' : 'error';
      showDiagnostics(json.diagnostics);
      if (json.policy) form.set(json.policy.spec?.type, json.policy.spec?.settings);
    } catch (e) {
      if (mine === seq) { state.textContent = e.message; state.className = 'error'; }
    }
  };
  const edited = () => { drawGutter(new Set()); clearTimeout(timer); timer = setTimeout(validate, 300); };
  area.addEventListener('input', edited);
  const form = await settingsForm((settings) => { area.value = withSettings(area.value, settings); edited(); });
  form.set(p.policy.spec?.type, p.policy.spec?.settings);
  area.addEventListener('scroll', () => { gutter.scrollTop = area.scrollTop; });
  commit.addEventListener('click', async () => {
    fill(result);
    try {
      const r = await api(base, { method: 'PUT', body: area.value, headers: { 'If-Match': current, 'X-Gavel-Message': message.value } });
      current = r.etag || r.json.policy?.etag || current;
      fill(result, h('p', { class: 'ok' }, r.json.changed ? 'Committed ' : 'No change; nothing committed ',
        r.json.commit ? h('a', { href: `#/commit/${r.json.commit}` }, h('code', {}, r.json.commit.slice(0, 12))) : ''));
    } catch (e) {
      if (e.status === 412 || e.status === 409) {
        const theirs = await api(base).catch(() => null);
        fill(result, h('p', { class: 'error', role: 'alert' }, 'Someone changed this policy since you opened it: nothing was overwritten. Their version (left) and yours (right):'),
          theirs ? sideBySide(theirs.json.source, area.value, ['now on the branch', 'yours']) : '');
        if (theirs) current = theirs.etag;
      } else {
        fill(result, h('p', { class: 'error', role: 'alert' }, e.message));
        if (e instanceof ApiError && e.problem.errors) showDiagnostics(e.problem.errors.map((x) => ({ severity: 'error', ...x })));
      }
    }
  });
  fill(body, h('div', { class: 'two' }, h('div', {}, h('div', { class: 'editor' }, gutter, area), state, diags), form.element),
    h('div', { class: 'commit' }, h('label', { for: 'commit-message' }, 'Message '), message, ' ', commit), result);
  drawGutter(new Set());
  validate();
}

function goToLine(area, line) {
  if (!line) return;
  const lines = area.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  area.focus();
  area.setSelectionRange(start, start + (lines[line - 1] || '').length);
}

async function history(body, scope, name, base, p) {
  const [{ json }, scopeVersions] = await Promise.all([api(`${base}/history`), api(`/scopes/${scopeUrl(scope)}/history`)]);
  const versionOf = new Map(scopeVersions.json.data.map((v) => [v.commit, v.version]));
  const versions = json.data;
  const pick = { a: versions[1]?.commit || versions[0]?.commit, b: versions[0]?.commit };
  const diff = h('section', { id: 'diff' });
  const compare = async () => {
    const get = async (sha) => api(`${base}?at=${sha}`).then((r) => r.json.source).catch(() => '');
    const [a, b] = await Promise.all([get(pick.a), get(pick.b)]);
    fill(diff, h('h2', {}, 'Diff ', h('code', {}, pick.a.slice(0, 8)), ' → ', h('code', {}, pick.b.slice(0, 8))),
      sideBySide(a, b, [pick.a.slice(0, 12), pick.b.slice(0, 12)]));
  };
  const radio = (side, sha) => {
    const r = h('input', { type: 'radio', name: `side-${side}`, value: sha, 'aria-label': `compare ${side === 'a' ? 'from' : 'to'} ${sha.slice(0, 8)}`,
      onchange: () => { pick[side] = sha; compare(); } });
    r.checked = pick[side] === sha;
    return r;
  };
  const rows = pagedList(versions, 20, (v) => h('tr', { class: 'version', 'data-commit': v.commit },
    h('td', {}, radio('a', v.commit)), h('td', {}, radio('b', v.commit)),
    h('td', {}, h('a', { href: `#/commit/${v.commit}` }, h('code', {}, v.commit.slice(0, 12)))),
    h('td', {}, v.author?.name || ''), h('td', { class: 'muted' }, time(v.time)), h('td', { class: 'msg' }, (v.message || '').split('\n')[0]),
    h('td', {}, session.isAdmin() ? [
      versionOf.has(v.commit) && v.commit !== versions[0].commit
        ? h('button', { type: 'button', class: 'write danger', 'data-rollback': versionOf.get(v.commit), onclick: () => rollbackScope(scope, versionOf.get(v.commit)) }, 'Roll back to here') : '',
      h('button', { type: 'button', class: 'write danger', 'data-revert': v.commit, onclick: () => revert(v.commit) }, 'Revert'),
    ] : '')), 'tbody', (tbody) => h('div', { class: 'scroll' }, h('table', { class: 'grid history' },
    h('thead', {}, h('tr', {}, ['from', 'to', 'commit', 'author', 'time', 'message', ''].map((t) => h('th', {}, t)))), tbody)));
  fill(body, h('p', { class: 'muted' }, 'Commits that changed ', h('code', {}, p.file), ', newest first. Pick two to compare.'), rows, diff);
  if (versions.length) await compare();
}

/** Reverts a commit after showing its diff. */
export async function revert(sha) {
  const { json } = await api(`/commits/${sha}`);
  const ok = await confirmDialog(`Revert ${sha.slice(0, 12)}?`,
    h('p', {}, 'A new commit undoes this commit: ', h('q', {}, json.subject || '')),
    (json.files || []).map((f) => h('div', {}, h('h3', {}, f.path), sideBySide(f.after || '', f.before || '', ['now', 'after the revert']))));
  if (!ok) return;
  await api(`/commits/${sha}/revert`, { method: 'POST', headers: { 'X-Gavel-Message': `Revert ${sha.slice(0, 12)} (console)` } });
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
