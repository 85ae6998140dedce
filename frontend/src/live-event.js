// One event of the live stream, read once: the map app's client (live.js) and the wall's
// (wall/stream.js) both take each event id once, however often a reconnect replays it.

const KEEP = 5000; // ids remembered: well past the server's catch-up of 1,000 events

/** The stream message's event, or null when it is not one or was seen already. */
export function readEvent(message, seen) {
  let event;
  try {
    event = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (!event || typeof event.id !== 'number' || seen.has(event.id)) return null;
  seen.add(event.id);
  if (seen.size > KEEP) seen.delete(seen.values().next().value);
  return event;
}
