// Workloads: the clusters the key may see, a cluster's last report, and what a heartbeat policy monitors.
import { api } from './api.js';
import { h, fill, scopeUrl, enc, time } from './dom.js';

const table = (id, heads, rows, empty) => (rows.length
  ? h('div', { class: 'scroll' }, h('table', { class: 'grid', id }, h('thead', {}, h('tr', {}, heads.map((t) => h('th', {}, t)))), h('tbody', {}, rows)))
  : h('p', { class: 'muted', id }, empty));

/** #/workloads: every cluster of the caller's tenants, newest report first as the API lists them. */
export async function workloadsPage(main) {
  const clusters = [];
  let cursor = null;
  do {
    const { json } = await api(`/clusters?limit=200${cursor ? `&cursor=${enc(cursor)}` : ''}`);
    clusters.push(...json.data);
    cursor = json.meta.hasMore ? json.meta.nextCursor : null;
  } while (cursor);
  fill(main, h('h1', {}, 'Workloads'),
    h('p', { class: 'muted' }, 'Clusters report their pods and jobs (PUT /api/v1/clusters/{cluster}/workloads); heartbeat policies select them.'),
    table('clusters', ['cluster', 'tenant', 'reported', 'pods', 'jobs', 'matched at commit'], clusters.map((c) => h('tr', { 'data-cluster': c.cluster },
      h('td', {}, h('a', { href: `#/workloads/${enc(c.cluster)}` }, c.cluster)), h('td', {}, c.tenant), h('td', {}, time(c.reportedAt)),
      h('td', {}, String(c.pods)), h('td', {}, String(c.jobs)),
      h('td', {}, c.matchedCommit ? h('a', { href: `#/commit/${c.matchedCommit}` }, h('code', {}, c.matchedCommit.slice(0, 12))) : '—'))),
    'No cluster has reported workloads that this key may see.'));
}

/** #/workloads/<cluster>: the cluster's last report. */
export async function clusterPage(main, cluster) {
  const { json: c } = await api(`/clusters/${enc(cluster)}/workloads`);
  const podName = new Map(c.pods.map((p) => [p.id, p.name]));
  fill(main, h('p', { class: 'crumbs' }, h('a', { href: '#/workloads' }, 'Workloads'), ' / '),
    h('h1', {}, 'Cluster ', h('code', { id: 'cluster-name' }, c.cluster)),
    h('p', { class: 'muted' }, `tenant ${c.tenant} · reported ${time(c.reportedAt)}`,
      c.matchedCommit ? [' · matched at ', h('a', { href: `#/commit/${c.matchedCommit}` }, h('code', {}, c.matchedCommit.slice(0, 12)))] : ''),
    h('h2', {}, `Pods (${c.pods.length})`),
    table('pods', ['name', 'namespace', 'status', 'labels', 'id'], c.pods.map((p) => h('tr', { 'data-id': p.id },
      h('td', {}, p.name), h('td', {}, p.namespace), h('td', {}, p.status),
      h('td', {}, Object.entries(p.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ')), h('td', {}, h('code', {}, p.id)))), 'No pods.'),
    h('h2', {}, `Jobs (${c.jobs.length})`),
    table('jobs', ['name', 'namespace', 'priority', 'status', 'pods', 'id'], c.jobs.map((j) => h('tr', { 'data-id': j.id },
      h('td', {}, j.name), h('td', {}, j.namespace), h('td', {}, String(j.priority)), h('td', {}, j.status),
      h('td', {}, j.pods.map((id) => podName.get(id) || id).join(', ')), h('td', {}, h('code', {}, j.id)))), 'No jobs.'));
}

/** On a heartbeat policy's page: the workloads it monitors and the interval that applies to each. */
export async function monitoredWorkloads(section, scope, name) {
  const { json } = await api(`/scopes/${scopeUrl(scope)}/policies/${enc(name)}/workloads?limit=200`);
  section.append(h('p', { id: 'workload-counts' }, `${json.counts.pods} pods, ${json.counts.jobs} jobs, ${json.counts.trackedPods} tracked pods`),
    table('monitored', ['cluster', 'kind', 'name', 'namespace', 'status', 'interval (s)'], json.data.map((w) => h('tr', { 'data-id': w.id, 'data-kind': w.kind },
      h('td', {}, h('a', { href: `#/workloads/${enc(w.cluster)}` }, w.cluster)), h('td', {}, w.kind), h('td', {}, w.name), h('td', {}, w.namespace),
      h('td', {}, w.status), h('td', {}, w.interval == null ? '—' : String(w.interval)))), 'It monitors no reported workload.'),
    json.meta.hasMore ? h('p', { class: 'muted' }, `The first ${json.data.length} of ${json.meta.total}.`) : '');
}
