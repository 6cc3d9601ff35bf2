// The Grouped tab: Host → Group or Group → Host, sorted by name or size, each box coloured by its health; a
// process opens its page.
import { h, fill } from './dom.js';
import { health, HEALTH_TEXT, groupBy } from './model.js';
import { plural } from './format.js';

function sorted(map, by, dir) {
  const entries = [...map];
  entries.sort((a, b) => by === 'size' ? a[1].length - b[1].length || a[0].localeCompare(b[0]) : a[0].localeCompare(b[0]));
  if (dir === 'desc') entries.reverse();
  return entries;
}

export function renderGrouped(panel, app, fleet) {
  const params = app.params();
  const order = params.get('order') === 'group' ? 'group' : 'host';
  const by = params.get('by') === 'size' ? 'size' : 'name';
  const dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  const inner = order === 'host' ? 'group' : 'host';
  const choose = (name, value) => { const p = app.params(); p.set(name, value); app.go(p, true); };
  const select = (name, label, value, options) => h('label', { class: 'field inline' }, h('span', {}, label),
    h('select', { name, id: 'grouped-' + name, onchange: e => choose(name, e.target.value) },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
  const boxes = h('div', { class: 'boxes', id: 'boxes' });
  fill(panel, h('div', { class: 'grouped-controls' },
    select('order', 'Order', order, [['host', 'Host → Group'], ['group', 'Group → Host']]),
    select('by', 'Sort by', by, [['name', 'name'], ['size', 'size']]),
    select('dir', 'Direction', dir, [['asc', 'ascending'], ['desc', 'descending']])), boxes);

  const draw = () => {
    const rows = fleet.list();
    const outer = groupBy(rows, order);
    const key = JSON.stringify([...outer].map(([k, r]) => [k, r.map(p => [p.id, p.state, p.pid > 0])]).concat([...fleet.suspended]));
    if (boxes.dataset.key === key) return;
    boxes.dataset.key = key;
    const suspended = (name, kind) => kind === 'group' && fleet.suspended.has(name);
    fill(boxes, sorted(outer, by, dir).map(([name, members]) => {
      const state = health(members, suspended(name, order));
      return h('section', { class: 'box health-' + state, dataset: { name, kind: order } },
        h('h3', {}, h('span', { class: 'dot', role: 'img', 'aria-label': HEALTH_TEXT[state] }), ' ',
          order === 'host' ? 'Host ' : 'Group ', h('span', { class: 'box-name' }, name), ' ',
          h('span', { class: 'muted' }, plural(members.length, 'process', 'processes'))),
        h('div', { class: 'inner' }, sorted(groupBy(members, inner), by, dir).map(([sub, procs]) => {
          const subState = health(procs, suspended(sub, inner));
          return h('div', { class: 'box inner-box health-' + subState, dataset: { name: sub, kind: inner } },
            h('h4', {}, h('span', { class: 'dot', role: 'img', 'aria-label': HEALTH_TEXT[subState] }), ' ', sub,
              ' ', h('span', { class: 'muted' }, String(procs.length))),
            h('ul', { class: 'chips' }, procs.sort((a, b) => a.id - b.id).map(p => {
              const link = new URLSearchParams({ view: 'process', id: String(p.id) });
              return h('li', {}, h('a', { href: '?' + link, class: 'chip state-' + p.state.toLowerCase(),
                title: `${p.process}: ${p.state}`, dataset: { id: String(p.id) },
                onclick: e => { e.preventDefault(); app.go(link); } }, `${p.id} ${p.state}`));
            })));
        })));
    }));
  };
  return { draw };
}
