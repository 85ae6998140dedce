// The search box (GET /api/search/?q=…): communes by old or new name with or without
// diacritics, facilities, record codes. A combobox: typing asks the server (debounced), arrow
// keys move through the results, Enter opens one, Escape closes the list.

import { getJson } from './api.js';
import { hasString, onLang, pick, t } from './i18n.js';
import { typeTitle } from './records.js';
import { h } from './ui.js';

const DELAY = 220;
const LIMIT = 10;

/** What a result is in the current language: a commune (the page's own word) or a record type the server names. */
export function resultKind(type) {
  if (hasString(`type.${type}`)) return t(`type.${type}`);
  const title = typeTitle(type);
  return title ? pick(title) : type;
}

export function createSearch(ui, { onChoose }) {
  const input = h('input', {
    type: 'search',
    id: 'search-input',
    class: 'search-input',
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'search-results',
  });
  const label = h('label', { for: 'search-input', class: 'visually-hidden' });
  const list = h('ul', { id: 'search-results', class: 'search-results', role: 'listbox', hidden: true });
  const live = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  ui.search.replaceChildren(label, input, list, live);

  let results = [];
  let active = -1;
  let timer = null;
  let controller = null;
  let asked = '';

  const texts = () => {
    label.textContent = t('search.label');
    input.placeholder = t('search.placeholder');
    list.setAttribute('aria-label', t('search.results'));
    if (!list.hidden) draw();
  };

  function setOpen(open) {
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (!open) {
      active = -1;
      input.removeAttribute('aria-activedescendant');
    }
  }

  function draw() {
    if (!results.length) {
      list.replaceChildren(h('li', { class: 'search-empty', role: 'option', 'aria-disabled': 'true' }, t('search.none')));
      return;
    }
    list.replaceChildren(
      ...results.map((r, i) => {
        const note = pick(r.note);
        const kind = resultKind(r.type);
        const item = h(
          'li',
          {
            id: `search-opt-${i}`,
            role: 'option',
            class: 'search-option',
            'aria-selected': String(i === active),
            dataset: { type: r.type, id: String(r.id) },
          },
          h('span', { class: 'search-label' }, r.label),
          h('span', { class: 'search-sub' }, [kind, r.sublabel, r.code && r.code !== r.label ? r.code : null].filter(Boolean).join(' · ')),
          note ? h('span', { class: 'search-note' }, note) : null,
        );
        item.addEventListener('mousedown', (event) => event.preventDefault()); // keep the focus in the box
        item.addEventListener('click', () => choose(i));
        return item;
      }),
    );
  }

  function move(to) {
    if (!results.length) return;
    active = (to + results.length) % results.length;
    input.setAttribute('aria-activedescendant', `search-opt-${active}`);
    for (const [i, el] of [...list.children].entries()) el.setAttribute('aria-selected', String(i === active));
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  }

  function choose(i) {
    const result = results[i];
    if (!result) return;
    setOpen(false);
    input.value = result.label;
    onChoose(result);
  }

  async function ask(query) {
    controller?.abort();
    controller = new AbortController();
    const url = `/api/search/?q=${encodeURIComponent(query)}&limit=${LIMIT}`;
    try {
      const body = await getJson(url, { signal: controller.signal });
      if (query !== input.value.trim()) return;
      asked = query;
      results = body.results ?? [];
      active = -1;
      draw();
      setOpen(true);
      live.textContent = results.length ? t('search.count', { n: results.length }) : t('search.none');
    } catch (error) {
      if (error.name === 'AbortError') return;
      results = [];
      list.replaceChildren(h('li', { class: 'search-empty', role: 'option', 'aria-disabled': 'true' }, error.message));
      setOpen(true);
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) {
      controller?.abort();
      results = [];
      asked = '';
      setOpen(false);
      return;
    }
    timer = setTimeout(() => ask(query), DELAY);
  });

  input.addEventListener('keydown', (event) => {
    const open = !list.hidden;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open && results.length) setOpen(true);
      move(active + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      move(active - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const query = input.value.trim();
      if (query && query !== asked) {
        clearTimeout(timer);
        ask(query).then(() => choose(0));
      } else {
        choose(active >= 0 ? active : 0);
      }
    } else if (event.key === 'Escape') {
      event.preventDefault(); // the sheet must not close too
      event.stopPropagation();
      if (open) setOpen(false);
      else input.value = '';
    }
  });
  input.addEventListener('blur', () => setTimeout(() => setOpen(false), 150));
  input.addEventListener('focus', () => {
    if (results.length && input.value.trim() === asked) {
      draw();
      setOpen(true);
    }
  });

  texts();
  onLang(texts);
  return { input };
}
