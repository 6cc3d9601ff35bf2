// The fleet page: the search bar, the actions, the summary tiles, the masters and relays, and the two tabs.
import { h, fill, scheduler } from './dom.js';
import { STATES, filterOf, filterQuery, isFiltered, health, HEALTH_TEXT, countStates, groupBy } from './model.js';
import { time, plural } from './format.js';
import * as actions from './actions.js';
import { renderList } from './list.js';
import { renderGrouped } from './grouped.js';
import { queuePanel } from './queues.js';

export function renderFleetView(main, app, view) {
  const params = app.params();
  const tab = params.get('tab') === 'grouped' ? 'grouped' : 'list';
  const whole = app.whole;

  const search = searchBar(app, params);
  const toolbar = h('div', { class: 'toolbar', id: 'actions' });
  const tiles = h('section', { class: 'tiles', 'aria-label': 'Summary' });
  const masters = h('section', { class: 'masters', 'aria-labelledby': 'masters-title' });
  const content = h('section', { id: 'tab-panel', role: 'tabpanel', 'aria-labelledby': 'tab-' + tab });
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' },
    ['list', 'grouped'].map(t => h('button', {
      type: 'button', role: 'tab', id: 'tab-' + t, 'aria-selected': String(t === tab), tabindex: t === tab ? 0 : -1,
      onclick: () => { const p = app.params(); p.set('tab', t); p.delete('page'); app.go(p); },
      onkeydown: e => {
        if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
          const p = app.params(); p.set('tab', tab === 'list' ? 'grouped' : 'list'); app.go(p);
          setTimeout(() => document.querySelector('[role=tab][aria-selected=true]')?.focus());
        }
      },
    }, t === 'list' ? 'List' : 'Grouped')));
  const queues = app.routes.has('GET /api/v1/queues') ? queuePanel(app) : null;
  fill(main, search.form, toolbar, tiles, queues ? h('section', { class: 'queue-tiles' }, queues.section) : null,
    masters, tabs, content);

  const renderTab = tab === 'list' ? renderList(content, app, view) : renderGrouped(content, app, view);

  const draw = scheduler(() => {
    search.suggest(whole);
    actionBar(toolbar, app);
    summary(tiles, app, whole);
    mastersTable(masters, whole);
    if (queues) queues.section.parentElement.hidden = !whole.list().some(r => r.role === 'FEEDER');
    renderTab.draw();
  });
  const offWhole = whole.onChange(what => { if (what !== 'queues') draw(); }); // the queue panel draws its own
  const offView = view === whole ? () => {} : view.onChange(draw);
  app.refresh = draw;
  draw();
  return () => { offWhole(); offView(); renderTab.close?.(); queues?.close(); app.refresh = null; };
}

function searchBar(app, params) {
  const filter = filterOf(params);
  const lists = {
    group: h('datalist', { id: 'groups-list' }),
    host: h('datalist', { id: 'hosts-list' }),
    command: h('datalist', { id: 'commands-list' }),
  };
  const field = (name, label, list, placeholder) => h('label', { class: 'field' }, h('span', {}, label),
    h('input', { type: 'search', name, value: filter[name] || '', list: list ? list.id : null, placeholder,
      autocomplete: 'off' }));
  const states = h('fieldset', { class: 'states' }, h('legend', {}, 'Status'),
    STATES.map(s => h('label', { class: 'chip state-' + s.toLowerCase() },
      h('input', { type: 'checkbox', name: 'state', value: s, checked: filter.states.includes(s) }), s)));
  const form = h('form', { class: 'search', role: 'search', id: 'search', onsubmit: e => {
    e.preventDefault();
    const data = new FormData(form);
    const next = filterQuery({
      states: data.getAll('state'), group: data.get('group').trim(), host: data.get('host').trim(),
      command: data.get('command').trim(), q: data.get('q').trim(),
    });
    const p = app.params();
    for (const k of ['tab', 'sort', 'size', 'order', 'by', 'dir']) if (p.get(k)) next.set(k, p.get(k));
    app.go(next);
  } },
  states,
  h('div', { class: 'fields' },
    field('group', 'Group', lists.group), field('host', 'Host', lists.host),
    field('command', 'Command', lists.command), field('q', 'Text in output', null, 'any text'),
    h('div', { class: 'search-buttons' },
      h('button', { type: 'submit', class: 'primary', id: 'search-button' }, 'Search'),
      h('button', { type: 'button', class: 'secondary', id: 'clear-button', onclick: () => {
        const p = new URLSearchParams();
        const tab = app.params().get('tab');
        if (tab) p.set('tab', tab);
        app.go(p);
      } }, 'Clear'))),
  Object.values(lists),
  isFiltered(filter) ? h('p', { class: 'muted filter-note' }, 'Filtered by the master; the tiles below show the whole fleet.') : null);

  let last = '';
  const suggest = fleet => {
    const rows = fleet.list();
    const values = {
      group: [...new Set(rows.map(r => r.group))].sort(),
      host: [...new Set(rows.map(r => r.host))].sort(),
      command: [...new Set(rows.map(r => r.command).filter(Boolean))].sort(),
    };
    const key = JSON.stringify(values);
    if (key === last) return;
    last = key;
    for (const [k, list] of Object.entries(lists)) fill(list, values[k].map(v => h('option', { value: v })));
  };
  return { form, suggest };
}

function actionBar(bar, app) {
  if (!app.canSee('operator')) { fill(bar); return; }
  const down = app.masterDown();
  const button = (label, id, onclick, cls = 'secondary') =>
    h('button', { type: 'button', class: 'action ' + cls, id, disabled: down, onclick }, label);
  const key = JSON.stringify([down, app.session.role]);
  if (bar.dataset.key === key) return;
  bar.dataset.key = key;
  fill(bar,
    button('Resume all', 'resume-all', () => actions.resume(null), 'primary'),
    button('Suspend all', 'suspend-all', () => actions.suspend(null)),
    app.canSee('admin') ? [
      button('Reload configuration…', 'reload', () => actions.reload()),
      button('Stop service', 'stop-master', () => actions.stopMaster(), 'danger'),
      h('span', { class: 'muted small' }, 'Stopping cannot be undone from this page.'),
    ] : null);
}

function card(app, kind, name, rows, suspended) {
  const state = health(rows, suspended);
  const counts = countStates(rows);
  const filterLink = new URLSearchParams();
  filterLink.set(kind, name);
  return h('article', { class: 'card health-' + state, dataset: { name, kind } },
    h('header', {},
      h('span', { class: 'dot', title: HEALTH_TEXT[state], role: 'img', 'aria-label': HEALTH_TEXT[state] }),
      h('a', { href: '?' + filterLink, class: 'card-title', onclick: e => { e.preventDefault(); app.go(filterLink); } }, name),
      h('span', { class: 'muted' }, plural(rows.length, 'process', 'processes'))),
    h('ul', { class: 'counts' }, STATES.filter(s => counts[s]).map(s =>
      h('li', { class: 'tag state-' + s.toLowerCase() }, `${s} ${counts[s]}`))),
    kind === 'group' && app.canSee('operator') ? h('div', { class: 'card-actions' },
      h('button', { type: 'button', class: 'action secondary small', disabled: app.masterDown(),
        dataset: { action: 'suspend', group: name }, onclick: () => actions.suspend(name) }, 'Suspend all'),
      h('button', { type: 'button', class: 'action secondary small', disabled: app.masterDown(),
        dataset: { action: 'resume', group: name }, onclick: () => actions.resume(name) }, 'Resume all'),
      app.routes.has('POST /api/v1/actions/rolling-restart') ? h('button', { type: 'button',
        class: 'action secondary small', disabled: app.masterDown(), dataset: { action: 'rolling', group: name },
        onclick: () => actions.rollingRestart(name) }, 'Rolling restart…') : null,
      app.routes.has('POST /api/v1/actions/signal') ? h('button', { type: 'button', class: 'action secondary small',
        disabled: app.masterDown(), dataset: { action: 'signal', group: name },
        onclick: () => actions.signal(name, `group “${name}”`, rows.filter(r => r.pid > 0).length) }, 'Signal…')
        : null) : null,
    kind === 'host' && app.canSee('operator') && app.routes.has('POST /api/v1/actions/stop') ? h('div',
      { class: 'card-actions' },
      h('button', { type: 'button', class: 'action secondary small', disabled: app.masterDown(),
        dataset: { action: 'stop', host: name }, onclick: () => actions.hostAction('stop', name) }, 'Stop all…'),
      h('button', { type: 'button', class: 'action secondary small', disabled: app.masterDown(),
        dataset: { action: 'start', host: name }, onclick: () => actions.hostAction('start', name) }, 'Start all'))
      : null,
    suspended ? h('p', { class: 'muted small' }, 'Suspended: stays stopped until resumed.') : null);
}

function summary(tiles, app, fleet) {
  const rows = fleet.list();
  const groups = groupBy(rows, 'group');
  const hosts = groupBy(rows, 'host');
  const counts = countStates(rows);
  // Drawn again only when what it shows changes, so that a focused button stays focused while output flows.
  const key = JSON.stringify([[...groups].map(([g, r]) => [g, countStates(r), health(r, fleet.suspended.has(g))]),
    [...hosts].map(([n, r]) => [n, countStates(r), health(r)]), app.masterDown(), app.session.role]);
  if (tiles.dataset.key === key) return;
  tiles.dataset.key = key;
  fill(tiles,
    h('div', { class: 'tile', id: 'tile-groups' }, h('h2', {}, 'Groups'),
      h('div', { class: 'cards' }, [...groups].map(([g, r]) => card(app, 'group', g, r, fleet.suspended.has(g))))),
    h('div', { class: 'tile', id: 'tile-hosts' }, h('h2', {}, 'Hosts'),
      h('div', { class: 'cards' }, [...hosts].map(([n, r]) => card(app, 'host', n, r, false)))),
    h('div', { class: 'tile', id: 'tile-states' }, h('h2', {}, 'Statuses'),
      h('ul', { class: 'totals' }, STATES.filter(s => counts[s]).map(s => {
        const p = new URLSearchParams(); p.set('state', s);
        return h('li', {}, h('a', { href: '?' + p, class: 'tag state-' + s.toLowerCase(),
          onclick: e => { e.preventDefault(); app.go(p); } }, s), ' ', h('strong', {}, String(counts[s])));
      }), h('li', { class: 'muted' }, `total ${rows.length}`))));
}

const RELAY_TEXT = {
  connected: 'connected', connecting: 'connecting', reconnecting: 'reconnecting', 'auth-refused': 'auth refused',
  'unknown-host-key': 'unknown host key', idle: 'idle', closed: 'closed', unknown: 'no word yet',
};

function mastersTable(section, fleet) {
  const m = fleet.master;
  const main = fleet.mainMaster;
  const rows = [h('tr', { class: 'master-row', dataset: { host: 'localhost' } },
    h('td', { 'data-label': 'Master' }, 'main'),
    h('td', { 'data-label': 'Host' }, 'localhost'),
    h('td', { 'data-label': 'State' }, h('span', { class: 'tag link-' + main.state }, main.state)),
    h('td', { 'data-label': 'Since' }, m ? time(m.startedAtMillis) : '—'),
    h('td', { 'data-label': 'Last heard' }, time(main.lastHeard)),
    h('td', { 'data-label': 'Details' }, m ? `pid ${m.pid}${m.service ? ', service' : ''}, ${m.config}`
      + (main.reason ? ` — ${main.reason}` : '') : ''))];
  for (const r of fleet.relayRows()) {
    const details = r.reason ? r.reason + (r.failures > 1 ? ` (${r.failures} failures in a row)` : '')
      : r.running != null ? `${r.running} running` : '';
    rows.push(h('tr', { class: 'relay-row', dataset: { host: r.host, group: r.group, state: r.state } },
      h('td', { 'data-label': 'Master' }, `relay (${r.group})`),
      h('td', { 'data-label': 'Host' }, r.host),
      h('td', { 'data-label': 'State' }, h('span', { class: 'tag link-' + r.state }, RELAY_TEXT[r.state] || r.state)),
      h('td', { 'data-label': 'Since' }, time(r.since)),
      h('td', { 'data-label': 'Last heard' }, time(r.lastHeard)),
      h('td', { 'data-label': 'Details', class: 'relay-reason' }, details)));
  }
  fill(section, h('h2', { id: 'masters-title' }, 'Masters'),
    h('table', { class: 'grid small-table', id: 'masters' },
      h('thead', {}, h('tr', {}, ['Master', 'Host', 'State', 'Since', 'Last heard', 'Details'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)));
}
