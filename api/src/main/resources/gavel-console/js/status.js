// Attention and status; the branch's commits and one commit's diff.
import { api, session } from './api.js';
import { h, fill, scopeLabel, scopeUrl, time, sideBySide } from './dom.js';
import { revert } from './policy.js';

export async function attentionPage(main) {
  const [{ json: a }, { json: s }] = await Promise.all([api('/attention'), api('/status')]);
  const status = h('section', { id: 'status' }, h('h2', {}, 'Status'),
    h('dl', { class: 'meta' },
      h('dt', {}, 'branch'), h('dd', {}, s.branch),
      h('dt', {}, 'served'), h('dd', {}, s.served?.commit ? h('a', { href: `#/commit/${s.served.commit}` }, h('code', {}, s.served.commit.slice(0, 12))) : '—', ' since ', time(s.served?.since)),
      h('dt', {}, 'newest'), h('dd', {}, s.newest?.commit ? h('code', {}, s.newest.commit.slice(0, 12)) : '—', s.newest?.compiled === false ? h('span', { class: 'badge deny' }, 'does not compile') : ''),
      h('dt', {}, 'up to date'), h('dd', { id: 'up-to-date' }, s.upToDate ? 'yes' : 'no')),
    (s.newest?.diagnostics || []).length ? h('ul', { class: 'diagnostics' }, s.newest.diagnostics.map((d) =>
      h('li', { class: `diagnostic ${d.severity}` }, h('code', {}, `${d.file}:${d.line ?? ''}`), ' ', d.message))) : '');
  const items = h('section', { id: 'attention' }, h('h2', {}, `Needs attention (${a.count})`),
    a.items.length ? h('ul', { class: 'rows' }, a.items.map((i) => h('li', { 'data-kind': i.kind },
      h('span', { class: 'badge' }, i.kind), ' ',
      i.policy ? h('a', { href: `#/policy/${scopeUrl(i.scope || '')}/${encodeURIComponent(i.policy)}` }, `${scopeLabel(i.scope || '')} / ${i.policy}`) : '',
      ' ', Object.entries(i).filter(([k]) => !['kind', 'scope', 'policy', 'file'].includes(k)).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v} `))))
      : h('p', { class: 'muted' }, 'Nothing needs a person now.'));
  fill(main, h('h1', {}, 'Attention and status'), h('div', { class: 'two' }, items, status));
}

export async function commitsPage(main) {
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'More');
  let cursor = null;
  const load = async () => {
    const { json } = await api(`/commits?limit=50${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    for (const c of json.data) body.append(h('tr', {}, h('td', {}, h('a', { href: `#/commit/${c.commit}` }, h('code', {}, c.commit.slice(0, 12)))),
      h('td', {}, c.author?.name || ''), h('td', { class: 'muted' }, time(c.time)), h('td', {}, c.subject || '')));
    cursor = json.meta?.nextCursor;
    more.hidden = !json.meta?.hasMore;
  };
  more.addEventListener('click', load);
  fill(main, h('h1', {}, 'Commits'), h('div', { class: 'scroll' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['commit', 'author', 'time', 'subject'].map((t) => h('th', {}, t)))), body)), more);
  await load();
}

export async function commitPage(main, sha) {
  const { json: c } = await api(`/commits/${sha}`);
  fill(main, h('h1', {}, 'Commit ', h('code', {}, c.commit.slice(0, 12))),
    h('p', {}, c.author?.name || '', ' · ', time(c.time)), h('pre', { class: 'message' }, c.message || ''),
    session.isAdmin() ? h('button', { type: 'button', class: 'write danger', onclick: () => revert(c.commit) }, 'Revert this commit') : '',
    (c.files || []).slice(0, 50).map((f) => h('section', { class: 'file' }, h('h2', {}, h('code', {}, f.path), ` (${f.kind})`),
      f.before === null && f.after === null ? h('p', { class: 'muted' }, 'not shown') : sideBySide(f.before || '', f.after || ''))),
    (c.files || []).length > 50 ? h('p', { class: 'muted' }, `${c.files.length - 50} more files not shown.`) : '');
}
