// The console: sign-in, the shell, the scope tree and the router (#/…).
import { api, session } from './api.js';
import { h, fill, scopeLabel } from './dom.js';
import { scopePage } from './scopes.js';
import { policyPage } from './policy.js';
import { decisionsPage, tryPage, evaluationPage } from './decisions.js';
import { attentionPage, commitsPage, commitPage } from './status.js';
import { workloadsPage, clusterPage } from './workloads.js';

const main = document.getElementById('main');
const t0 = performance.now();

function signInForm(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('tree').hidden = true;
  document.getElementById('signout').hidden = true;
  document.getElementById('who').textContent = '';
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' }, message || '');
  const form = h('form', { class: 'signin', id: 'signin' },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Paste an API key (gavel token create …, or the admin key the server wrote). It is kept in this tab only.'),
    h('label', { for: 'api-key' }, 'API key'), input,
    h('button', { type: 'submit', id: 'signin-button' }, 'Sign in'), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    session.set(input.value.trim());
    try {
      await start();
    } catch (err) {
      session.clear();
      error.textContent = err.status === 401 ? 'That key was refused.' : err.message;
    }
  });
  fill(main, form);
  input.focus();
}

async function start() {
  session.me = (await api('/me')).json;
  const me = session.me;
  document.getElementById('who').textContent =
    `${me.name} · ${me.role}${me.tenants ? ' · tenants: ' + me.tenants.join(', ') : ''}`;
  document.getElementById('nav').hidden = false;
  document.getElementById('signout').hidden = false;
  document.body.classList.toggle('can-write', session.canWrite());
  await drawTree();
  await route();
}

export async function drawTree() {
  const tree = document.getElementById('tree');
  tree.hidden = false;
  const { json } = await api('/scopes');
  const children = new Map();
  for (const n of json.data) {
    const parent = n.scope === '' ? null : n.scope.includes('.') ? n.scope.slice(0, n.scope.lastIndexOf('.')) : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(n);
  }
  const node = (n) => {
    const kids = children.get(n.scope) || [];
    const name = n.scope === '' ? 'global' : n.scope.slice(n.scope.lastIndexOf('.') + 1);
    const link = h('a', { href: `#/scope/${n.scope === '' ? '_' : n.scope}`, 'data-scope': n.scope, title: `${scopeLabel(n.scope)} (${n.level})` },
      name, ' ', h('span', { class: 'count', title: 'defined here / here and below' }, `${n.policies}/${n.policiesBelow}`));
    if (!kids.length) return h('li', {}, link);
    return h('li', {}, h('details', { open: n.depth < 2 }, h('summary', {}, link), h('ul', {}, kids.map(node))));
  };
  const roots = children.get(null) || [];
  fill(tree, h('h2', { class: 'sr' }, 'Scopes'), h('ul', { class: 'scopes' }, roots.map(node)));
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('?')[0].split('/').map(decodeURIComponent);
  const [page, a, b, c] = parts;
  for (const l of document.querySelectorAll('#tree a')) {
    const current = (page === 'scope' || page === 'policy') && l.dataset.scope === (a === '_' ? '' : a);
    l.classList.toggle('current', current);
    if (current) l.setAttribute('aria-current', 'page'); else l.removeAttribute('aria-current');
    for (let d = current ? l.closest('details') : null; d; d = d.parentElement.closest('details')) d.open = true;
  }
  try {
    if (page === 'scope' && a !== undefined) await scopePage(main, a === '_' ? '' : a, b);
    else if (page === 'policy') await policyPage(main, a === '_' ? '' : a, b, c);
    else if (page === 'decisions') await decisionsPage(main);
    else if (page === 'evaluation') await evaluationPage(main, a);
    else if (page === 'try') await tryPage(main);
    else if (page === 'commits') await commitsPage(main);
    else if (page === 'commit') await commitPage(main, a);
    else if (page === 'attention') await attentionPage(main);
    else if (page === 'workloads' && a !== undefined) await clusterPage(main, a);
    else if (page === 'workloads') await workloadsPage(main);
    else await scopePage(main, '', undefined);
  } catch (err) {
    if (err.status === 401) return;
    fill(main, h('h1', {}, 'Error'), h('p', { class: 'error', role: 'alert' }, err.message));
  }
  document.body.dataset.rendered = String(Math.round(performance.now() - t0));
}

window.addEventListener('hashchange', () => { if (session.me) route(); });
window.addEventListener('gavel:signed-out', () => { session.clear(); session.me = null; signInForm('Signed out: the key was refused.'); });
document.getElementById('signout').addEventListener('click', () => { session.clear(); session.me = null; signInForm(); });

if (session.key()) {
  start().catch((err) => { session.clear(); signInForm(err.message); });
} else {
  signInForm();
}
