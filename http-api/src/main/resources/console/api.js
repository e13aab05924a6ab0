// Talks to the node's API. The access token lives in this module's memory only: never in a URL,
// never in localStorage or sessionStorage, and it is gone when the page is closed. A signed-in
// session survives a reload through the HttpOnly refresh cookie, which scripts cannot read.

let session = null; // {token, account: {id, email, name, role}, roles: [...], expiresAt}
const listeners = new Set();

/** A problem document the API answered (or a network failure), as an Error. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The request failed (HTTP ${status}).`);
    this.status = status;
    this.problem = problem || {};
  }
  get code() { return this.problem.code; }
  get fieldErrors() { return Array.isArray(this.problem.errors) ? this.problem.errors : []; }
}

export function current() { return session; }
export function onSessionChange(fn) { listeners.add(fn); }
function changed() { for (const fn of listeners) fn(session); }

function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch (e) {
    return null;
  }
}

function setSession(token, account) {
  const c = claims(token) || {};
  const roles = Array.isArray(c.roles) ? c.roles : account?.role ? [account.role] : [];
  session = {
    token,
    account: account || { id: c.sub, email: c.email, name: c.name || c.sub, role: roles[0] },
    roles,
    sub: c.sub || account?.id,
    expiresAt: c.exp ? new Date(c.exp * 1000) : null,
  };
  changed();
}

export function hasRole(role) { return !!session && session.roles.includes(role); }

/** Uses a token someone minted (./hearth token, or an identity provider's), kept in memory. */
export function useToken(token) {
  const t = token.trim();
  const c = claims(t);
  if (!c || !c.sub) throw new ApiError(400, { detail: 'That is not a token: paste the whole JWT that ./hearth token printed.', errors: [{ field: 'token', message: 'is not a JSON Web Token' }] });
  setSession(t, null);
}

export async function signIn(email, password) {
  const r = await call('POST', '/v1/sessions', { email, password }, { auth: false });
  setSession(r.accessToken, r.account);
  return r;
}

export async function signUp(fields) {
  return call('POST', '/v1/accounts', fields, { auth: false });
}

/** Restores a session from the refresh cookie; false when there is none. */
export async function restore() {
  try {
    const r = await call('POST', '/v1/sessions/refresh', undefined, { auth: false, quiet: true });
    if (r && r.accessToken) { setSession(r.accessToken, r.account); return true; }
  } catch (e) { /* no cookie, no accounts on this node, or it expired: signed out */ }
  return false;
}

export async function signOut() {
  const had = session;
  session = null;
  changed();
  if (had && had.account && had.account.email) {
    try { await call('POST', '/v1/sessions/sign-out', undefined, { auth: false, quiet: true }); } catch (e) { /* already gone */ }
  }
}

/**
 * One request. JSON bodies are sent as JSON, FormData as multipart. Answers the parsed body (or
 * text for CSV); throws ApiError with the problem document otherwise.
 */
export async function call(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json, application/problem+json, text/csv' };
  const token = opts.token || session?.token;
  if (opts.auth !== false || opts.token) {
    if (!token) throw new ApiError(401, { detail: 'Sign in first.' });
    headers.Authorization = `Bearer ${token}`;
  }
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  Object.assign(headers, opts.headers || {});
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch (e) {
    throw new ApiError(0, { detail: 'The node did not answer. Check that it is running and try again.' });
  }
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (res.status !== 204) {
    const text = await res.text();
    if (type.includes('json') && text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
    else data = text;
  }
  if (!res.ok) {
    if (res.status === 401 && opts.auth !== false && session && session.token === token) {
      session = null; changed();
    }
    throw new ApiError(res.status, data && typeof data === 'object' ? data : { detail: humanStatus(res.status) });
  }
  if (opts.withHeaders) return { data, headers: res.headers };
  return data;
}

/**
 * A file the API serves only with a token (a document's upload): fetched with it, answered as a
 * Blob with its type and file name, so the page can show it through a blob: URL.
 */
export async function file(path) {
  const token = session?.token;
  if (!token) throw new ApiError(401, { detail: 'Sign in first.' });
  let res;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch (e) {
    throw new ApiError(0, { detail: 'The node did not answer. Check that it is running and try again.' });
  }
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch (e) { /* not a problem document */ }
    throw new ApiError(res.status, problem || { detail: humanStatus(res.status) });
  }
  const disposition = res.headers.get('Content-Disposition') || '';
  const name = (disposition.match(/filename="?([^";]+)"?/) || [])[1] || null;
  return { blob: await res.blob(), type: (res.headers.get('Content-Type') || '').split(';')[0].trim(), name };
}

function humanStatus(status) {
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests: wait a moment and try again.';
  if (status >= 500) return 'The node could not answer just now; try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

export const get = (p, o) => call('GET', p, undefined, o);
export const post = (p, b, o) => call('POST', p, b, o);
export const put = (p, b, o) => call('PUT', p, b, o);
export const patch = (p, b, o) => call('PATCH', p, b, o);
