// Raster layers for GIS officers, in the boundary tool: the layers there are, an upload of a
// GeoTIFF (POST /api/rasters/: checked, made a COG, coloured by kind) and removal. A new
// layer is drawn at once and flown to; the layer panel lists it from the next page load.

import { getJson, postForm } from './api.js';
import { fmtNumber, lang, pick } from './i18n.js';
import { flyToBox } from './mapview.js';
import { h, say } from './ui.js';

const KINDS = ['flood_depth', 'population', 'elevation', 'hazard_class', 'imagery'];
const S = {
  title: ['Lớp raster', 'Raster layers'],
  none: ['Chưa có lớp raster.', 'No raster layers yet.'],
  file: ['Tệp GeoTIFF (.tif), hệ tọa độ bất kỳ (VN-2000 được)', 'GeoTIFF file (.tif), any CRS (VN-2000 too)'],
  kind: ['Loại', 'Kind'],
  name: ['Mã lớp (không bắt buộc)', 'Layer id (optional)'],
  titleVi: ['Tên tiếng Việt', 'Vietnamese title'],
  titleEn: ['Tên tiếng Anh', 'English title'],
  crs: ['Hệ tọa độ nếu tệp không ghi (ví dụ EPSG:5899)', 'CRS if the file names none (e.g. EPSG:5899)'],
  public: ['Công khai cho người dân', 'Public'],
  add: ['Thêm lớp raster', 'Add raster layer'],
  more: ['Tùy chọn khác', 'More options'],
  adding: ['Đang kiểm tra và chuyển sang COG…', 'Checking and writing the COG…'],
  added: ['Đã thêm lớp {n}. Lớp có trong bảng lớp sau khi tải lại trang.', 'Added {n}. It is in the layer panel after a reload.'],
  reload: ['Tải lại trang', 'Reload'],
  remove: ['Xóa', 'Remove'],
  confirm: ['Xóa lớp {n}?', 'Remove layer {n}?'],
  removed: ['Đã xóa lớp {n}.', 'Removed {n}.'],
  cells: ['{w} × {h} ô, {crs}', '{w} × {h} cells, {crs}'],
  staff: ['cán bộ', 'staff'],
  synthetic: ['mô phỏng', 'synthetic'],
  'k.flood_depth': ['Độ sâu ngập', 'Flood depth'],
  'k.population': ['Dân số', 'Population'],
  'k.elevation': ['Độ cao', 'Elevation'],
  'k.hazard_class': ['Cấp nguy cơ', 'Hazard class'],
  'k.imagery': ['Ảnh', 'Imagery'],
};

function rt(key, params = {}) {
  const text = (S[key] ?? [key, key])[lang() === 'en' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (whole, name) => params[name] ?? whole);
}

function field(name, key, control) {
  control.id = `rf-${name}`;
  control.name = name;
  return h('label', { class: 'field', for: control.id }, h('span', {}, rt(key)), control);
}

/** Draw a just-added raster under the thematic layers, before the style lists it. */
function drawNew(map, raster) {
  const id = `gisioc-new-${raster.name}`;
  if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(id)) map.removeSource(id);
  map.addSource(id, { type: 'raster', tiles: [window.location.origin + raster.tiles], tileSize: 256, bounds: raster.bounds });
  const below = map.getStyle().layers.find((l) => l.metadata?.['gisioc:layer'] && l.type !== 'raster');
  map.addLayer({ id, type: 'raster', source: id, paint: { 'raster-opacity': 0.75 } }, below?.id);
}

/** The section: the list and the form; `render()` rebuilds it. */
export function createRasterAdmin({ map, ui }) {
  const el = h('section', { class: 'raster-admin', id: 'raster-admin' });
  let rasters = [];
  let message = null;

  async function load() {
    rasters = (await getJson('/api/rasters/').catch(() => ({ rasters: [] }))).rasters ?? [];
    render();
  }

  async function remove(raster) {
    if (!window.confirm(rt('confirm', { n: raster.name }))) return;
    const form = new FormData();
    form.set('confirm', raster.name); // the name again: the API's confirmation
    const { ok, body } = await postForm(`/api/rasters/${encodeURIComponent(raster.name)}/remove/`, form);
    message = ok ? { text: rt('removed', { n: raster.name }) } : { error: body?.message ?? body?.error };
    const id = `gisioc-new-${raster.name}`;
    if (map.getLayer(id)) map.removeLayer(id);
    await load();
  }

  async function upload(event) {
    event.preventDefault();
    const form = event.target;
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    data.set('public', form.elements.public.checked ? 'true' : 'false');
    for (const [key, value] of [...data.entries()]) if (value === '') data.delete(key);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    message = { text: rt('adding') };
    render(form);
    try {
      const { ok, body } = await postForm('/api/rasters/', data);
      if (ok) {
        message = { text: rt('added', { n: body.name }), added: body };
        drawNew(map, body);
        flyToBox(map, ui, body.bounds);
        say(ui, message.text);
        form.reset();
      } else message = { error: body?.message ?? body?.error };
    } catch (error) {
      message = { error: error.message };
    }
    form.removeAttribute('aria-busy');
    button.disabled = false;
    await load();
  }

  function formView() {
    const kind = h(
      'select',
      { required: true },
      KINDS.map((k) => h('option', { value: k }, rt(`k.${k}`))),
    );
    const form = h(
      'form',
      { class: 'form', id: 'raster-form' },
      field('file', 'file', h('input', { type: 'file', accept: '.tif,.tiff', required: true })),
      field('kind', 'kind', kind),
      h(
        'div',
        { class: 'field-pair' },
        field('title_vi', 'titleVi', h('input', { type: 'text', autocomplete: 'off' })),
        field('title_en', 'titleEn', h('input', { type: 'text', autocomplete: 'off' })),
      ),
      h(
        'details',
        {},
        h('summary', {}, rt('more')),
        field('name', 'name', h('input', { type: 'text', autocomplete: 'off', pattern: '[a-z][a-z0-9-]*' })),
        field('crs', 'crs', h('input', { type: 'text', autocomplete: 'off', placeholder: 'EPSG:5899' })),
      ),
      h(
        'label',
        { class: 'check', for: 'rf-public' },
        h('input', { type: 'checkbox', id: 'rf-public', name: 'public', checked: true }),
        h('span', {}, rt('public')),
      ),
      h('button', { type: 'submit', class: 'primary' }, rt('add')),
    );
    form.addEventListener('submit', upload);
    return form;
  }

  function item(raster) {
    const tags = [rt(`k.${raster.kind}`), raster.public ? null : rt('staff'), raster.synthetic ? rt('synthetic') : null].filter(Boolean);
    const button = h('button', { type: 'button', class: 'link' }, rt('remove'));
    button.addEventListener('click', () => remove(raster));
    return h(
      'li',
      { dataset: { raster: raster.name } },
      h('strong', {}, pick(raster.title)),
      ` · ${tags.join(' · ')} · `,
      rt('cells', { w: fmtNumber(raster.size[0], 'int'), h: fmtNumber(raster.size[1], 'int'), crs: raster.crs }),
      ' ',
      button,
    );
  }

  function render(form = null) {
    const note = message
      ? h('p', { class: message.error ? 'sheet-error' : 'note', role: message.error ? 'alert' : 'status' }, message.error ?? message.text)
      : null;
    const reload = message?.added ? h('button', { type: 'button', class: 'link' }, rt('reload')) : null;
    reload?.addEventListener('click', () => window.location.reload());
    el.replaceChildren(
      h('h3', {}, rt('title')),
      note, // first: the form may reach below the fold
      reload,
      rasters.length ? h('ul', { class: 'raster-list' }, rasters.map(item)) : h('p', { class: 'note' }, rt('none')),
      form ?? formView(),
    );
  }

  render();
  load();
  return { el, render: () => render() };
}
