// Calls to the public feedback API: JSON in, our one error body out ({message, vi, en}).

import { lang, t } from './i18n.js';

export const API = '/api/feedback/';

/** An answer that is not a success, with the server's message in both languages. */
export class ApiError extends Error {
  constructor(body, status) {
    super(body?.message ?? `HTTP ${status}`);
    this.body = body;
    this.status = status;
  }

  /** The message in the current language. */
  text() {
    if (!this.body) return this.status ? `HTTP ${this.status}` : t('error.network');
    return (lang() === 'en' ? this.body.en : this.body.vi) ?? this.message;
  }
}

/** Django's CSRF token, from its cookie (every public write sends it). */
export function csrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='));
  return match ? decodeURIComponent(match.slice('csrftoken='.length)) : '';
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON.
  }
  if (!response.ok) throw new ApiError(body, response.status);
  return body;
}

/** GET JSON from a path under the API (or an absolute path). */
export async function getJson(path, params = {}) {
  const url = new URL(path.startsWith('/') ? path : API + path, window.location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) url.searchParams.set(k, v);
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json', 'Accept-Language': lang() } });
  } catch {
    throw new ApiError(null, 0);
  }
  return answer(response);
}

/** POST a FormData or an object (as JSON) to a path under the API. */
export async function post(path, body) {
  const form = body instanceof FormData;
  let response;
  try {
    response = await fetch(API + path, {
      method: 'POST',
      body: form ? body : JSON.stringify(body),
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': lang(),
        'X-CSRFToken': csrfToken(),
        ...(form ? {} : { 'Content-Type': 'application/json' }),
      },
    });
  } catch {
    throw new ApiError(null, 0);
  }
  return answer(response);
}

/** Make an element: h('p', {class: 'x'}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}
