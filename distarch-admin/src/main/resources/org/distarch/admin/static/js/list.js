// The List tab: the seed's columns, sortable, paged; rows updated in place as the stream delivers them, so
// nothing jumps under the pointer or loses focus. Rows become cards on a phone (CSS).
import { h, fill } from './dom.js';
import { time } from './format.js';

export const PAGE_SIZES = [20, 50, 100, 500];

const processLink = (app, r, text) => {
  const p = new URLSearchParams({ view: 'process', id: String(r.id) });
  return h('a', { href: '?' + p, class: 'process-link', onclick: e => {
    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault(); app.go(p);
  } }, text);
};

/** The columns: what the seed showed, and restarts beside them. {key}: the row field it sorts by. */
const COLUMNS = [
  { key: 'id', label: 'ID', value: r => r.id, cell: (app, r) => processLink(app, r, String(r.id)) },
  { key: 'group', label: 'Group', value: r => r.group },
  { key: 'groupId', label: 'Group ID', value: r => r.groupId },
  { key: 'host', label: 'Host', value: r => r.host },
  { key: 'command', label: 'Command', value: r => r.command ?? r.process,
    cell: (app, r) => processLink(app, r, r.process) },
  { key: 'startedAtMillis', label: 'Start time', value: r => r.startedAtMillis, cell: (app, r) => time(r.startedAtMillis) },
  { key: 'stoppedAtMillis', label: 'Stop time', value: r => r.stoppedAtMillis, cell: (app, r) => time(r.stoppedAtMillis) },
  { key: 'lastSeenMillis', label: 'Last seen time', value: r => r.lastSeenMillis, cell: (app, r) => time(r.lastSeenMillis) },
  { key: 'lastOutput', label: 'Last output', value: r => r.lastOutput ?? '', cls: 'output' },
  { key: 'restarts', label: 'Restarts', value: r => r.restarts, cls: 'num' },
  { key: 'state', label: 'Status', value: r => r.state, cell: (app, r) => h('span', {
    class: 'tag state-' + r.state.toLowerCase(), title: r.stateReason || r.state }, r.state) },
];

function comparator(sort) {
  const desc = sort.startsWith('-');
  const col = COLUMNS.find(c => c.key === (desc ? sort.slice(1) : sort)) || COLUMNS[0];
  return (a, b) => {
    const x = col.value(a), y = col.value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (desc ? -c : c) || a.id - b.id;
  };
}

export function renderList(panel, app, fleet) {
  const params = app.params();
  const sort = params.get('sort') || 'id';
  const size = PAGE_SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : 20;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const sortedBy = sort.replace(/^-/, '');

  const head = h('tr', {}, COLUMNS.map(c => {
    const active = c.key === sortedBy;
    const dir = active ? (sort.startsWith('-') ? 'descending' : 'ascending') : 'none';
    return h('th', { scope: 'col', 'aria-sort': dir, class: c.cls },
      h('button', { type: 'button', class: 'sort', dataset: { sort: c.key }, onclick: () => {
        const p = app.params();
        p.set('sort', active && !sort.startsWith('-') ? '-' + c.key : c.key);
        p.delete('page');
        app.go(p, true);
        setTimeout(() => document.querySelector(`button.sort[data-sort="${c.key}"]`)?.focus());
      } }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (dir === 'ascending' ? ' ▲' : ' ▼') : '')));
  }));
  const body = h('tbody', {});
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  const empty = h('p', { class: 'muted empty' });
  fill(panel, h('div', { class: 'table-wrap' }, h('table', { class: 'grid processes', id: 'processes' },
    h('thead', {}, head), body)), empty, pager);

  const trs = new Map();
  const draw = () => {
    const rows = fleet.list().sort(comparator(sort));
    const pages = Math.max(1, Math.ceil(rows.length / size));
    const current = Math.min(page, pages);
    const shown = rows.slice((current - 1) * size, current * size);
    const keep = new Set(shown.map(r => r.id));
    for (const [id, tr] of trs) if (!keep.has(id)) { tr.remove(); trs.delete(id); }
    shown.forEach((r, i) => {
      let tr = trs.get(r.id);
      if (!tr) {
        tr = h('tr', { dataset: { id: String(r.id) } }, COLUMNS.map(c => h('td', { 'data-label': c.label, class: c.cls })));
        trs.set(r.id, tr);
      }
      tr.dataset.state = r.state;
      tr.dataset.group = r.group;
      tr.dataset.host = r.host;
      COLUMNS.forEach((c, j) => {
        const td = tr.children[j];
        const v = String(c.value(r)) + (c.key === 'command' ? r.process : '');
        if (td.dataset.v !== v) {
          td.dataset.v = v;
          if (c.cell) fill(td, c.cell(app, r)); else td.textContent = c.value(r);
        }
      });
      if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null);
    });
    empty.textContent = rows.length ? '' : (fleet.snapshotAt ? 'No process matches.' : 'Loading…');
    const key = `${current}/${pages}/${rows.length}/${size}`;
    if (pager.dataset.key !== key) {
      pager.dataset.key = key;
      const goPage = n => { const p = app.params(); p.set('page', String(n)); app.go(p, true); };
      fill(pager,
        h('button', { type: 'button', class: 'secondary small', disabled: current <= 1, onclick: () => goPage(current - 1) }, '‹ Previous'),
        h('span', { class: 'page-info', id: 'page-info' }, rows.length
          ? `${(current - 1) * size + 1}–${Math.min(rows.length, current * size)} of ${rows.length}` : '0 of 0'),
        h('button', { type: 'button', class: 'secondary small', disabled: current >= pages, onclick: () => goPage(current + 1) }, 'Next ›'),
        h('label', { class: 'page-size' }, 'Rows per page ',
          h('select', { onchange: e => { const p = app.params(); p.set('size', e.target.value); p.delete('page'); app.go(p, true); } },
            PAGE_SIZES.map(n => h('option', { value: n, selected: n === size }, String(n))))));
    }
  };
  return { draw };
}
