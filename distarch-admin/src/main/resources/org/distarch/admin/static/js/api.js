// The page's only way to the master: the documented JSON API (docs/http-api.md), with the session cookie and,
// on every POST, the session's CSRF token.

let csrf = null;

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Where a page that finds itself logged out goes, coming back to the same view afterwards. */
export function toLogin() {
  const next = location.pathname + location.search;
  location.assign('login.html?next=' + encodeURIComponent(next));
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
  } catch (e) {
    throw new ApiError(0, 'the master did not answer (' + e.message + ')', null);
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    const message = (data && (data.error || data.message)) || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, data);
  }
  return data;
}

export const get = path => call('GET', path);
export const post = (path, body) => call('POST', path, body);

/** Who is logged in ({user, role, csrfToken}); remembers the CSRF token for the POSTs. */
export async function session() {
  const s = await get('api/v1/session');
  csrf = s.csrfToken;
  return s;
}

async function startSession(credentials) {
  const s = await post('api/v1/login', credentials);
  csrf = s.csrfToken;
  return s;
}

export const login = (user, password) => startSession({ user, password });

/** The master's access token (from its NAME.admin-token file) or one of admin.tokens, for a session. */
export const loginWithToken = token => startSession({ token });

export const logout = () => post('api/v1/logout', {});

/** Whether the caller's role may do what needs {@code needed}: viewer < operator < admin. */
export function allows(role, needed) {
  const rank = { viewer: 0, operator: 1, admin: 2 };
  return (rank[role] ?? -1) >= rank[needed];
}

/** Which endpoints this master serves (from its OpenAPI document), so the page offers only what exists. */
export async function routes() {
  const doc = await get('api/v1/openapi.json');
  const found = new Set();
  for (const [path, ops] of Object.entries(doc.paths || {})) {
    for (const method of Object.keys(ops)) found.add(method.toUpperCase() + ' ' + path);
  }
  return found;
}
