// The KPI column: each system's headline figures from /api/wall/kpis/ (read from the KPI
// registry on the server, so a new system appears by itself), refreshed on a timer.

import { formatValue, pick } from './core.js';

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Draw the systems' figures into `column` (replacing what was there). */
export function renderKpis(column, body, lang) {
  const blocks = [];
  for (const system of body.systems ?? []) {
    const block = el('section', 'w-sys');
    block.dataset.system = system.system;
    block.dataset.record = system.record;
    block.append(el('h2', 'w-sys-title', pick(system.title, lang)));
    const row = el('div', 'w-figs');
    for (const figure of system.figures ?? []) {
      const cell = el('div', 'w-fig');
      cell.dataset.figure = figure.id;
      const value = el('div', 'w-fig-value', formatValue(figure.value, figure.format, lang));
      if (figure.worse && Number(figure.value) > 0) value.classList.add('w-worse');
      cell.append(value, el('div', 'w-fig-label', pick(figure.title, lang)));
      row.append(cell);
    }
    block.append(row);
    blocks.push(block);
  }
  column.replaceChildren(...blocks);
  column.dataset.period = body.period ?? '';
  column.dataset.filled = blocks.length ? 'yes' : 'no';
}

/** Fetch the headline figures (for a period, or the API's default); throws when unreachable. */
export async function fetchKpis(period) {
  const query = period ? `?period=${encodeURIComponent(period)}` : '';
  const answer = await fetch(`/api/wall/kpis/${query}`, { cache: 'no-store', credentials: 'omit' });
  if (!answer.ok) throw new Error(`kpis ${answer.status}`);
  return answer.json();
}
