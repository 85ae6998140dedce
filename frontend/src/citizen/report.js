// The report form: category cards, description, place (my location, a pin, an address), photos
// and a video with previews, the reporter, "is it one of these?" nearby, the check question,
// and the receipt with the ticket and the tracking link.

import { ApiError, getJson, h, post } from './api.js';
import { createMap, maplibregl } from './basemap.js';
import { day, onLang, pick, t } from './i18n.js';

const MAX_PHOTOS = 5;
const $ = (id) => document.getElementById(id);

export function initReport() {
  const state = { categories: [], point: null, unit: null, challenge: null, nearby: [], marker: null };
  const form = $('report-form');
  const error = (message) => {
    $('form-error').textContent = message || '';
    $('form-error').hidden = !message;
  };

  // Categories.
  const drawCategories = () => {
    const chosen = form.elements.category?.value;
    $('category').replaceChildren(
      ...state.categories.map((c) =>
        h(
          'label',
          { class: 'c-card', for: `category-${c.code}`, 'data-testid': `category-${c.code}` },
          h('input', { type: 'radio', name: 'category', id: `category-${c.code}`, value: c.code, checked: c.code === chosen }),
          h('strong', {}, pick(c.title)),
          h('span', { class: 'c-hint' }, pick(c.description)),
        ),
      ),
    );
  };
  getJson('categories/').then(
    (list) => {
      state.categories = list;
      drawCategories();
    },
    (e) => error(e instanceof ApiError ? e.text() : String(e)),
  );
  $('category').addEventListener('change', () => refreshNearby());

  // The check question.
  const newChallenge = async () => {
    try {
      state.challenge = await getJson('challenge/');
      $('challenge-question').textContent = pick(state.challenge.question);
      $('challenge-answer').value = '';
    } catch (e) {
      error(e.text());
    }
  };
  $('challenge-new').addEventListener('click', newChallenge);
  newChallenge();

  // The place.
  const map = createMap($('place-map'), { zoom: 11 });
  const setPoint = (lon, lat, fly = false) => {
    state.point = [lon, lat];
    if (!state.marker) state.marker = new maplibregl.Marker({ color: '#c0392b' });
    state.marker.setLngLat(state.point).addTo(map);
    if (fly) map.easeTo({ center: state.point, zoom: Math.max(map.getZoom(), 16) });
    $('place-status').textContent = t('report.located', { place: `${lat.toFixed(5)}, ${lon.toFixed(5)}` });
    getJson('/api/geocode/', { lon, lat }).then(
      (found) => {
        if (found.unit_name) $('place-status').textContent = t('report.located', { place: found.unit_name });
      },
      () => {},
    );
    refreshNearby();
  };
  map.on('click', (event) => setPoint(event.lngLat.lng, event.lngLat.lat));
  $('pick-location').addEventListener('click', () => {
    if (!navigator.geolocation) return ($('place-status').textContent = t('report.noGeo'));
    $('place-status').textContent = t('report.locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => setPoint(pos.coords.longitude, pos.coords.latitude, true),
      () => ($('place-status').textContent = t('report.noGeo')),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
  $('address-find').addEventListener('click', async () => {
    const address = $('address').value.trim();
    if (!address) return;
    try {
      const found = await getJson('/api/geocode/', { address });
      state.unit = found.unit_id;
      $('place-status').textContent = found.unit_name ? t('report.located', { place: found.unit_name }) : found.reason;
    } catch (e) {
      $('place-status').textContent = e.text();
    }
  });

  // Photos and video.
  const previews = () => {
    const photos = [...$('photos').files];
    const video = [...$('video').files];
    $('previews').replaceChildren(
      ...photos.map((f) => h('img', { src: URL.createObjectURL(f), alt: f.name, class: 'c-thumb' })),
      ...video.map((f) => h('video', { src: URL.createObjectURL(f), class: 'c-thumb', muted: true, controls: true })),
    );
    error(photos.length > MAX_PHOTOS ? t('report.tooMany', { n: MAX_PHOTOS }) : '');
  };
  $('photos').addEventListener('change', previews);
  $('video').addEventListener('change', previews);

  // Is it one of these?
  async function refreshNearby() {
    const category = form.elements.category?.value;
    if (!category || !state.point) return;
    try {
      state.nearby = await getJson('nearby/', { category, lon: state.point[0], lat: state.point[1] });
    } catch {
      state.nearby = [];
    }
    drawNearby();
  }
  const follow = async (ticket, button) => {
    const answer = $('challenge-answer').value.trim();
    if (!answer) {
      $('challenge-answer').focus();
      return error(t('report.check'));
    }
    button.disabled = true;
    try {
      await post(`public/reports/${encodeURIComponent(ticket)}/follow/`, { challenge: state.challenge?.token, answer });
      error('');
      button.replaceWith(h('a', { href: `/phan-anh/${ticket}/`, class: 'c-followed' }, t('report.followed', { ticket })));
    } catch (e) {
      button.disabled = false;
      error(e.text());
    }
    newChallenge();
  };
  function drawNearby() {
    $('nearby').hidden = !state.nearby.length;
    $('nearby-list').replaceChildren(
      ...state.nearby.map((r) =>
        h(
          'li',
          { class: 'c-item', 'data-ticket': r.ticket },
          r.thumb ? h('img', { src: r.thumb, alt: '', class: 'c-thumb' }) : null,
          h(
            'div',
            {},
            h('a', { href: `/phan-anh/${r.ticket}/` }, r.ticket),
            ' · ',
            pick(r.status_label),
            h('p', {}, r.public_text),
            h(
              'p',
              { class: 'c-hint' },
              `${t('report.distance', { m: r.distance_m })} · ${day(r.received_on)} · ${t('report.followers', { n: r.followers })}`,
            ),
            h(
              'button',
              { type: 'button', class: 'c-btn c-btn-light c-follow', onclick: (e) => follow(r.ticket, e.currentTarget) },
              t('report.follow'),
            ),
          ),
        ),
      ),
    );
  }

  // Send.
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error('');
    const data = new FormData();
    const category = form.elements.category?.value;
    if (!category) return error(t('report.pickCategory'));
    for (const name of ['category', 'title', 'description', 'name', 'phone', 'email', 'address'])
      data.set(name, form.elements[name]?.value ?? '');
    if (state.point) {
      data.set('lon', String(state.point[0]));
      data.set('lat', String(state.point[1]));
    }
    data.set('anonymous', $('anonymous').checked ? 'true' : 'false');
    for (const f of $('photos').files) data.append('photos', f);
    for (const f of $('video').files) data.append('video', f);
    data.set('challenge', state.challenge?.token ?? '');
    data.set('answer', $('challenge-answer').value.trim());
    $('send').disabled = true;
    $('send').textContent = t('report.sending');
    try {
      const receipt = await post('public/reports/', data);
      form.hidden = true;
      $('receipt').hidden = false;
      $('ticket').textContent = receipt.ticket;
      $('tracking-link').href = receipt.tracking_url;
      $('tracking-link').dataset.url = new URL(receipt.tracking_url, window.location.origin).href;
      window.scrollTo(0, 0);
    } catch (e) {
      error(e instanceof ApiError ? e.text() : String(e));
      // A form the server refused before the question was checked keeps its question.
      if (![400, 413, 415].includes(e.status)) newChallenge();
    } finally {
      $('send').disabled = false;
      $('send').textContent = t('report.send');
    }
  });
  $('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('tracking-link').dataset.url);
      $('copy-link').textContent = t('receipt.copied');
    } catch {
      // No clipboard: the link is on the page to copy by hand.
    }
  });

  onLang(() => {
    drawCategories();
    drawNearby();
    if (state.challenge) $('challenge-question').textContent = pick(state.challenge.question);
  });
}
