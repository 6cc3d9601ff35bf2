// The page of one process: its state and why, ids, times, exit, restarts by cause, CPU and memory, last output,
// and the transitions the stream reported while the page is open. Live from the whole fleet's stream.
import { h, fill, scheduler } from './dom.js';
import { time, duration, bytes, exitText, absolute } from './format.js';
import * as actions from './actions.js';
import { processHistory, drawProcessHistory, relayHistory, drawRelayHistory } from './history.js';
import { logTail } from './logs.js';

const EVENT_TEXT = {
  process_created: 'created', process_starting: 'starting', process_started: 'started',
  process_stopping: 'stopping', process_timedout: 'timed out', process_stopped: 'stopped',
};

function eventDetail(e) {
  switch (e.event) {
    case 'process_starting': return e.attempt > 1 ? `attempt ${e.attempt}` : '';
    case 'process_started': return `pid ${e.pid}`;
    case 'process_stopping': return e.reason || '';
    case 'process_timedout': return `silent for ${duration(e.silence)} (${e.consecutiveTimeouts} in a row)`;
    case 'process_stopped': return [exitText(e.exit), e.reason, e.outcome ? e.outcome.toLowerCase().replace(/_/g, ' ') : null,
      e.restartIn != null ? `restart in ${duration(e.restartIn)}` : null].filter(Boolean).join(' · ');
    default: return '';
  }
}

export function renderProcessView(main, app, id) {
  const fleet = app.whole;
  const back = h('a', { href: './', class: 'back', onclick: e => {
    e.preventDefault();
    if (history.length > 1 && document.referrer.startsWith(location.origin)) history.back(); else app.go(new URLSearchParams());
  } }, '← Fleet');
  const title = h('h1', { id: 'process-title' }, `Process ${id}`);
  const facts = h('dl', { class: 'facts', id: 'process-facts' });
  const usage = h('dl', { class: 'facts', id: 'process-usage' });
  const output = h('pre', { class: 'output-line', id: 'process-output' });
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  const buttons = h('div', { class: 'toolbar', id: 'process-actions' });
  const tail = app.routes.has('GET /api/v1/logs/stream') ? logTail({ process: id }) : null;
  const history = h('ol', { class: 'timeline', id: 'history' });
  const historyNote = h('p', { class: 'muted small' }, 'This run, newest first, from the master\'s history.');
  let historyTimer = null;
  let historyTries = 0;
  const loadHistory = () => {
    historyTimer = null;
    if (!app.routes.has('GET /api/v1/processes/{id}/history')) return;
    processHistory(id).then(a => {
      drawProcessHistory(history, a);
      // The history is written a moment after the event: read once more until it has caught up with the row.
      const newest = a.entries?.[0]?.time ?? 0;
      const row = fleet.rows.get(id);
      if (row && newest < row.stateSinceMillis && historyTries++ < 5 && !historyTimer) {
        historyTimer = setTimeout(loadHistory, 2000);
      } else if (row && newest >= row.stateSinceMillis) {
        historyTries = 0;
      }
    })
      .catch(e => { historyNote.textContent = 'The history cannot be read: ' + e.message; });
  };
  // A remote process: its host's relay sessions, from the history (read again when a relay's state changes).
  const relays = h('ol', { class: 'timeline', id: 'relay-history' });
  const relaySection = h('section', { id: 'process-relay', hidden: true }, h('h2', {}, 'Relay'),
    h('p', { class: 'muted small' }, 'The sessions with this host\'s relay in this run, newest first, from the '
      + 'master\'s history.'), relays);
  let relayTimer = null;
  const loadRelays = () => {
    relayTimer = null;
    const r = fleet.rows.get(id);
    if (!r || !r.host || r.host === 'localhost' || !app.routes.has('GET /api/v1/history')) return;
    relaySection.hidden = false;
    relayHistory(r.host).then(a => drawRelayHistory(relays, a))
      .catch(e => fill(relays, h('li', { class: 'muted' }, 'The history cannot be read: ' + e.message)));
  };
  fill(main, h('nav', { class: 'crumbs' }, back), title, buttons,
    h('div', { class: 'process-grid' },
      h('section', {}, h('h2', {}, 'State and identity'), facts),
      h('section', {}, h('h2', {}, 'Restarts and resources'), usage)),
    h('section', {}, h('h2', {}, 'Last output'), output),
    tail ? h('section', { id: 'process-log' }, h('h2', {}, 'Log'), tail.element) : null,
    relaySection,
    app.routes.has('GET /api/v1/processes/{id}/history')
      ? h('section', {}, h('h2', {}, 'State history'), historyNote, history) : null,
    h('section', {}, h('h2', {}, 'Transitions'), h('p', { class: 'muted small' }, 'As the live stream reports them while '
      + 'this page is open; it sends the latest change of a process at most every 250 ms, so changes closer '
      + 'together show as the last of them.'), timeline));

  const samples = [];
  const dd = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];
  const draw = scheduler(() => {
    const r = fleet.rows.get(id);
    if (!r) {
      fill(title, `Process ${id}`);
      fill(facts, fleet.snapshotAt ? h('p', {}, 'No such process in this fleet (it may have been removed by a reload).') : 'Loading…');
      return;
    }
    document.title = `${r.process} — distarch`;
    fill(title, r.process, ' ', h('span', { class: 'tag state-' + r.state.toLowerCase(), id: 'process-state' }, r.state));
    const now = Date.now();
    if (!samples.length || samples[samples.length - 1].cpu !== r.cpuMillis) samples.push({ at: now, cpu: r.cpuMillis });
    while (samples.length > 2 && now - samples[0].at > 30000) samples.shift();
    const first = samples[0], last = samples[samples.length - 1];
    const cpuPercent = samples.length > 1 && last.at > first.at ? (100 * (last.cpu - first.cpu)) / (last.at - first.at) : null;
    fill(facts,
      dd('Status', h('span', { class: 'tag state-' + r.state.toLowerCase() }, r.state), r.stateReason ? ` — ${r.stateReason}` : ''),
      dd('In this state since', time(r.stateSinceMillis)),
      r.held ? dd('Held', r.held) : null,
      dd('ID', String(r.id)), dd('Group', r.group), dd('Group ID', String(r.groupId)), dd('Host', r.host),
      dd('Command', h('code', {}, r.command ?? '')), dd('Role', (r.role || '').toLowerCase()),
      dd('PID', r.pid > 0 ? String(r.pid) : '—'),
      dd('Start time', time(r.startedAtMillis)), dd('Stop time', time(r.stoppedAtMillis)),
      dd('Last seen time', time(r.lastSeenMillis)),
      dd('Up for', r.uptimeMillis ? duration(r.uptimeMillis) : '—'),
      dd('Last exit', exitText(r.lastExit)));
    const other = Math.max(0, r.restarts - r.crashes - r.timeouts);
    fill(usage,
      dd('Restarts', h('strong', { id: 'restarts' }, String(r.restarts))),
      dd('after a crash', String(r.crashes)), dd('after a timeout', String(r.timeouts)),
      dd('other (asked, or a service cycle)', String(other)),
      dd('CPU time', duration(r.cpuMillis)),
      dd('CPU now', cpuPercent === null ? '—' : `${cpuPercent.toFixed(1)} %`),
      dd('Memory (RSS)', bytes(r.rssBytes)));
    output.textContent = r.lastOutput ?? '';
    const events = fleet.timelines.get(id) || [];
    fill(timeline, events.length ? events.slice().reverse().map(e => h('li', { class: 'event-' + e.event },
      h('span', { class: 'when' }, time(e.time)), ' ', h('strong', {}, EVENT_TEXT[e.event] || e.event), ' ',
      h('span', { class: 'muted' }, eventDetail(e)))) : h('li', { class: 'muted' }, 'No change since '
      + absolute(fleet.snapshotAt || Date.now()) + '.'));
    const key = JSON.stringify([r.group, app.masterDown(), fleet.suspended.has(r.group), app.session.role, r.state, r.held]);
    if (buttons.dataset.key !== key) {
      buttons.dataset.key = key;
      const act = (kind, label, cls = 'secondary') => app.routes.has('POST /api/v1/actions/' + kind)
        ? h('button', { type: 'button', class: 'action ' + cls, disabled: app.masterDown(), id: 'process-' + kind,
          onclick: () => actions.processAction(kind, r.id, r.process) }, label) : null;
      fill(buttons, app.canSee('operator') ? [
        act('restart', 'Restart', 'primary'),
        r.pid > 0 || !r.held ? act('stop', 'Stop…') : null,
        r.pid > 0 ? null : act('start', 'Start'),
        r.pid > 0 && app.routes.has('POST /api/v1/actions/signal') ? h('button', { type: 'button',
          class: 'action secondary', disabled: app.masterDown(), id: 'process-signal',
          onclick: () => actions.signal(r.id, r.process, 1) }, 'Signal…') : null,
        h('button', { type: 'button', class: 'action secondary', disabled: app.masterDown(), id: 'suspend-group',
          onclick: () => actions.suspend(r.group) }, `Suspend group “${r.group}”`),
        h('button', { type: 'button', class: 'action secondary', disabled: app.masterDown(), id: 'resume-group',
          onclick: () => actions.resume(r.group) }, `Resume group “${r.group}”`),
      ] : null);
    }
  });
  const off = fleet.onChange((what, pid) => {
    if (what !== 'process' || pid === id) draw();
    // A new transition of this process is in the history a moment after the stream shows it.
    if (what === 'process' && pid === id && !historyTimer) historyTimer = setTimeout(loadHistory, 1000);
    const relayNews = relaySection.hidden ? what === 'snapshot' || (what === 'process' && pid === id) : what === 'relays';
    if (relayNews && !relayTimer) relayTimer = setTimeout(loadRelays, relaySection.hidden ? 0 : 1000);
  });
  loadHistory();
  loadRelays();
  app.refresh = draw;
  draw();
  return () => {
    off(); tail?.close(); clearTimeout(historyTimer); clearTimeout(relayTimer); app.refresh = null;
    document.title = 'distarch';
  };
}
