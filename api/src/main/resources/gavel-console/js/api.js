// The only way the console talks to the server: /api/v1 with the key as a bearer header.
const KEY = 'gavel.key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (k) => sessionStorage.setItem(KEY, k),
  clear: () => sessionStorage.removeItem(KEY),
  me: null,
  canWrite: () => session.me && (session.me.role === 'editor' || session.me.role === 'admin'),
  isAdmin: () => session.me && session.me.role === 'admin',
};

/** A problem+json answer as an Error: status, detail and the field errors. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** Calls /api/v1 + path. opts: {method, body (string or object), type, headers, raw}. */
export async function api(path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  const key = session.key();
  if (key) headers.Authorization = `Bearer ${key}`;
  let body = opts.body;
  if (body !== undefined && typeof body !== 'string') {
    body = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    headers['Content-Type'] = opts.type || 'application/yaml';
  }
  const r = await fetch(`/api/v1${path}`, { method: opts.method || 'GET', headers, body, cache: 'no-store', credentials: 'omit' });
  if (opts.raw) return r;
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) {
    if (r.status === 401) window.dispatchEvent(new Event('gavel:signed-out'));
    throw new ApiError(r.status, json);
  }
  return { json, etag: r.headers.get('ETag'), status: r.status };
}
