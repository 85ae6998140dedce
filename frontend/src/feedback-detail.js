// A report as staff see it (GET /api/feedback/reports/<ticket>/): the reporter (private), the
// text as written and as the public reads it, photos with hide/blur/show, the history, and a
// button per action the server allows this user, each with its small form. Every action
// answers the updated report, which is drawn again in place.

import { getJson, postForm } from './api.js';
import { fmtDate, locale, pick } from './i18n.js';
import { ft } from './feedback-strings.js';
import { h } from './ui.js';

const BASE = '/api/feedback';
const REASONS = ['spam', 'duplicate', 'out_of_scope'];
let agencies = null; // Promise of the agencies to assign to, loaded once

/** A moment as Vietnam's clock shows it, in the page's language. */
export function fmtMoment(iso) {
  if (!iso) return '';
  const options = { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' };
  return new Intl.DateTimeFormat(locale(), options).format(new Date(iso));
}

/** "3 working days left" / "2 working days late" / "due today" for a report's `days_left`. */
export function dueText(report) {
  if (report.days_left === null || report.days_left === undefined) return report.due_on ? fmtDate(report.due_on) : '';
  if (report.days_left === 0) return ft('dueToday');
  return report.days_left > 0 ? ft('daysLeft', { n: report.days_left }) : ft('daysLate', { n: -report.days_left });
}

/** The agencies to assign to (in service), with `mine`: the user's own agency's code or null. */
export function agenciesLoad() {
  agencies ??= getJson(`${BASE}/agencies/`)
    .then((body) => Object.assign(body.results ?? [], { mine: body.mine ?? null }))
    .catch((error) => {
      agencies = null;
      throw error;
    });
  return agencies;
}

const field = (label, control) => h('label', { class: 'field' }, h('span', {}, label), control);
const input = (name, attrs = {}) => h('input', { name, ...attrs });
const area = (name, attrs = {}) => h('textarea', { name, rows: '3', ...attrs });

/** The fields of an action's form (the note is always there). */
async function formFields(action, report) {
  const fields = [];
  if (action === 'reject') {
    const select = h(
      'select',
      { name: 'reason', required: true },
      REASONS.map((r) => h('option', { value: r }, ft(`f.${r}`))),
    );
    fields.push(field(ft('f.reason'), select));
  } else if (action === 'assign') {
    const list = await agenciesLoad();
    const options = [h('option', { value: '' }, ft('byRule')), ...list.map((a) => h('option', { value: a.code }, a.name))];
    const select = h('select', { name: 'agency', id: 'fb-agency-picker' }, options);
    if (report.agency) select.value = report.agency.code;
    fields.push(field(ft('agency'), select));
  } else if (action === 'resolve') {
    fields.push(field(ft('f.result'), area('result', { required: true })));
    fields.push(field(ft('f.photos'), input('photos', { type: 'file', accept: 'image/jpeg,image/png,image/webp', multiple: true })));
  } else if (action === 'extend') {
    fields.push(field(ft('f.days'), input('days', { type: 'number', min: '1', max: '30', value: '3', required: true })));
    fields.push(field(ft('f.reason'), input('reason', { required: true, maxlength: '500' })));
  } else if (action === 'merge') {
    fields.push(
      field(ft('f.into'), input('into', { required: true, placeholder: 'PA-2612-XXXXXX', pattern: 'PA-[0-9]{4}-[0-9A-Za-z]{6}' })),
    );
  } else if (action === 'moderate') {
    fields.push(field(ft('f.publicText'), area('public_text', { required: true, value: report.public_text, rows: '5' })));
  }
  if (action !== 'extend') fields.push(field(ft('f.note'), input('note', { maxlength: '500' })));
  return fields;
}

function historyView(history) {
  return h(
    'ol',
    { id: 'fb-history', class: 'fb-history', 'data-testid': 'fb-history' },
    history.map((e) =>
      h(
        'li',
        { dataset: { action: e.action } },
        h('span', { class: 'fb-when' }, fmtMoment(e.at)),
        h('strong', {}, pick(e.action_label)),
        e.from_status || e.to_status ? h('span', { class: 'fb-move' }, `${pick(e.from_label) || '–'} → ${pick(e.to_label) || '–'}`) : null,
        e.actor ? h('span', { class: 'fb-actor' }, e.actor) : null,
        e.agency ? h('span', {}, e.agency.name) : null,
        e.due_on ? h('span', {}, `${ft('due')}: ${fmtDate(e.due_on)}`) : null,
        e.note ? h('span', { class: 'fb-note' }, e.note) : null,
      ),
    ),
  );
}

function facts(report) {
  const rows = [
    [ft('d.channel'), ft(`ch.${report.channel}`)],
    [ft('d.callAt'), report.call_at ? fmtMoment(report.call_at) : null],
    [ft('agency'), report.agency?.name ?? null],
    [ft('due'), report.due_on ? `${fmtDate(report.due_on)} · ${dueText(report)}` : null],
    [ft('d.address'), report.address || null],
  ].filter(([, v]) => v);
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

/**
 * The staff panel of a report; `onOpen(ticket)` opens another report (a merge's main one),
 * `onChanged(report)` is told after each action.
 */
export function staffPanel({ ticket, onOpen = () => {}, onChanged = () => {} }) {
  const root = h(
    'section',
    { id: 'fb-staff', class: 'fb-staff', 'data-testid': 'fb-staff', 'aria-busy': 'true' },
    h('p', { class: 'muted' }, ft('loading')),
  );
  const error = h('p', { id: 'fb-error', class: 'sheet-error', role: 'alert', hidden: true });

  const fail = (err) => {
    error.textContent = err?.message ?? String(err);
    error.hidden = false;
  };

  async function send(url, form) {
    error.hidden = true;
    root.setAttribute('aria-busy', 'true');
    try {
      const { ok, body } = await postForm(url, form);
      if (!ok) throw new Error(body?.message ?? 'HTTP error');
      render(body);
      onChanged(body);
    } catch (err) {
      fail(err);
    } finally {
      root.removeAttribute('aria-busy');
    }
  }

  async function openForm(action, report, slot) {
    const fields = await formFields(action, report);
    const confirm = h('button', { type: 'submit', class: 'primary', id: 'fb-confirm' }, ft('f.send'));
    const cancel = h('button', { type: 'button', id: 'fb-cancel' }, ft('f.cancel'));
    const form = h(
      'form',
      { class: 'form fb-form', id: `fb-form-${action}`, 'data-testid': `fb-form-${action}` },
      h('h4', {}, ft(`a.${action}`)),
      fields,
      h('div', { class: 'actions' }, confirm, cancel),
    );
    cancel.addEventListener('click', () => slot.replaceChildren());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      confirm.disabled = true;
      send(`${BASE}/reports/${report.ticket}/${action}/`, new FormData(form)).finally(() => {
        confirm.disabled = false;
      });
    });
    slot.replaceChildren(form);
    form.querySelector('input, select, textarea')?.focus();
  }

  function mediaView(report) {
    if (!report.media.length) return null;
    const may = report.actions.includes('moderate');
    return [
      h('h4', {}, ft('d.media')),
      h(
        'ul',
        { class: 'fb-media', id: 'fb-media' },
        report.media.map((m) => {
          const flags = [m.hidden ? ft('d.hidden') : null, m.blurred ? ft('d.blurred') : null].filter(Boolean).join(', ');
          const ops = may
            ? ['hide', 'blur', 'show'].map((op) => {
                const b = h('button', { type: 'button', 'data-testid': `fb-media-${m.id}-${op}` }, ft(`m.${op}`));
                b.addEventListener('click', () => send(`${BASE}/reports/${report.ticket}/media/${m.id}/${op}/`, new FormData()));
                return b;
              })
            : [];
          const thumb =
            m.kind === 'photo'
              ? h('img', { src: m.thumb_url ?? m.url, alt: `${m.stage} #${m.id}`, loading: 'lazy' })
              : h('span', {}, 'video');
          return h(
            'li',
            { dataset: { id: String(m.id) } },
            h('a', { href: m.url, target: '_blank', rel: 'noopener' }, thumb),
            flags ? h('span', { class: 'muted' }, flags) : null,
            h('span', { class: 'fb-ops' }, ops),
          );
        }),
      ),
    ];
  }

  function render(report) {
    const slot = h('div', { class: 'fb-slot', id: 'fb-form-slot' });
    const buttons = report.actions.map((action) => {
      const b = h('button', { type: 'button', id: `fb-action-${action}`, 'data-testid': `fb-action-${action}` }, ft(`a.${action}`));
      b.addEventListener('click', () => openForm(action, report, slot).catch(fail));
      return b;
    });
    const mergedInto = report.merged_into
      ? h('button', { type: 'button', class: 'link' }, ft('d.mergedInto', { t: report.merged_into }))
      : null;
    mergedInto?.addEventListener('click', () => onOpen(report.merged_into));
    const who = report.reporter;
    const parts = [
      h('h3', {}, ft('d.staff')),
      h(
        'p',
        { class: `fb-status fb-status-${report.status}`, dataset: { status: report.status } },
        pick(report.status_label),
        report.overdue ? h('span', { class: 'fb-late' }, ` · ${ft('overdue')}`) : null,
      ),
      facts(report),
      mergedInto,
      report.merged.length ? h('p', { class: 'muted' }, ft('d.merged', { t: report.merged.join(', ') })) : null,
      h(
        'div',
        { class: 'fb-private', id: 'fb-reporter' },
        h('h4', {}, ft('d.reporter')),
        h(
          'p',
          {},
          [who.name, who.phone, who.email].filter(Boolean).join(' · ') || '–',
          report.anonymous ? h('span', { class: 'muted' }, ` (${ft('d.anonymous')})`) : null,
        ),
      ),
      h('h4', {}, ft('d.description')),
      h('p', { class: 'fb-text', id: 'fb-description' }, report.description),
      h('h4', {}, ft('d.public')),
      h('p', { class: 'fb-text', id: 'fb-public-text' }, report.public_text),
      report.result ? [h('h4', {}, ft('d.result')), h('p', { class: 'fb-text' }, report.result)] : null,
      mediaView(report),
      h('div', { class: 'fb-actions actions', id: 'fb-actions' }, buttons.length ? buttons : h('p', { class: 'muted' }, ft('d.noActions'))),
      slot,
      error,
      h('h4', {}, ft('d.history')),
      historyView(report.history),
    ];
    root.replaceChildren(...parts.flat(Infinity).filter(Boolean));
    root.dataset.ticket = report.ticket;
    root.dataset.status = report.status;
  }

  getJson(`${BASE}/reports/${encodeURIComponent(ticket)}/`)
    .then(render)
    .catch((err) => {
      root.replaceChildren(error);
      fail(err);
    })
    .finally(() => root.removeAttribute('aria-busy'));
  return root;
}
