// The wall's live stream: asks our server where the stream is with the wall's kiosk token
// (/api/live/?wall=…, a read-only token back), opens an EventSource and keeps it open by
// itself. Any error closes it; a fresh token is fetched and the stream reopened after a growing
// pause, resuming after the last event seen (?last=), so a live-server restart or a dropped
// network loses nothing. The first connection asks for the recent past (last=0), which the
// server bounds, to fill the strip.

import { readEvent } from '../live-event.js';
import { backoff } from './core.js';

export const KINDS = ['camera.event', 'camera.status', 'feedback.report', 'dossier.overdue', 'alert', 'incident'];

/**
 * Start the stream. `onEvent(event)` gets each event once; `onState(state)` gets
 * 'connecting' | 'open' | 'lost' | 'off' | 'refused'.
 */
export function startStream({ wall, onEvent, onState }) {
  let source = null;
  let attempt = 0;
  let timer = null;
  let lastId = 0;
  const seen = new Set();
  const state = { value: 'connecting', received: 0 };

  function set(value) {
    if (state.value === value) return;
    state.value = value;
    onState(value);
  }

  function receive(message) {
    const event = readEvent(message, seen);
    if (!event) return;
    lastId = Math.max(lastId, event.id);
    state.received += 1;
    onEvent(event);
  }

  function retry() {
    if (source) source.close();
    source = null;
    clearTimeout(timer);
    set('lost');
    timer = setTimeout(connect, backoff(attempt));
    attempt += 1;
  }

  async function connect() {
    clearTimeout(timer);
    let where;
    try {
      const answer = await fetch(`/api/live/?wall=${encodeURIComponent(wall)}`, { cache: 'no-store', credentials: 'omit' });
      if (answer.status === 403 || answer.status === 404) {
        set('refused'); // the wall was disabled or its token is gone: the page decides
        return;
      }
      if (!answer.ok) throw new Error(`live ${answer.status}`);
      where = await answer.json();
    } catch {
      retry();
      return;
    }
    if (!where?.url || !where?.token) {
      set('off'); // live updates are switched off on this server
      return;
    }
    const url = `${where.url}?token=${encodeURIComponent(where.token)}&last=${lastId}`;
    source = new EventSource(url);
    source.onopen = () => {
      attempt = 0;
      set('open');
    };
    source.onerror = () => retry();
    for (const kind of KINDS) source.addEventListener(kind, receive);
    source.onmessage = receive;
  }

  connect();
  return {
    state,
    get lastId() {
      return lastId;
    },
    /** Reconnect now (the network came back). */
    kick() {
      if (state.value === 'lost') {
        attempt = 0;
        connect();
      }
    },
  };
}
