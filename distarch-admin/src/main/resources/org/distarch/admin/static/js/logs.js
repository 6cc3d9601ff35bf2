// A live log tail from the master's per-process buffers (GET /api/v1/logs/stream): the backlog, then each new
// line as it comes. Follow or pause, a level and a text filter (both applied by the master), download.
import { h, fill } from './dom.js';
import { absolute } from './format.js';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const KEEP = 2000;

const pad = n => String(n).padStart(2, '0');
const stamp = t => { const d = new Date(t); return `${absolute(t)}.${String(d.getMilliseconds()).padStart(3, '0')}`; };

/**
 * @param selector {process: id} for one process, {group}, or {} for the fleet
 * @param options  {level, q, showProcess, onFilter(level, q)} (onFilter: keep the choice in the URL)
 */
export function logTail(selector, options = {}) {
  let level = options.level || '';
  let q = options.q || '';
  let following = true;
  let source = null;
  let lines = [];
  let held = [];
  const list = h('ol', { class: 'log-lines', id: 'log-lines', 'aria-live': 'off' });
  const note = h('p', { class: 'muted small log-note', id: 'log-note' });
  const follow = h('button', { type: 'button', class: 'secondary small', id: 'log-follow', 'aria-pressed': 'true',
    onclick: () => setFollowing(!following) }, 'Pause');
  const levelSelect = h('select', { id: 'log-level', 'aria-label': 'Lowest level shown', onchange: e => {
    level = e.target.value; changed();
  } }, h('option', { value: '' }, 'every level'), LEVELS.map(l => h('option', { value: l.toLowerCase(),
    selected: l.toLowerCase() === level }, l.toLowerCase() + ' and above')));
  const search = h('input', { type: 'search', id: 'log-search', placeholder: 'text in the line', value: q,
    'aria-label': 'Text in the line' });
  const searchForm = h('form', { class: 'log-search', onsubmit: e => { e.preventDefault(); q = search.value.trim(); changed(); } },
    search, h('button', { type: 'submit', class: 'secondary small' }, 'Find'));
  const download = h('button', { type: 'button', class: 'secondary small', id: 'log-download', onclick: save }, 'Download');
  const element = h('div', { class: 'log-tail' },
    h('div', { class: 'log-controls' }, follow, levelSelect, searchForm, download), note, list);

  function setFollowing(on) {
    following = on;
    follow.textContent = on ? 'Pause' : 'Follow';
    follow.setAttribute('aria-pressed', String(on));
    if (on) { held.forEach(draw); held = []; scroll(); }
    status();
  }

  function status(extra) {
    note.textContent = [`${lines.length} lines`, following ? 'following' : `paused (${held.length} new held)`,
      extra].filter(Boolean).join(' · ');
  }

  function draw(line) {
    const item = h('li', { class: 'log-line level-' + line.level.toLowerCase() + ' stream-' + line.stream,
      dataset: { seq: String(line.seq), level: line.level } },
      h('span', { class: 'log-time' }, stamp(line.time)), ' ',
      options.showProcess ? h('span', { class: 'log-process' }, `[${line.group}] [${line.host}] [${line.process}]`) : null,
      options.showProcess ? ' ' : null,
      h('span', { class: 'log-level' }, line.level), ' ', h('span', { class: 'log-text' }, line.text));
    list.append(item);
    while (list.children.length > KEEP) list.firstElementChild.remove();
  }

  function scroll() { list.scrollTop = list.scrollHeight; }

  function open() {
    source?.close();
    lines = [];
    held = [];
    fill(list);
    const params = new URLSearchParams({ lines: '500' });
    if (selector.process) params.set('process', String(selector.process));
    if (selector.group) params.set('group', selector.group);
    if (level) params.set('level', level);
    if (q) params.set('q', q);
    source = new EventSource('api/v1/logs/stream?' + params);
    source.addEventListener('line', e => {
      const line = JSON.parse(e.data);
      lines.push(line);
      if (lines.length > KEEP) lines.shift();
      if (following) { draw(line); scroll(); } else held.push(line);
      status();
    });
    source.addEventListener('end', e => {
      const end = JSON.parse(e.data);
      status(`${end.dropped} lines were lost (${end.reason}); going on`);
    });
    source.addEventListener('error', () => status(source.readyState === EventSource.CLOSED
      ? 'the master refused the log stream' : 'reconnecting…'));
    status();
  }

  function changed() {
    options.onFilter?.(level, q);
    open();
  }

  function save() {
    const text = lines.map(l => `${stamp(l.time)} ${l.level} [${l.group}] [${l.host}] [${l.process}] ${l.text}`).join('\n');
    const url = URL.createObjectURL(new Blob([text + '\n'], { type: 'text/plain' }));
    const name = selector.process ? `process-${selector.process}` : selector.group ? `group-${selector.group}` : 'fleet';
    const d = new Date();
    const a = h('a', { href: url, download: `distarch-${name}-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`
      + `-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}.log` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  open();
  return { element, close: () => source?.close() };
}

/** The fleet-wide log view: every process's lines, or a group's or one process's, with the same controls. */
export function renderLogs(main, app) {
  const params = app.params();
  const group = params.get('group') || '';
  const process = params.get('process') || '';
  const groups = [...new Set(app.whole.list().map(r => r.group))].sort();
  const form = h('form', { class: 'log-scope', onsubmit: e => {
    e.preventDefault();
    const data = new FormData(form);
    const p = new URLSearchParams({ view: 'logs' });
    for (const k of ['group', 'process']) if (data.get(k).trim()) p.set(k, data.get(k).trim());
    app.go(p);
  } },
  h('label', { class: 'field inline' }, h('span', {}, 'Group'), h('input', { name: 'group', value: group,
    list: 'log-groups', type: 'search' })),
  h('datalist', { id: 'log-groups' }, groups.map(g => h('option', { value: g }))),
  h('label', { class: 'field inline' }, h('span', {}, 'Process'), h('input', { name: 'process', value: process,
    type: 'search', placeholder: '7 or Group/2', size: 10 })),
  h('button', { type: 'submit', class: 'secondary small' }, 'Show'));
  const tail = logTail({ group: group || null, process: process || null }, {
    level: params.get('level'), q: params.get('q'), showProcess: true,
    onFilter: (level, q) => {
      const p = app.params();
      if (level) p.set('level', level); else p.delete('level');
      if (q) p.set('q', q); else p.delete('q');
      history.replaceState(null, '', '?' + p);
    },
  });
  fill(main, h('nav', { class: 'crumbs' }, h('a', { href: './', class: 'back', onclick: e => {
    e.preventDefault(); app.go(new URLSearchParams());
  } }, '← Fleet')), h('h1', {}, 'Logs'), form, tail.element);
  return () => tail.close();
}
