// Exports: the map as a PNG with a title, the legends of the visible layers and a scale bar
// (composed on a canvas from the map's own frame), and the table behind the visible
// choropleth as CSV (GET /tiles/table/{layer}.csv). Both are saved as real downloads.

import { download, getBlob } from './api.js';
import { fmtDate, fmtNumber, fmtPeriod, pick, t } from './i18n.js';
import { legendRows } from './legend.js';
import { takesFilter } from './panel.js';
import { state } from './state.js';
import { vietnamToday } from './versions.js';

const FONT = "'Noto Sans', system-ui, sans-serif";

/** The map's frame as drawn (copied inside the render event, so no preserveDrawingBuffer). */
function snapshot(map) {
  return new Promise((resolve) => {
    map.once('render', () => {
      const source = map.getCanvas();
      const copy = Object.assign(document.createElement('canvas'), { width: source.width, height: source.height });
      copy.getContext('2d').drawImage(source, 0, 0);
      resolve(copy);
    });
    map.triggerRepaint();
  });
}

/** A round distance for a bar at most `maxPx` CSS pixels long at the map's centre. */
export function scaleBar(map, maxPx = 120) {
  const lat = map.getCenter().lat;
  const metresPerPx = (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
  const max = metresPerPx * maxPx;
  const base = 10 ** Math.floor(Math.log10(max));
  const metres = [5, 2, 1].map((m) => m * base).find((d) => d <= max) ?? base;
  const label = metres >= 1000 ? `${fmtNumber(metres / 1000, 'decimal')} km` : `${fmtNumber(metres, 'int')} m`;
  return { px: metres / metresPerPx, label };
}

function drawLegend(ctx, groups, { x, bottom, scale }) {
  const pad = 10 * scale;
  const row = 18 * scale;
  ctx.font = `${12 * scale}px ${FONT}`;
  const lines = groups.flatMap((g) => [{ title: g.title }, ...g.rows]);
  if (!lines.length) return;
  const width =
    Math.max(
      ...lines.map((l) => {
        ctx.font = `${l.title ? '600 ' : ''}${12 * scale}px ${FONT}`;
        return ctx.measureText(l.title ?? l.label).width + (l.title ? 0 : 26 * scale);
      }),
    ) +
    2 * pad;
  const height = lines.length * row + 2 * pad - 4 * scale;
  const top = bottom - height;
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.strokeStyle = 'rgba(0,0,0,0.2)';
  ctx.lineWidth = scale;
  ctx.fillRect(x, top, width, height);
  ctx.strokeRect(x, top, width, height);
  lines.forEach((line, i) => {
    const y = top + pad + i * row + 12 * scale;
    ctx.fillStyle = '#1f2933';
    if (line.title) {
      ctx.font = `600 ${12 * scale}px ${FONT}`;
      ctx.fillText(line.title, x + pad, y);
      return;
    }
    ctx.font = `${12 * scale}px ${FONT}`;
    ctx.fillStyle = line.color;
    ctx.strokeStyle = line.color;
    if (line.kind === 'point') {
      ctx.beginPath();
      ctx.arc(x + pad + 8 * scale, y - 4 * scale, 5 * scale, 0, 2 * Math.PI);
      ctx.fill();
    } else if (line.kind === 'line') {
      ctx.lineWidth = 2 * scale;
      ctx.setLineDash(line.dashed ? [4 * scale, 3 * scale] : []);
      ctx.beginPath();
      ctx.moveTo(x + pad, y - 4 * scale);
      ctx.lineTo(x + pad + 18 * scale, y - 4 * scale);
      ctx.stroke();
      ctx.setLineDash([]);
    } else if (line.kind === 'outline') {
      ctx.lineWidth = 1.5 * scale;
      ctx.strokeRect(x + pad, y - 10 * scale, 18 * scale, 12 * scale);
    } else {
      ctx.fillRect(x + pad, y - 10 * scale, 18 * scale, 12 * scale);
    }
    ctx.fillStyle = '#1f2933';
    ctx.fillText(line.label, x + pad + 26 * scale, y);
  });
}

function drawScale(ctx, map, { right, bottom, scale }) {
  const { px, label } = scaleBar(map);
  const w = px * scale;
  const x = right - w;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(x - 6 * scale, bottom - 26 * scale, w + 12 * scale, 26 * scale);
  ctx.strokeStyle = '#1f2933';
  ctx.lineWidth = 2 * scale;
  ctx.beginPath();
  ctx.moveTo(x, bottom - 14 * scale);
  ctx.lineTo(x, bottom - 6 * scale);
  ctx.lineTo(x + w, bottom - 6 * scale);
  ctx.lineTo(x + w, bottom - 14 * scale);
  ctx.stroke();
  ctx.fillStyle = '#1f2933';
  ctx.font = `${11 * scale}px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.fillText(label, x + w / 2, bottom - 11 * scale);
  ctx.textAlign = 'start';
}

/** The visible layers' legends: [{title, rows}]. */
function legendGroups(entries) {
  return [...entries.values()]
    .filter((e) => e.visible() && e.legend)
    .map((e) => ({ title: pick(e.meta.title), rows: legendRows(e.legend, e.swatch).slice(0, 9) }))
    .filter((g) => g.rows.length);
}

/** The visible choropleth layer's entry, if any. */
export const visibleChoropleth = (entries) => [...entries.values()].find((e) => e.meta.choropleth && e.visible());

/** Compose and download the PNG; resolves its canvas. */
export async function exportPng(map, entries, { heading = '' } = {}) {
  const frame = await snapshot(map);
  const scale = frame.width / map.getCanvas().clientWidth || 1;
  const band = Math.round(58 * scale);
  const out = Object.assign(document.createElement('canvas'), { width: frame.width, height: frame.height + band });
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#16324f';
  ctx.fillRect(0, 0, out.width, band);
  ctx.drawImage(frame, 0, band);
  const thematic = visibleChoropleth(entries);
  const title = [t('app.title'), thematic ? pick(thematic.meta.title) : heading].filter(Boolean).join(' — ');
  const details = [
    thematic?.legend ? pick(thematic.legend.indicators?.find((i) => i.id === thematic.legend.indicator)?.title) : '',
    // The period only when a drawn layer is filtered by it.
    state.period && [...entries.values()].some((e) => e.visible() && takesFilter(e.meta, 'period')) ? fmtPeriod(state.period) : '',
    fmtDate(vietnamToday()),
  ]
    .filter(Boolean)
    .join(' · ');
  ctx.fillStyle = '#ffffff';
  ctx.font = `600 ${18 * scale}px ${FONT}`;
  ctx.fillText(title, 14 * scale, 25 * scale);
  ctx.fillStyle = 'rgba(255,255,255,0.8)';
  ctx.font = `${13 * scale}px ${FONT}`;
  ctx.fillText(details, 14 * scale, 46 * scale);
  drawLegend(ctx, legendGroups(entries), { x: 12 * scale, bottom: out.height - 12 * scale, scale });
  drawScale(ctx, map, { right: out.width - 14 * scale, bottom: out.height - 12 * scale, scale });
  ctx.fillStyle = 'rgba(31,41,51,0.7)';
  ctx.font = `${10 * scale}px ${FONT}`;
  ctx.textAlign = 'end';
  ctx.fillText(t('map.attribution'), out.width - 14 * scale, out.height - 44 * scale);
  ctx.textAlign = 'start';
  const blob = await new Promise((resolve) => out.toBlob(resolve, 'image/png'));
  download(blob, `gisioc-${t('export.mapName')}-${vietnamToday()}.png`);
  return out;
}

/** Download the CSV behind the visible choropleth (its indicator, classes, filters, period). */
export async function exportCsv(entry) {
  const url = new URL(`/tiles/table/${entry.meta.id}.csv`, window.location.href);
  const legend = entry.legend ?? {};
  const params = { ...entry.params(), indicator: legend.indicator, method: legend.method, classes: entry.choice.classes };
  for (const [key, value] of Object.entries(params)) if (value) url.searchParams.set(key, value);
  const { blob, name } = await getBlob(url);
  const suffix = [legend.indicator, state.period].filter(Boolean).join('-');
  download(blob, name && !suffix ? name : `${entry.meta.id}${suffix ? `-${suffix}` : ''}.csv`);
}
