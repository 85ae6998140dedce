// Talks to the gisioc server (REST API, TileJSON, legends, files). Every request goes to our
// own origin and asks for the page's language, so the server's messages come in it.

import { lang } from './i18n.js';

const PAGE_SIZE = 5000;

/** A failed API call; `message` is what the user sees (the server's own message if any). */
export class ApiError extends Error {
  constructor(message, { status = 0, url = '' } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.url = url;
  }
}

function withParams(path, params) {
  const url = new URL(path, window.location.href);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  return url;
}

/** A `next` link, kept on our origin whatever host the server wrote into it. */
function sameOrigin(link) {
  const url = new URL(link, window.location.href);
  return new URL(url.pathname + url.search, window.location.href);
}

/** The ApiError of a failed answer: the server's message when it sent one, else the status. */
async function failure(response, url) {
  let detail = '';
  try {
    const body = await response.json();
    detail = body.message || body.detail || '';
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiError(detail || `HTTP ${response.status}`, { status: response.status, url });
}

/** GET a JSON document from our server; ApiError with the server's message on failure. */
export async function getJson(url, { signal } = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json', 'Accept-Language': lang() }, credentials: 'same-origin', signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(`Không kết nối được máy chủ — cannot reach the server (${error.message})`, { url });
  }
  if (!response.ok) throw await failure(response, url);
  return response.json();
}

/** Pages of a list endpoint: DRF's {count, next, results} or a bare body. */
async function* pages(path, params) {
  let url = withParams(path, { limit: PAGE_SIZE, ...params });
  while (url) {
    const body = await getJson(url);
    yield body;
    url = body && body.next ? sameOrigin(body.next) : null;
  }
}

/** All items of a plain list endpoint, following pagination. */
export async function fetchList(path, params = {}) {
  const items = [];
  for await (const body of pages(path, params)) {
    items.push(...(Array.isArray(body) ? body : (body?.results ?? [])));
  }
  return items;
}

/** Django's CSRF token, from its cookie (session-authenticated writes must send it). */
export function csrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='));
  return match ? decodeURIComponent(match.slice('csrftoken='.length)) : '';
}

/**
 * POST a form (multipart) or nothing to our server; resolves {status, body} for any answer
 * with a JSON body (a 422 report is an answer, not an error), ApiError otherwise.
 */
export async function postForm(url, form = null) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': lang(), 'X-CSRFToken': csrfToken() },
    });
  } catch (error) {
    throw new ApiError(`Không kết nối được máy chủ — cannot reach the server (${error.message})`, { url });
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page, an empty 204).
  }
  if (!response.ok && !body) throw new ApiError(`HTTP ${response.status}`, { status: response.status, url });
  return { status: response.status, ok: response.ok, body };
}

/** GET a file from our server as a Blob, with the name its Content-Disposition gives. */
export async function getBlob(url) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': lang() } });
  if (!response.ok) throw await failure(response, url);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  return { blob: await response.blob(), name: name ? decodeURIComponent(name) : null };
}

/** Have the browser save a Blob under a name (an anchor with the download attribute). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
