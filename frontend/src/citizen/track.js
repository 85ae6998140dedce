// A report's tracking page: status, deadline, the public steps with their dates (Vietnam
// time), the result and its photos, and the rating form when the link's k allows it.

import { getJson, h, post } from './api.js';
import { dateTime, day, onLang, pick, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

const media = (items) =>
  items.map((m) =>
    m.kind === 'photo'
      ? h('a', { href: m.url, target: '_blank', rel: 'noopener' }, h('img', { src: m.thumb || m.url, alt: '', class: 'c-thumb' }))
      : h('a', { href: m.url, class: 'c-video', download: '' }, 'Video'),
  );

export function initTrack(root) {
  const ticket = root.dataset.ticket;
  const k = new URLSearchParams(window.location.search).get('k') ?? '';
  let report = null;

  const draw = () => {
    if (!report) return;
    $('ticket').textContent = report.ticket;
    $('track-status').textContent = pick(report.status_label);
    $('track-status').dataset.status = report.status;
    $('track-category').textContent = pick(report.category_title);
    $('track-due').textContent = report.due_on
      ? `${t('track.due', { date: day(report.due_on) })} ${report.overdue ? t('track.overdue') : ''}`
      : '';
    $('track-agency').textContent = report.agency ? t('track.agency', { name: report.agency }) : '';
    $('track-text').textContent = report.verified ? report.public_text : pick(report.waiting);
    $('track-media').replaceChildren(...media(report.media));
    const merged = $('track-merged');
    merged.hidden = !report.merged_into && !report.rejection;
    if (report.merged_into) {
      merged.replaceChildren(h('a', { href: `/phan-anh/${report.merged_into}/` }, t('track.merged', { ticket: report.merged_into })));
    } else if (report.rejection) merged.textContent = t('track.rejected', { reason: pick(report.rejection) });
    $('steps').replaceChildren(
      ...report.steps.map((s) =>
        h(
          'li',
          { class: 'c-stepline', 'data-action': s.action },
          h('time', { datetime: s.at }, dateTime(s.at)),
          h('strong', {}, pick(s.label)),
          s.agency ? h('span', {}, ` — ${s.agency}`) : null,
          s.due_on ? h('span', { class: 'c-hint' }, ` (${t('track.due', { date: day(s.due_on) })})`) : null,
          s.note ? h('p', { class: 'c-hint' }, s.note) : null,
        ),
      ),
    );
    $('track-result').hidden = !report.result;
    $('result-text').textContent = report.result;
    $('result-media').replaceChildren(...media(report.result_media));
    $('rate').hidden = !report.may_rate;
    if (report.satisfied !== null && report.satisfied !== undefined) {
      $('rate-done').hidden = false;
      $('rate-done').textContent = t('track.rated', { value: report.satisfied ? t('track.yes') : t('track.no') });
    }
  };

  const load = async () => {
    try {
      report = await getJson(`track/${encodeURIComponent(ticket)}/`, { k });
      draw();
    } catch (e) {
      $('track-error').hidden = false;
      $('track-error').textContent = e.text();
    }
  };

  const rate = async (satisfied) => {
    $('rate-yes').disabled = $('rate-no').disabled = true;
    try {
      await post(`track/${encodeURIComponent(ticket)}/rate/`, { satisfied, k });
      $('rate').hidden = true;
      $('rate-done').hidden = false;
      $('rate-done').textContent = t('track.thanks');
      await load();
      $('rate-done').textContent = t('track.thanks');
    } catch (e) {
      $('rate-yes').disabled = $('rate-no').disabled = false;
      $('track-error').hidden = false;
      $('track-error').textContent = e.text();
    }
  };
  $('rate-yes').addEventListener('click', () => rate(true));
  $('rate-no').addEventListener('click', () => rate(false));
  onLang(draw);
  load();
}
