// Reads of the master's history (GET /api/v1/history, /processes/{id}/history): a process's state history and
// the audit. Read when the view opens and again when the stream says something new happened, never on a timer.
import { h, fill } from './dom.js';
import { get } from './api.js';
import { time, duration, exitText } from './format.js';

export async function processHistory(id) {
  return get(`api/v1/processes/${id}/history?limit=100`);
}

function entryText(e) {
  if (e.kind === 'transition') return [h('strong', {}, `${e.from ?? '—'} → ${e.to}`), e.reason ? ` — ${e.reason}` : ''];
  if (e.kind === 'exit') {
    const exit = e.code == null && e.signal == null ? 'never ran' : exitText({ code: e.code ?? 0, signal: e.signal ?? 0 });
    return [h('strong', {}, exit), ' — ', [e.reason, e.outcome ? e.outcome.toLowerCase() : null,
      e.restartIn != null ? `restart in ${duration(e.restartIn)}` : null].filter(Boolean).join(' · ')];
  }
  return JSON.stringify(e);
}

/** A remote host's relay connections in this run (GET /api/v1/history?kind=relay&host=H), newest first. */
export async function relayHistory(host) {
  return get('api/v1/history?' + new URLSearchParams({ kind: 'relay', host, run: 'current', limit: '50' }));
}

/** Fills a list with relay connection entries: when, the state, and why a session ended. */
export function drawRelayHistory(list, answer) {
  const entries = answer.entries || [];
  fill(list, entries.length ? entries.map(e => h('li', { class: 'relay-' + String(e.state).toLowerCase() },
    h('span', { class: 'when' }, time(e.time)), ' ', h('strong', {}, String(e.state).toLowerCase()),
    e.reason ? ` — ${e.reason}` : ''))
    : h('li', { class: 'muted' }, 'No relay connection recorded for this host in this run yet.'));
}

/** Fills a list with a process's history entries, newest first. */
export function drawProcessHistory(list, answer) {
  const entries = answer.entries || [];
  fill(list, entries.length ? entries.map(e => h('li', { class: 'event-' + e.kind },
    h('span', { class: 'when' }, time(e.time)), ' ', entryText(e)))
    : h('li', { class: 'muted' }, 'Nothing recorded for this process in this run yet.'));
}

/** The audit view: who did what, when, through what, and the master's answer. */
export function renderAudit(main, app) {
  const body = h('tbody', {});
  const note = h('p', { class: 'muted small' });
  const load = async () => {
    try {
      const answer = await get('api/v1/history?kind=action&limit=200');
      fill(body, (answer.entries || []).map(e => h('tr', { class: e.ok ? 'ok' : 'refused' },
        h('td', { 'data-label': 'When' }, time(e.time)), h('td', { 'data-label': 'Who' }, e.who),
        h('td', { 'data-label': 'Via' }, e.via), h('td', { 'data-label': 'Action' }, e.action),
        h('td', { 'data-label': 'Target' }, e.target ?? (e.action === 'login' ? '—' : 'all')),
        h('td', { 'data-label': 'Result' }, h('span', { class: 'tag ' + (e.ok ? 'state-running' : 'state-failed') },
          e.ok ? 'done' : 'refused'), ' ', e.result ?? ''))));
      note.textContent = (answer.entries || []).length ? 'Newest first, every run of this master.' : 'No action recorded yet.';
    } catch (e) {
      note.textContent = 'The history cannot be read: ' + e.message;
    }
  };
  fill(main, h('nav', { class: 'crumbs' }, h('a', { href: './', class: 'back', onclick: ev => {
    ev.preventDefault(); app.go(new URLSearchParams());
  } }, '← Fleet')), h('h1', {}, 'Audit'), note,
  h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'audit' },
    h('thead', {}, h('tr', {}, ['When', 'Who', 'Via', 'Action', 'Target', 'Result'].map(c => h('th', { scope: 'col' }, c)))),
    body)));
  load();
  // An action of anyone shows in the stream as its effects; read the audit again then, at most once a second.
  let pending = null;
  const off = app.whole.onChange(what => {
    if (what !== 'process' || pending) return;
    pending = setTimeout(() => { pending = null; load(); }, 1000);
  });
  app.refresh = load;
  return () => { off(); clearTimeout(pending); app.refresh = null; };
}
