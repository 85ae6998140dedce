// The citizens' pages: one bundle, the page named by #citizen's data-page.

import './style.css';

import { initLang } from './i18n.js';
import { initMapPage } from './map.js';
import { initReport } from './report.js';
import { initTrack } from './track.js';

initLang();
const root = document.getElementById('citizen');
const page = root?.dataset.page;
if (page === 'report') initReport(root);
else if (page === 'track') initTrack(root);
else if (page === 'map') initMapPage(root);

document.getElementById('lookup')?.addEventListener('submit', (event) => {
  const value = document.getElementById('lookup-ticket').value.trim().toUpperCase();
  if (/^PA-\d{4}-[A-Z0-9]{6}$/.test(value)) {
    event.preventDefault();
    window.location.assign(`/phan-anh/${value}/`);
  }
});
