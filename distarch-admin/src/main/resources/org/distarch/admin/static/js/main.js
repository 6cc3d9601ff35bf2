// The admin page: a thin client of the HTTP API. Two fleet streams at most: the whole fleet (summaries, masters,
// grouped boxes, the process page) and, while a filter is set, the filtered one the master filters for the list.
import { h, fill, $ } from './dom.js';
import { session, logout, allows, toLogin, get, routes, ApiError } from './api.js';
import { Fleet, filterOf, filterQuery, isFiltered } from './model.js';
import { LiveStream } from './stream.js';
import { absolute, tickTimes } from './format.js';
import * as actions from './actions.js';
import { renderFleetView } from './fleet-view.js';
import { renderProcessView } from './process-view.js';
import { renderAudit } from './history.js';
import { renderLogs } from './logs.js';

const app = {
  session: null,
  routes: new Set(),
  whole: new Fleet(filterOf(new URLSearchParams())),
  view: null,
  wholeStream: null,
  viewStream: null,
  viewKey: null,
  link: { state: 'connecting', detail: null, since: Date.now() },
  unreachable: false,
  teardown: null,
};

/** Whether this caller may see the buttons of actions that need {@code role}. */
app.may = role => allows(app.session?.role, role) && !app.masterDown();
app.canSee = role => allows(app.session?.role, role);
app.masterDown = () => app.whole.mainMaster.state === 'stopped' || app.unreachable;

/** Navigates within the page: the URL holds the whole view (filters, tab, sort, page). */
app.go = (params, replace = false) => {
  const qs = params.toString();
  const url = location.pathname + (qs ? '?' + qs : '');
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route();
};
app.params = () => new URLSearchParams(location.search);

function openStreams() {
  app.wholeStream = new LiveStream(new URLSearchParams(), {
    snapshot: d => { app.unreachable = false; app.whole.snapshot(d); },
    process: d => app.whole.process(d),
    master: d => app.whole.masterEvent(d),
    queues: d => app.whole.queueFigures(d),
    link: (state, detail) => { app.link = { state, detail, since: Date.now() }; banners(); },
    refused: () => probe(),
  });
}

/** The list's stream: the whole fleet's when no filter is set, else one the master filters. */
function viewFleet() {
  const filter = filterOf(app.params());
  const key = filterQuery(filter).toString();
  if (key === app.viewKey && app.view) return app.view;
  app.viewStream?.close();
  app.viewStream = null;
  app.viewKey = key;
  if (!isFiltered(filter)) {
    app.view = app.whole;
  } else {
    app.view = new Fleet(filter);
    const fleet = app.view;
    app.viewStream = new LiveStream(filterQuery(filter), {
      snapshot: d => fleet.snapshot(d), process: d => fleet.process(d), master: () => {},
    });
  }
  return app.view;
}

/** A lost stream: is it the session (log in again), or the master (not running, or not reachable)? */
async function probe() {
  try {
    await get('api/v1/session');
    app.unreachable = false;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { toLogin(); return; }
    app.unreachable = e.status === 0 || e.status === 503;
  }
  banners();
  app.refresh?.();
}

function banners() {
  const box = $('#banners');
  const items = [];
  const main = app.whole.mainMaster;
  if (app.masterDown()) {
    const why = main.state === 'stopped'
      ? `It stopped at ${absolute(main.lastHeard)}${main.reason ? ': ' + main.reason : ''}.`
      : 'This page cannot reach it.';
    items.push(h('div', { class: 'banner down', role: 'alert', id: 'not-running' },
      h('strong', {}, 'The service is not running. '), why, ' Actions are disabled.'));
  }
  if (app.link.state === 'lost') {
    items.push(h('div', { class: 'banner lost', role: 'alert', id: 'link-lost' },
      h('strong', {}, 'Connection to the master lost. '), 'Reconnecting… what you see is from ',
      absolute(app.whole.snapshotAt ? app.link.since : Date.now()), '.'));
    clearTimeout(app.probeTimer);
    app.probeTimer = setTimeout(probe, 2500);
  } else if (app.link.state === 'stale') {
    items.push(h('div', { class: 'banner stale', role: 'status', id: 'link-stale' },
      h('strong', {}, 'The data may be stale: '), app.link.detail + '.'));
  }
  fill(box, items);
  document.body.classList.toggle('master-down', app.masterDown());
  for (const b of document.querySelectorAll('button.action')) b.disabled = app.masterDown();
}

function header() {
  const s = app.session;
  const audit = new URLSearchParams({ view: 'audit' });
  const logs = new URLSearchParams({ view: 'logs' });
  fill($('#who'), app.routes.has('GET /api/v1/logs/stream') ? h('a', { href: '?' + logs, id: 'logs-link', onclick: e => {
    e.preventDefault(); app.go(logs);
  } }, 'Logs') : null, ' ', app.routes.has('GET /api/v1/history') ? h('a', { href: '?' + audit, id: 'audit-link', onclick: e => {
    e.preventDefault(); app.go(audit);
  } }, 'Audit') : null, ' ', h('span', { class: 'user' }, s.user), ' ', h('span', { class: 'role tag' }, s.role), ' ',
    h('button', { type: 'button', class: 'secondary small', id: 'logout', onclick: async () => {
      try { await logout(); } finally { location.assign('login.html'); }
    } }, 'Log out'));
}

function route() {
  app.teardown?.();
  app.teardown = null;
  const params = app.params();
  const main = $('#main');
  if (params.get('view') === 'logs' && app.routes.has('GET /api/v1/logs/stream')) {
    app.teardown = renderLogs(main, app);
  } else if (params.get('view') === 'audit' && app.routes.has('GET /api/v1/history')) {
    app.teardown = renderAudit(main, app);
  } else if (params.get('view') === 'process') {
    app.teardown = renderProcessView(main, app, Number(params.get('id')));
  } else {
    app.teardown = renderFleetView(main, app, viewFleet());
  }
  banners();
}

async function start() {
  try {
    app.session = await session();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { toLogin(); return; }
    fill($('#main'), h('p', { class: 'banner down', role: 'alert' }, 'The master did not answer: ' + e.message));
    return;
  }
  document.body.dataset.role = app.session.role;
  try { app.routes = await routes(); } catch (e) { app.routes = new Set(); }
  header();
  actions.bind(app.whole);
  app.whole.onChange(what => { if (what === 'master-event' || what === 'snapshot') banners(); });
  openStreams();
  window.addEventListener('popstate', route);
  setInterval(() => tickTimes(), 1000);
  route();
}

start();
