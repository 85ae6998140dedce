// Drill-down from the district to a commune to a record: loads profiles, lists and details,
// shows them in the sheet with breadcrumbs, outlines and flies to what is selected, and keeps
// the selection (type:id) in the URL state.

import { getJson } from './api.js';
import { pick, t } from './i18n.js';
import { flyToBox, flyToPoint, highlightPoint, highlightUnit } from './mapview.js';
import { listView, profileView, recordView } from './profile.js';
import { bboxOf, detailUrl, layerOfType, learnType, typeOfLayer } from './records.js';
import { commit, state } from './state.js';

export function createDrill({ map, ui, sheet, kindLabel, baseLayer, onRoute = () => {}, recordExtra = () => null }) {
  const cache = new Map(); // URL → Promise of its JSON
  let route = { kind: 'district' };
  let data = null; // what the current route loaded
  let seq = 0;

  const load = (url) => {
    if (!cache.has(url))
      cache.set(
        url,
        getJson(url).catch((error) => {
          cache.delete(url);
          throw error;
        }),
      );
    return cache.get(url);
  };
  const withPeriod = (path) => (state.period ? `${path}?period=${encodeURIComponent(state.period)}` : path);
  const district = () => load(withPeriod('/api/profiles/district/'));
  const unitProfile = (id) => load(withPeriod(`/api/profiles/units/${id}/`));
  const kinds = (value) => kindLabel(value, data?.district);

  /** The commune a record sits in: its unit_id, or its unit code among the district's communes. */
  const unitOf = (props, districtProfile) => {
    if (props?.unit_id) return { id: props.unit_id, name: props.unit_name ?? '' };
    const child = districtProfile?.children?.find((c) => c.code === props?.unit_code);
    return child ? { id: child.id, name: child.name } : null;
  };

  function crumbs() {
    const out = [{ label: t('crumb.district'), go: () => go({ kind: 'district' }, { focus: true }) }];
    const unit =
      route.kind === 'unit'
        ? { id: route.id, name: data?.profile?.unit?.name ?? '' }
        : route.kind === 'record'
          ? unitOf(data?.feature?.properties, data?.district)
          : route.unit;
    if (unit) out.push({ label: unit.name, go: () => go({ kind: 'unit', id: unit.id }, { focus: true }) });
    if (route.kind === 'record' && route.via) out.push({ label: route.via.label(), go: route.via.go });
    if (route.kind === 'list' && route.from) out.push({ label: route.from.label(), go: route.from.go });
    if (route.kind === 'list') out.push({ label: pick(route.list.title) });
    if (route.kind === 'record') out.push({ label: data?.feature?.properties?.name ?? '' });
    return out;
  }

  function render({ focus = false } = {}) {
    if (!data) return;
    const onUnit = (child) => go({ kind: 'unit', id: child.id }, { fly: true, focus: true });
    const onList = (list) =>
      go({ kind: 'list', list, unit: route.kind === 'unit' ? { id: route.id, name: data.profile?.unit?.name } : null }, { focus: true });
    const from = route;
    const via = route.kind === 'list' ? { label: () => pick(from.list.title), go: () => go(from, { focus: true }) } : null;
    const onRecord = (feature) => openRecord(feature, { via, type: from.list?.type });
    let view;
    if (route.kind === 'district' || route.kind === 'unit') {
      view = profileView(data.profile, { onUnit, onList, numbers: route.kind === 'unit' ? (route.numbers ?? []) : [] });
    } else if (route.kind === 'list') {
      view = { heading: pick(route.list.title), sub: route.unit?.name ?? '', content: listView(data.collection, { onRecord, kinds }) };
    } else {
      const unit = unitOf(data.feature.properties, data.district);
      // A facility's lists (its records): a crumb leads back to the facility.
      const record = route;
      const name = data.feature.properties?.name ?? '';
      const from = { label: () => name, go: () => go(record, { focus: true }) };
      const onRecordList = (list) => go({ kind: 'list', list, unit, from }, { focus: true });
      view = recordView(data.feature, {
        type: route.type,
        kinds,
        onUnit: unit ? () => go({ kind: 'unit', id: unit.id }, { fly: true, focus: true }) : null,
        onList: onRecordList,
      });
      // A system's own panel for its records (the staff's report panel), above the facts.
      const extra = recordExtra(route.type, data.feature);
      if (extra) view.content = [extra, view.content];
    }
    sheet.show({ ...view, crumbs: crumbs(), view: route.kind, focus, redraw: () => render() });
    sheet.el.dataset.ready = route.kind === 'district' ? 'district' : `${route.kind}:${route.id ?? route.list?.id ?? ''}`;
  }

  function selection() {
    if (route.kind === 'unit') return { type: 'unit', id: route.id };
    if (route.kind === 'record') return { type: route.type, id: route.id };
    if (route.kind === 'list' && route.unit) return { type: 'unit', id: route.unit.id };
    return null;
  }

  async function fetchRoute() {
    const districtProfile = await district().catch(() => null);
    if (route.kind === 'district') {
      if (!districtProfile) await district(); // rethrow the error
      return { profile: districtProfile, district: districtProfile };
    }
    if (route.kind === 'unit') return { profile: await unitProfile(route.id), district: districtProfile };
    if (route.kind === 'list') return { collection: await load(route.list.href), district: districtProfile };
    const url = route.url ?? detailUrl(route.type, route.id);
    if (!url) throw new Error(t('record.unknownType', { type: route.type }));
    return { feature: route.feature ?? (await load(url)), district: districtProfile };
  }

  async function flyTo() {
    if (route.kind === 'unit') {
      const box = route.bbox ?? bboxOf((await load(`/api/admin-units/${route.id}/`)).geometry);
      if (box) flyToBox(map, ui, box);
    } else if (route.kind === 'record') {
      const point = route.point ?? (data.feature.geometry?.type === 'Point' ? data.feature.geometry.coordinates : null);
      const box = bboxOf(data.feature.geometry);
      if (point) flyToPoint(map, ui, point);
      else if (box) flyToBox(map, ui, box);
    }
  }

  function outline() {
    const unitId = route.kind === 'unit' ? route.id : route.kind === 'list' ? route.unit?.id : null;
    highlightUnit(map, unitId, route.source ?? baseLayer);
    highlightPoint(
      map,
      route.kind === 'record' ? route.id : null,
      route.kind === 'record' ? (route.layer ?? layerOfType(route.type)) : null,
    );
  }

  /**
   * Open a route: {kind: 'district'} | {kind: 'unit', id, bbox?, numbers?, source?} |
   * {kind: 'list', list, unit, from?} | {kind: 'record', type, id, url?, feature?, point?, layer?, via?}
   * (via: the crumb {label(), go} the record was reached through, a list or near me).
   */
  async function go(next, { fly = false, focus = false } = {}) {
    const my = ++seq;
    route = next;
    state.sel = selection();
    onRoute(route);
    commit();
    outline();
    const ticket = sheet.busy();
    try {
      const loaded = await fetchRoute();
      // A newer route, or a tool's view shown meanwhile (the district's profile arriving after
      // the user opened a tool), wins over this one.
      if (my !== seq || sheet.shownSince(ticket)) return;
      data = loaded;
      render({ focus });
      if (fly) await flyTo();
    } catch (error) {
      if (my !== seq || sheet.shownSince(ticket)) return;
      console.error('gisioc:', error);
      data = null;
      sheet.error(error, [{ label: t('crumb.district'), go: () => go({ kind: 'district' }, { focus: true }) }]);
    }
  }

  /** Open a record from a GeoJSON feature (a list's, near me's) or a map feature. */
  function openRecord(feature, { type, layer, via = null, fly = true } = {}) {
    const p = feature.properties ?? {};
    const id = p.id ?? feature.id;
    const recordType = type ?? p.type ?? typeOfLayer(layer ?? p.layer);
    if (p.detail) learnType(recordType, p.detail, id, layer ?? p.layer);
    const point = feature.geometry?.type === 'Point' ? feature.geometry.coordinates : null;
    return go(
      { kind: 'record', type: recordType, id, url: p.detail ?? null, point, layer: layer ?? p.layer ?? null, via },
      { fly, focus: true },
    );
  }

  /** Open what the URL's `sel` names (or the district). */
  function openSel(sel, opts = {}) {
    if (!sel) return go({ kind: 'district' }, opts);
    if (sel.type === 'unit') return go({ kind: 'unit', id: sel.id }, opts);
    return go({ kind: 'record', type: sel.type, id: sel.id }, opts);
  }

  return {
    go,
    openRecord,
    openSel,
    /** Reload the current view for another period (profiles are per period). */
    refresh() {
      if (sheet.el.dataset.view !== route.kind) return undefined; // the sheet shows something else
      if (route.kind === 'district' || route.kind === 'unit') return go(route);
      return undefined;
    },
    /** Forget cached answers (after data changed, e.g. a boundary was published). */
    clear() {
      cache.clear();
    },
    route: () => route,
    data: () => data,
  };
}
