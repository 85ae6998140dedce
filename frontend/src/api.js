// Reads JSON from the gisioc server (REST API, TileJSON, legends). Every request goes to our
// own origin.

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

/** GET a JSON document from our server; ApiError with the server's message on failure. */
export async function getJson(url, { signal } = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(`Không kết nối được máy chủ — cannot reach the server (${error.message})`, { url });
  }
  if (!response.ok) {
    let detail = '';
    try {
      const body = await response.json();
      detail = body.message || body.detail || '';
    } catch {
      // Not JSON: the status line says enough.
    }
    throw new ApiError(detail || `HTTP ${response.status}`, { status: response.status, url });
  }
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
    items.push(...(Array.isArray(body) ? body : body?.results ?? []));
  }
  return items;
}
