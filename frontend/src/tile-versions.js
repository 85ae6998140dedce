// Tile URLs name their layer's data version (`v`, as style.json gives it). A cache in front of
// the server (nginx, deploy/nginx) keeps each such URL's tiles for good, so after a change the
// map must ask for the new version's URLs: asking the same URL again would get the kept tiles.
//
//   versioned(id, url)            the URL with the newest version the app knows of the source
//   sourcesRefresh(map, ids)      learn the versions anew, then fetch those sources' tiles again

const current = new Map(); // source id → the newest data version heard of
const queued = new Set();
let running = null;

/** Note every source's version from a style.json body. */
export function versionsLearn(style) {
  for (const [id, source] of Object.entries(style?.sources ?? {})) {
    const url = source?.tiles?.[0];
    const query = typeof url === 'string' ? url.split('?')[1] : undefined;
    const v = query ? new URLSearchParams(query).get('v') : null;
    if (v) current.set(id, v);
  }
}

/** The tile URL (template) with `v` set to the source's newest known version. */
export function versioned(id, url) {
  const v = current.get(id);
  if (!v || typeof url !== 'string') return url;
  const [base, search = ''] = url.split('?');
  const query = new URLSearchParams(search);
  if (!query.has('v')) return url; // not a versioned source (a raster, the basemap)
  query.delete('v');
  query.set('v', v); // last, as withQuery keeps it
  return `${base}?${query.toString()}`;
}

async function styleFetched() {
  const { getJson } = await import('./api.js');
  return getJson('/tiles/style.json');
}

async function drain(map, load) {
  while (queued.size) {
    const ids = [...queued]; // asked before this fetch began: it sees their changes
    queued.clear();
    try {
      versionsLearn(await load());
    } catch {
      // Unreachable for now: the same URLs again (the server still answers the current data).
    }
    for (const id of ids) {
      const source = map.getSource(id);
      if (source?.tiles && typeof source.setTiles === 'function') {
        source.setTiles(source.tiles.map((url) => versioned(id, url)));
      }
    }
  }
  running = null;
}

/** Fetch the sources' tiles again at their layers' current versions (one style.json for all). */
export function sourcesRefresh(map, ids, load = styleFetched) {
  for (const id of ids) queued.add(id);
  running ??= Promise.resolve().then(() => drain(map, load)); // asks made at once: one fetch
  return running;
}
