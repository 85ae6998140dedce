// Boundary work for those /api/me/ says can import boundaries (the style has the drafts layer,
// the one whose purpose is 'drafts', only for them):
// upload a file (POST /api/boundary-versions/import/), read the validation report, see the
// draft over the version in force with new and changed units filled, then publish it.

import { fetchList, getJson, postForm } from './api.js';
import { fmtNumber, hasString, pick, t } from './i18n.js';
import { flyToBox } from './mapview.js';
import { createRasterAdmin } from './rasters-admin.js';
import { sourcesRefresh } from './tile-versions.js';
import { applyStrings, h, say } from './ui.js';

const CHANGE_FILL = 'gisioc-draft-change';
const CHANGE_COLOURS = { new: '#E69F00', changed: '#56B4E9' }; // Okabe–Ito orange and sky blue
const ENCODINGS = ['', 'utf-8', 'cp1258', 'windows-1252', 'latin1'];

/** A fill over the drafts' new and changed units, drawn as part of the drafts layer. */
export function addChangeLayer(map, drafts) {
  if (!map.getSource(drafts) || map.getLayer(CHANGE_FILL)) return;
  const first = map.getStyle().layers.find((l) => l.metadata?.['gisioc:layer'] === drafts);
  map.addLayer(
    {
      id: CHANGE_FILL,
      type: 'fill',
      source: drafts,
      'source-layer': drafts,
      metadata: { 'gisioc:layer': drafts },
      filter: ['match', ['get', 'change'], ['new', 'changed'], true, false],
      layout: { visibility: first ? (map.getLayoutProperty(first.id, 'visibility') ?? 'visible') : 'none' },
      paint: { 'fill-color': ['match', ['get', 'change'], 'new', CHANGE_COLOURS.new, CHANGE_COLOURS.changed], 'fill-opacity': 0.45 },
    },
    first?.id,
  );
}

function field(name, key, attrs = {}) {
  const input = h('input', { id: `bf-${name}`, name, ...attrs });
  return { input, wrap: h('label', { class: 'field', for: input.id }, h('span', { 'data-t': key }, t(key)), input) };
}

const UNITS_OPEN = 100; // longer lists start folded

/** The string of `key`, or `fallback` when there is none. */
function label(key, fallback) {
  return hasString(key) ? t(key) : (fallback ?? '');
}

/** A table of the report: its columns' heads by string key, then its rows. */
function reportTable(className, caption, heads, rows) {
  return h(
    'table',
    { class: `table ${className}` },
    caption ? h('caption', {}, caption) : null,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        heads.map((k) => h('th', { scope: 'col' }, t(k))),
      ),
    ),
    h('tbody', {}, rows),
  );
}

function unitChange(u) {
  const what = [
    u.name_changed ? t('bf.nameWas', { name: u.previous_name ?? '' }) : null,
    u.geometry_changed ? t('bf.geometryChanged') : null,
  ];
  const detail = what.filter(Boolean).join('; ');
  return `${label(`bf.unitChange.${u.change}`, u.change)}${detail ? ` (${detail})` : ''}`;
}

/** Every unit the file held: code, name as decoded, measured and declared km², what changed. */
function unitsView(report) {
  const units = report.units ?? [];
  if (!units.length) return null;
  const counts = Object.entries(report.changes ?? {})
    .map(([k, n]) => `${label(`bf.unitChange.${k}`, k)} ${fmtNumber(n, 'int')}`)
    .join(' · ');
  const against = (report.compared_with ?? []).join(', ') || '–';
  const km2 = (v) => (v === null || v === undefined ? '' : fmtNumber(v, 'decimal'));
  const declared = units.some((u) => u.declared_area_km2 !== null && u.declared_area_km2 !== undefined);
  return h(
    'details',
    { class: 'units', id: 'boundary-units', open: units.length <= UNITS_OPEN },
    h('summary', {}, t('bf.units', { n: fmtNumber(units.length, 'int'), counts, against })),
    reportTable(
      'units',
      null,
      ['bf.row', 'bf.code', 'bf.unitName', 'bf.areaKm2', declared ? 'bf.declaredKm2' : null, 'bf.change'].filter(Boolean),
      units.map((u) =>
        h(
          'tr',
          { dataset: { code: u.code ?? '', change: u.change ?? '' } },
          h('td', { class: 'num' }, u.row),
          h('td', {}, u.code ?? ''),
          h('td', {}, u.name ?? ''),
          h('td', { class: 'num' }, km2(u.area_km2)),
          declared ? h('td', { class: 'num' }, km2(u.declared_area_km2)) : null,
          h('td', {}, unitChange(u)),
        ),
      ),
    ),
  );
}

function reportView(report) {
  const summary = report.summary ?? {};
  const area = (m2) => `${fmtNumber(m2, 'int')} m²`;
  const rows = [
    [t('bf.file'), report.file],
    [t('bf.driver'), report.driver],
    [t('bf.crs'), report.source_crs],
    [t('bf.encoding'), report.encoding],
    [t('bf.features'), fmtNumber(report.features, 'int')],
    [t('bf.errors'), fmtNumber(report.errors, 'int')],
    [t('bf.warnings'), fmtNumber(report.warnings, 'int')],
    ...Object.entries(summary).map(([key, s]) => [
      label(`bf.summary.${key}`, key),
      s && typeof s === 'object' ? `${fmtNumber(s.count, 'int')} · ${area(s.total_m2)}` : String(s),
    ]),
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  const findings = report.findings ?? [];
  return h(
    'div',
    { class: 'report', id: 'boundary-report', dataset: { errors: String(report.errors ?? 0), warnings: String(report.warnings ?? 0) } },
    h('h3', {}, t('bf.report')),
    h(
      'dl',
      { class: 'facts' },
      rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    unitsView(report),
    findings.length
      ? reportTable(
          'findings',
          t('bf.findings', { n: fmtNumber(findings.length, 'int') }),
          ['bf.severity', 'bf.check', 'bf.message', 'bf.row', 'bf.code', 'bf.area'],
          findings.map((f) =>
            h(
              'tr',
              { class: `sev-${f.severity}`, dataset: { severity: f.severity, check: f.check } },
              h('td', {}, label(`bf.sev.${f.severity}`, f.severity)),
              h('td', {}, f.check),
              h('td', {}, pick({ vi: f.vi, en: f.en })),
              h('td', { class: 'num' }, f.row ?? ''),
              h('td', {}, f.code ?? ''),
              h('td', { class: 'num' }, f.area_m2 ? area(f.area_m2) : ''),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('bf.noFindings')),
  );
}

/** The boundary tool; `drafts` is the id of the drafts layer. */
export function createBoundaryWork({ map, ui, sheet, panel, drill, drafts }) {
  let result = null; // {version, report, error}
  let published = null;
  let confirming = false;
  const form = h('form', { id: 'boundary-form', class: 'form', novalidate: false });
  const rasterAdmin = createRasterAdmin({ map, ui }); // raster layers: the same officer's work

  function buildForm() {
    const file = field('file', 'bf.fileInput', { type: 'file', accept: '.geojson,.json,.zip,.gpkg,.shp', required: true });
    const name = field('name', 'bf.name', { type: 'text', required: true, autocomplete: 'off' });
    const validFrom = field('valid_from', 'bf.validFrom', { type: 'date', required: true });
    const codeField = field('code_field', 'bf.codeField', { type: 'text', placeholder: 'ma_xa', autocomplete: 'off' });
    const nameField = field('name_field', 'bf.nameField', { type: 'text', placeholder: 'ten_xa', autocomplete: 'off' });
    const encoding = h(
      'select',
      { id: 'bf-encoding', name: 'encoding' },
      ENCODINGS.map((e) => h('option', { value: e, 'data-t': e ? null : 'bf.auto' }, e || t('bf.auto'))),
    );
    const slug = field('slug', 'bf.slug', { type: 'text', autocomplete: 'off', pattern: '[a-z0-9-]+' });
    const areaField = field('area_field', 'bf.areaField', { type: 'text', autocomplete: 'off' });
    const crs = field('crs', 'bf.crsInput', { type: 'text', placeholder: 'EPSG:4326', autocomplete: 'off' });
    const dry = h('input', { type: 'checkbox', id: 'bf-dry_run', name: 'dry_run', checked: true });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'bf-submit', 'data-t': 'bf.submit' }, t('bf.submit'));
    form.replaceChildren(
      file.wrap,
      name.wrap,
      validFrom.wrap,
      h('div', { class: 'field-pair' }, codeField.wrap, nameField.wrap),
      h('label', { class: 'field', for: 'bf-encoding' }, h('span', { 'data-t': 'bf.encodingInput' }, t('bf.encodingInput')), encoding),
      h('details', {}, h('summary', { 'data-t': 'bf.more' }, t('bf.more')), slug.wrap, areaField.wrap, crs.wrap),
      h('label', { class: 'check', for: 'bf-dry_run' }, dry, h('span', { 'data-t': 'bf.dryRun' }, t('bf.dryRun'))),
      submit,
    );
  }

  async function upload(event) {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    data.set('dry_run', form.elements.dry_run.checked ? 'true' : 'false');
    for (const [key, value] of [...data.entries()]) if (value === '') data.delete(key);
    form.setAttribute('aria-busy', 'true');
    form.querySelector('#bf-submit').disabled = true;
    try {
      const { ok, body } = await postForm('/api/boundary-versions/import/', data);
      result = ok
        ? { version: body.version, report: body.report }
        : {
            error: body.message ?? body.error,
            report: body.details && typeof body.details === 'object' && 'findings' in body.details ? body.details : null,
          };
      published = null;
      if (result.version) await showDraft(result.version);
    } catch (error) {
      result = { error: error.message };
    } finally {
      form.removeAttribute('aria-busy');
      form.querySelector('#bf-submit').disabled = false;
      show({ keepForm: true });
      sheet.el.querySelector('#boundary-result')?.focus();
    }
  }

  async function refreshVersions() {
    const versions = await fetchList('/api/boundary-versions/');
    panel.setVersions(versions);
    return versions;
  }

  async function showDraft(slug) {
    await refreshVersions();
    const entry = panel.entries.get(drafts);
    if (!entry) return;
    entry.setFilter('version', slug);
    entry.setVisible(true);
    const { bounds } = await getJson(`/tiles/${drafts}.json?version=${encodeURIComponent(slug)}`).catch(() => ({}));
    if (Array.isArray(bounds) && bounds.length === 4 && bounds[2] - bounds[0] < 359) flyToBox(map, ui, bounds);
  }

  async function publish() {
    const slug = result?.version;
    if (!slug) return;
    const { ok, body } = await postForm(`/api/boundary-versions/${encodeURIComponent(slug)}/publish/`);
    if (!ok) {
      say(ui, body?.message ?? t('bf.publishFailed'));
      return;
    }
    published = body;
    confirming = false;
    panel.entries.get(drafts)?.setVisible(false);
    await refreshVersions();
    // Publishing closes a version and re-locates records: every layer may draw otherwise now.
    sourcesRefresh(
      map,
      Object.keys(map.getStyle().sources).filter((s) => s !== drafts),
    ); // at every layer's new data version
    drill.clear();
    show({ keepForm: true });
    sheet.el.querySelector('.published')?.focus();
    say(ui, t('bf.published', { version: slug }));
  }

  function resultView() {
    if (!result) return null;
    const out = h('div', { id: 'boundary-result', tabindex: '-1', class: 'boundary-result' });
    if (result.error) out.append(h('p', { class: 'sheet-error', role: 'alert' }, result.error));
    if (result.report) out.append(reportView(result.report));
    if (result.version && !published) {
      const legend = h(
        'ul',
        { class: 'legend' },
        ['new', 'changed'].map((c) =>
          h(
            'li',
            {},
            h('span', { class: 'key-box', style: `background:${CHANGE_COLOURS[c]}`, 'aria-hidden': 'true' }),
            t(`bf.change.${c}`),
          ),
        ),
      );
      const button = h('button', { type: 'button', class: 'primary', id: 'bf-publish' }, confirming ? t('bf.confirm') : t('bf.publish'));
      button.addEventListener('click', () => {
        if (confirming) {
          button.disabled = true;
          publish();
          return;
        }
        confirming = true;
        show({ keepForm: true });
        sheet.el.querySelector('#bf-publish')?.focus();
      });
      const cancel = confirming ? h('button', { type: 'button', id: 'bf-cancel' }, t('bf.cancel')) : null;
      cancel?.addEventListener('click', () => {
        confirming = false;
        show({ keepForm: true });
      });
      out.append(
        h(
          'div',
          { class: 'draft', dataset: { version: result.version } },
          h('p', {}, t('bf.draftShown', { version: result.version })),
          legend,
          confirming ? h('p', { class: 'note' }, t('bf.confirmText')) : null,
          h('div', { class: 'actions' }, button, cancel),
        ),
      );
    }
    if (published) {
      out.append(
        h(
          'div',
          { class: 'published', tabindex: '-1', dataset: { version: published.version } },
          h('p', { role: 'status' }, t('bf.published', { version: published.version })),
          published.closed?.length ? h('p', {}, t('bf.closed', { versions: published.closed.join(', ') })) : null,
          published.relocated
            ? h(
                'p',
                {},
                t('bf.relocated', {
                  n: fmtNumber(
                    Object.values(published.relocated).reduce((a, b) => a + (Number(b) || 0), 0),
                    'int',
                  ),
                }),
              )
            : null,
        ),
      );
    }
    return out;
  }

  function show({ keepForm = false, focus = false } = {}) {
    if (!keepForm || !form.childElementCount) buildForm();
    sheet.show({
      crumbs: [{ label: t('crumb.district'), go: () => drill.go({ kind: 'district' }, { focus: true }) }, { label: t('bf.title') }],
      heading: t('bf.title'),
      sub: t('bf.sub'),
      content: [form, resultView(), rasterAdmin.el],
      view: 'boundary',
      focus,
      redraw: () => {
        applyStrings(form);
        rasterAdmin.render();
        show({ keepForm: true });
      },
    });
    sheet.el.dataset.ready = 'boundary';
  }

  form.addEventListener('submit', upload);
  addChangeLayer(map, drafts);
  ui.tools.boundary.hidden = false;
  ui.tools.boundary.addEventListener('click', () => show({ focus: true }));
  return { show };
}
