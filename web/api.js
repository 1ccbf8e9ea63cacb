// api.js — the one way the UI talks to /api/v1/: JSON in and out, the
// HttpOnly session cookie, the CSRF header on every write, and the display
// of the server's errors ({error: {code, message, field}}) — next to the
// form field the server names, or above the form when it names none.
// Layer: web, shared. Pages never call fetch() themselves.

import { h, clear } from './dom.js';
import { t, serverText } from './i18n.js';

const BASE = '/api/v1';
const CSRF_KEY = 'bangdai.csrf';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || '';
    this.field = field || null;
  }

  // The session is gone (expired, logged out elsewhere, or this tab has no
  // CSRF token): the user must log in again.
  get sessionLost() {
    return this.status === 401 || (this.status === 403 && this.field === 'X-CSRF-Token');
  }
}

export function csrfToken() {
  try {
    return sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

export function setCsrfToken(tok) {
  try {
    if (tok) sessionStorage.setItem(CSRF_KEY, tok);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    /* storage refused: writes will ask to log in again */
  }
}

let onSessionLost = () => {};
// The shell registers what to do when a request finds no session.
export function setSessionLostHandler(fn) {
  onSessionLost = fn;
}

function url(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return `${BASE}${path}${s ? `?${s}` : ''}`;
}

// request(method, path, {query, body}): resolves to the parsed JSON answer
// (or null for an empty one); rejects with ApiError. A lost session calls
// the shell's handler before rejecting.
export async function request(method, path, { query, body } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    const tok = csrfToken();
    if (tok) headers['X-CSRF-Token'] = tok;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url(path, query), init);
  } catch (e) {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code, e.message || t('error.http', { status: res.status }), e.field);
    if (err.sessionLost && path !== '/auth/login') onSessionLost(err);
    throw err;
  }
  return data;
}

// sendFile(path, query, file): POSTs a file's bytes as the body (imports).
// Resolves to {status, data} for a 2xx answer and for 422 (a refused
// commit still carries its report); rejects with ApiError otherwise.
export async function sendFile(path, query, file) {
  const headers = { Accept: 'application/json', 'Content-Type': fileType(file) };
  const tok = csrfToken();
  if (tok) headers['X-CSRF-Token'] = tok;
  let res;
  try {
    res = await fetch(url(path, query), { method: 'POST', headers, body: file, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const ctype = res.headers.get('Content-Type') || '';
  if (res.ok && !ctype.startsWith('application/json')) return { status: res.status, blob: await res.blob() };
  let data = null;
  try {
    data = JSON.parse(await res.text());
  } catch {
    data = null;
  }
  if (res.ok || (res.status === 422 && data && data.report)) return { status: res.status, data };
  const e = (data && data.error) || {};
  const err = new ApiError(res.status, e.code, e.message || t('error.http', { status: res.status }), e.field);
  if (err.sessionLost) onSessionLost(err);
  throw err;
}

// The upload's media type: the server sniffs the bytes, but wants one of
// the sheet types named.
function fileType(file) {
  const n = (file && file.name ? file.name : '').toLowerCase();
  if (n.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return 'text/csv';
}

// The address of a file the server makes (PDFs, exports): plain GETs that
// the session cookie authorises, so a link can download them.
export function fileUrl(path, query) {
  return url(path, query);
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body) => request('POST', path, { body: body ?? {} }),
  patch: (path, body) => request('PATCH', path, { body }),
  put: (path, body) => request('PUT', path, { body }),
  del: (path) => request('DELETE', path),
};

// ---- error display ------------------------------------------------------

// The localised text of an error, for people.
export function errorText(err) {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 429) return t('error.rate_limited');
    return serverText(err.message);
  }
  return String((err && err.message) || err);
}

// clearFormErrors(form): removes every message showFormError put there.
export function clearFormErrors(form) {
  for (const el of form.querySelectorAll('.field.has-error')) {
    el.classList.remove('has-error');
    const msg = el.querySelector('.field-error');
    if (msg) {
      msg.textContent = '';
      msg.hidden = true;
    }
    for (const c of el.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  }
  const top = form.querySelector('.form-alert');
  if (top) {
    clear(top);
    top.hidden = true;
  }
}

// showFormError(form, err): puts the server's message next to the field it
// names (an element .field[data-field=NAME] inside the form, made by
// widgets.field()), and focuses that field; an error without a field, or
// naming one the form does not have, goes to the form's .form-alert. The
// values the user typed are left as they are.
export function showFormError(form, err) {
  clearFormErrors(form);
  const text = errorText(err);
  const name = err instanceof ApiError ? err.field : null;
  const box = name ? form.querySelector(`.field[data-field="${CSS.escape(name)}"]`) : null;
  if (box) {
    box.classList.add('has-error');
    const msg = box.querySelector('.field-error');
    msg.textContent = text;
    msg.hidden = false;
    const input = box.querySelector('input, select, textarea');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    return;
  }
  let top = form.querySelector('.form-alert');
  if (!top) {
    top = h('div', { class: 'form-alert', role: 'alert' });
    form.prepend(top);
  }
  clear(top);
  top.append(text);
  if (name) top.append(h('span', { class: 'muted' }, ` (${name})`));
  top.hidden = false;
}
