// "Tiếp nhận 1022": the operator's form for a call (or a message typed in from Zalo, Facebook,
// e-mail, the chatbot). The place is a pin on the map (put at the map's centre, dragged to
// adjust) or an address the server geocodes to its commune. POST /api/feedback/hotline/.

import maplibregl from 'maplibre-gl';

import { getJson, postForm } from './api.js';
import { pick } from './i18n.js';
import { ft } from './feedback-strings.js';
import { h } from './ui.js';

const CHANNELS = ['hotline', 'zalo', 'facebook', 'email', 'chatbot'];

/** Now as a datetime-local value in Vietnam's time (the server reads it as Vietnam's). */
function nowLocal() {
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }).format(
    new Date(),
  );
  return parts.replace(' ', 'T');
}

const field = (label, control) => h('label', { class: 'field' }, h('span', {}, label), control);

/** The form; `onDone(report)` opens the new report. `hide()` takes the pin off the map. */
export function hotlineView({ map, onDone }) {
  let pin = null;
  const lon = h('input', { type: 'hidden', name: 'lon' });
  const lat = h('input', { type: 'hidden', name: 'lat' });
  const where = h('span', { class: 'muted', id: 'fb-pin-coords' });

  const setPin = (lngLat) => {
    lon.value = lngLat.lng.toFixed(6);
    lat.value = lngLat.lat.toFixed(6);
    where.textContent = `${lngLat.lat.toFixed(5)}, ${lngLat.lng.toFixed(5)}`;
  };
  const pinHere = () => {
    const centre = map.getCenter();
    if (!pin) {
      pin = new maplibregl.Marker({ draggable: true, color: '#c2410c' });
      pin.on('dragend', () => setPin(pin.getLngLat()));
    }
    pin.setLngLat(centre).addTo(map);
    setPin(centre);
  };
  const unpin = () => {
    pin?.remove();
    lon.value = '';
    lat.value = '';
    where.textContent = '';
  };

  const category = h('select', { name: 'category', required: true, id: 'fb-hot-category' });
  getJson('/api/feedback/categories/')
    .then((body) => {
      const list = Array.isArray(body) ? body : (body.results ?? []);
      category.replaceChildren(...list.map((c) => h('option', { value: c.code }, pick(c.title))));
    })
    .catch(() => {});
  const channel = h(
    'select',
    { name: 'channel', id: 'fb-hot-channel' },
    CHANNELS.map((c) => h('option', { value: c }, ft(`ch.${c}`))),
  );
  const callAt = h('input', { type: 'datetime-local', name: 'call_at', id: 'fb-hot-call-at', value: nowLocal() });
  const callField = field(ft('hot.callAt'), callAt);
  channel.addEventListener('change', () => {
    callField.hidden = channel.value !== 'hotline';
  });
  const pinButton = h('button', { type: 'button', id: 'fb-hot-pin' }, ft('hot.pinHere'));
  const clearButton = h('button', { type: 'button', id: 'fb-hot-unpin' }, '×');
  pinButton.addEventListener('click', pinHere);
  clearButton.addEventListener('click', unpin);
  const submit = h('button', { type: 'submit', class: 'primary', id: 'fb-hot-submit' }, ft('hot.submit'));
  const message = h('p', { id: 'fb-hot-message', role: 'status', class: 'muted' });
  const anonymous = h('input', { type: 'checkbox', name: 'anonymous', value: 'true', checked: true });

  const form = h(
    'form',
    { class: 'form fb-form', id: 'fb-hotline-form', 'data-testid': 'fb-hotline-form' },
    h('div', { class: 'field-pair' }, field(ft('hot.channel'), channel), callField),
    field(
      ft('hot.phone'),
      h('input', { name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'off', maxlength: '20', id: 'fb-hot-phone' }),
    ),
    field(ft('hot.name'), h('input', { name: 'name', autocomplete: 'off', maxlength: '120', id: 'fb-hot-name' })),
    field(ft('hot.category'), category),
    field(ft('hot.title'), h('input', { name: 'title', maxlength: '200' })),
    field(ft('hot.description'), h('textarea', { name: 'description', required: true, rows: '4', id: 'fb-hot-description' })),
    h(
      'fieldset',
      { class: 'fb-place' },
      h('legend', {}, ft('hot.place')),
      h('div', { class: 'actions' }, pinButton, clearButton),
      where,
      lon,
      lat,
    ),
    field(ft('hot.address'), h('input', { name: 'address', maxlength: '300', id: 'fb-hot-address' })),
    h('label', { class: 'check' }, anonymous, ft('hot.anonymous')),
    h('div', { class: 'actions' }, submit),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    message.textContent = '';
    const data = new FormData(form);
    if (!anonymous.checked) data.set('anonymous', 'false');
    if (channel.value !== 'hotline') data.delete('call_at');
    try {
      const { ok, body } = await postForm('/api/feedback/hotline/', data);
      if (!ok) throw new Error(body?.message ?? 'HTTP error');
      message.textContent = ft('hot.done', { t: body.ticket });
      form.dataset.ticket = body.ticket;
      form.reset();
      callAt.value = nowLocal();
      unpin();
      onDone(body);
    } catch (error) {
      message.textContent = error.message;
      message.setAttribute('role', 'alert');
    } finally {
      submit.disabled = false;
    }
  });
  return { el: form, hide: () => pin?.remove() };
}
