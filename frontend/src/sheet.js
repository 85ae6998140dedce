// The sheet beside the map (at the bottom on phones): breadcrumbs, a title and one view at a
// time (a profile, a record, a list, search or near-me results, the boundary import). Escape
// or the close button hides it; the overview button brings it back.

import { onLang, t } from './i18n.js';
import { h } from './ui.js';

/**
 * The sheet's frame. `show({crumbs, title, subtitle, content})`: crumbs are [{label, go}] from
 * the top down, the last one being the current view (not a link); `redraw` shows the view
 * again in another language.
 */
export function createSheet(ui, { onClose = () => {}, onOpen = () => {} } = {}) {
  const el = ui.sheet;
  const crumbsEl = h('ol', { class: 'crumbs' });
  const nav = h('nav', { class: 'crumbs-nav', 'aria-label': '' }, crumbsEl);
  const close = h('button', { type: 'button', class: 'sheet-close' }, h('span', { 'aria-hidden': 'true' }, '×'));
  const title = h('h2', { id: 'sheet-title', class: 'sheet-title', tabindex: '-1' });
  const subtitle = h('p', { class: 'sheet-subtitle' });
  const body = h('div', { class: 'sheet-body', id: 'sheet-body' });
  el.replaceChildren(h('div', { class: 'sheet-head' }, nav, close), h('div', { class: 'sheet-scroll' }, title, subtitle, body));
  let last = null;
  let shown = 0; // views shown: a load finishing after another view was shown keeps away

  const labels = () => {
    nav.setAttribute('aria-label', t('sheet.crumbs'));
    close.setAttribute('aria-label', t('sheet.close'));
    close.title = t('sheet.close');
  };
  labels();
  onLang(() => {
    labels();
    last?.redraw?.();
  });

  function hide({ focus = true } = {}) {
    if (el.hidden) return;
    el.hidden = true;
    ui.reopen.hidden = false;
    if (focus) ui.reopen.focus();
    onClose();
  }

  function reveal() {
    el.hidden = false;
    ui.reopen.hidden = true;
  }

  close.addEventListener('click', () => hide());
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      hide();
    }
  });
  ui.reopen.addEventListener('click', () => {
    reveal();
    onOpen();
    title.focus();
  });
  // Escape on the map (or nowhere in particular) closes the sheet too.
  document.addEventListener('keydown', (event) => {
    const at = document.activeElement;
    if (event.key !== 'Escape' || event.defaultPrevented || el.hidden) return;
    if (at === document.body || ui.mapEl.contains(at)) hide({ focus: false });
  });

  return {
    el,
    body,
    /** Show a view; `focus` moves the keyboard to its title (after a user's action). */
    show({ crumbs = [], heading = '', sub = '', content = [], view = '', focus = false, redraw = null }) {
      last = { crumbs, heading, sub, content, view, redraw };
      shown += 1;
      crumbsEl.replaceChildren(
        ...crumbs.map((c, i) => {
          const current = i === crumbs.length - 1;
          if (current || !c.go) return h('li', {}, h('span', { 'aria-current': current ? 'page' : null }, c.label));
          const link = h('button', { type: 'button', class: 'crumb' }, c.label);
          link.addEventListener('click', c.go);
          return h('li', {}, link);
        }),
      );
      nav.hidden = crumbs.length < 2;
      title.textContent = heading;
      subtitle.textContent = sub;
      subtitle.hidden = !sub;
      body.replaceChildren(...[content].flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
      el.dataset.view = view;
      el.removeAttribute('aria-busy');
      delete el.dataset.error;
      reveal();
      if (focus) title.focus({ preventScroll: true });
      el.querySelector('.sheet-scroll').scrollTop = 0;
    },
    /**
     * Mark the sheet as loading (the current view stays until the next one is ready); returns
     * a ticket for `shownSince`.
     */
    busy() {
      el.setAttribute('aria-busy', 'true');
      return shown;
    },
    /** Whether another view was shown since `busy()` gave `ticket` (a tool opened meanwhile). */
    shownSince(ticket) {
      return shown !== ticket;
    },
    /** Show an error in place of the view. */
    error(error, crumbs = last?.crumbs ?? []) {
      this.show({
        crumbs,
        heading: t('sheet.errorTitle'),
        content: h('p', { class: 'sheet-error', role: 'alert' }, error?.message ?? String(error)),
        view: 'error',
      });
      el.dataset.error = '1';
    },
    hide,
    reveal,
    isOpen: () => !el.hidden,
  };
}
