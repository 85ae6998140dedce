// What a camera shows: its HLS stream in a <video> (hls.js, loaded only when a camera is
// opened; the browser's own HLS where it has one), its MJPEG stream as an <img>, else its
// latest snapshot with the time it was taken. A player stops (hls.js destroyed, the MJPEG
// connection closed) once its element has left the page.

import { ct } from './cameras-strings.js';
import { h } from './ui.js';

const players = new Set(); // {el, stop}
let sweeper = null;

/** Stop the players whose element is no longer in the page. */
function sweep() {
  for (const player of players) {
    if (!player.el.isConnected) {
      player.stop();
      players.delete(player);
    }
  }
  if (!players.size) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

function track(el, stop) {
  players.add({ el, stop });
  sweeper ??= setInterval(sweep, 1000);
}

function failed(box) {
  box.dataset.state = 'error';
  box.replaceChildren(h('p', { class: 'cam-note' }, ct('streamFailed')));
}

/** A <video> playing an HLS playlist, looping; its box tells tests how far it got. */
function hlsView(url, box) {
  const video = h('video', { class: 'cam-video', muted: true, autoplay: true, playsinline: true, loop: true, 'data-testid': 'cam-video' });
  video.muted = true; // the attribute alone does not allow autoplay
  box.append(video);
  box.dataset.kind = 'hls';
  let hls = null;
  let stopped = false;
  track(box, () => {
    stopped = true;
    hls?.destroy();
    video.removeAttribute('src');
    video.load();
  });
  const play = () => video.play().catch(() => {}); // autoplay may be refused: controls then
  const native = video.canPlayType('application/vnd.apple.mpegurl');
  import('hls.js')
    .then(({ default: Hls }) => {
      if (stopped) return;
      if (!Hls.isSupported()) {
        if (!native) throw new Error('no HLS');
        video.src = url;
        box.dataset.hls = 'native';
        play();
        return;
      }
      hls = new Hls({ enableWorker: true, lowLatencyMode: false });
      box.dataset.hls = 'attached';
      box.dataset.fragments = '0';
      hls.on(Hls.Events.FRAG_LOADED, () => {
        box.dataset.fragments = String(Number(box.dataset.fragments) + 1);
      });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) {
          hls.destroy();
          failed(box);
        }
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      hls.on(Hls.Events.MANIFEST_PARSED, play);
    })
    .catch(() => failed(box));
  video.controls = true;
  return box;
}

/** An MJPEG stream: the browser draws it in an <img>; dropping its src closes the stream. */
function mjpegView(url, box) {
  const img = h('img', { class: 'cam-video', alt: ct('stream'), src: url, 'data-testid': 'cam-mjpeg' });
  img.addEventListener('error', () => failed(box), { once: true });
  box.dataset.kind = 'mjpeg';
  box.append(img);
  track(box, () => img.removeAttribute('src'));
  return box;
}

/** The camera's latest snapshot (ours, from an event, or its own still URL) and its time. */
function snapshotView(camera, box, fmtMoment) {
  const url = camera.snapshot ?? camera.snapshot_url;
  box.dataset.kind = 'snapshot';
  if (!url) {
    box.append(h('p', { class: 'cam-note' }, ct('noPicture')));
    return box;
  }
  box.append(
    h('img', { class: 'cam-video', alt: ct('stream'), src: url, 'data-testid': 'cam-snapshot' }),
    camera.snapshot_at ? h('p', { class: 'cam-note' }, ct('snapshotAt', { d: fmtMoment(camera.snapshot_at) })) : null,
  );
  return box;
}

/** The picture of a camera (its API properties): stream, MJPEG or snapshot. */
export function cameraPicture(camera, { staff, fmtMoment }) {
  const box = h('div', { class: 'cam-picture', 'data-testid': 'cam-picture' });
  if (!staff) {
    box.dataset.kind = 'none';
    box.append(h('p', { class: 'cam-note' }, ct('staffOnly')));
    return box;
  }
  if (camera.stream === 'hls' && camera.stream_url) return hlsView(camera.stream_url, box);
  if (camera.stream === 'mjpeg' && camera.stream_url) return mjpegView(camera.stream_url, box);
  return snapshotView(camera, box, fmtMoment);
}

/** An event's snapshot with the detection's box drawn over it (bbox: x, y, w, h as shares). */
export function eventPicture(url, bbox) {
  const figure = h('figure', { class: 'cam-shot', 'data-testid': 'cam-shot' });
  if (!url) return figure;
  figure.append(h('img', { src: url, alt: ct('detected') }));
  if (Array.isArray(bbox) && bbox.length === 4 && bbox.every((v) => Number.isFinite(v))) {
    const [x, y, w, hgt] = bbox.map((v) => Math.min(100, Math.max(0, v * 100)));
    figure.append(h('div', { class: 'cam-bbox', 'data-testid': 'cam-bbox', style: `left:${x}%;top:${y}%;width:${w}%;height:${hgt}%` }));
  }
  return figure;
}
