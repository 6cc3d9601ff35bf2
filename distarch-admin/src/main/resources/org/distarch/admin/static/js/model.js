// What the page knows of the fleet: the rows a stream delivered, kept current by its messages.

/** Every state of a process (InstanceState), in the order of its life. */
export const STATES = ['CREATED', 'STARTING', 'RUNNING', 'STOPPING', 'BACKOFF', 'ENDED', 'STOPPED', 'FAILED'];

export const FILTER_KEYS = ['state', 'group', 'host', 'command', 'q'];

/** The filter in the page's URL: {states: [...], group, host, command, q}. */
export function filterOf(params) {
  const states = [];
  for (const v of params.getAll('state')) for (const s of v.split(',')) if (s.trim()) states.push(s.trim().toUpperCase());
  const one = k => params.get(k) || null;
  return { states, group: one('group'), host: one('host'), command: one('command'), q: one('q') };
}

export function filterQuery(filter) {
  const q = new URLSearchParams();
  for (const s of filter.states) q.append('state', s);
  for (const k of ['group', 'host', 'command', 'q']) if (filter[k]) q.set(k, filter[k]);
  return q;
}

export const isFiltered = f => f.states.length > 0 || !!(f.group || f.host || f.command || f.q);

const contains = (value, part) => value != null && value.toLowerCase().includes(part.toLowerCase());

/**
 * The server's rule (ProcessFilter) again, only to notice that a row the stream sent once more has left the
 * filter: the stream itself is filtered by the master.
 */
export function matches(row, f) {
  return (f.states.length === 0 || f.states.includes(row.state))
    && (!f.group || f.group === row.group)
    && (!f.host || f.host === row.host)
    && (!f.command || contains(row.command ?? row.process, f.command))
    && (!f.q || contains(row.lastOutput, f.q));
}

/**
 * The health of a set of processes, by the rule the API's groups use: suspended; failed (one given up);
 * degraded (one in backoff, or some running and some not); healthy (all running); else stopped.
 */
export function health(rows, suspended = false) {
  if (suspended) return 'suspended';
  if (rows.length === 0) return 'stopped';
  if (rows.some(r => r.state === 'FAILED')) return 'failed';
  if (rows.some(r => r.state === 'BACKOFF')) return 'degraded';
  if (rows.every(r => r.state === 'RUNNING')) return 'healthy';
  return rows.some(r => r.pid > 0) ? 'degraded' : 'stopped';
}

export const HEALTH_TEXT = {
  healthy: 'all running', degraded: 'some not running, or restarting', failed: 'a process was given up',
  stopped: 'none running', suspended: 'suspended',
};

export function countStates(rows) {
  const counts = {};
  for (const r of rows) counts[r.state] = (counts[r.state] || 0) + 1;
  return counts;
}

export function groupBy(rows, key) {
  const groups = new Map();
  for (const r of rows) {
    const k = r[key];
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  return groups;
}

const TIMELINE = new Set(['process_created', 'process_starting', 'process_started', 'process_stopping',
  'process_timedout', 'process_stopped']);
const TIMELINE_KEEP = 100;

/** The API's relay states (RelayStatus.State) as the page names them (data-state, CSS classes). */
const RELAY_STATE = {
  IDLE: 'idle', CONNECTING: 'connecting', CONNECTED: 'connected', RECONNECTING: 'reconnecting',
  AUTH_REFUSED: 'auth-refused', UNKNOWN_HOST_KEY: 'unknown-host-key', CLOSED: 'closed',
};

/**
 * The rows of one stream and what its messages tell beside them: the master's summary, the relays (remote
 * hosts' launchers) with the state and reason the master reports, and the transitions of each process seen while the page is open.
 */
export class Fleet {
  constructor(filter) {
    this.filter = filter;
    this.rows = new Map();
    this.master = null;
    this.groupsInfo = [];
    this.suspended = new Set();
    this.mainMaster = { state: 'unknown', lastHeard: 0, reason: null, running: null };
    this.relays = new Map();
    this.queues = null;
    this.timelines = new Map();
    this.snapshotAt = 0;
    this.listeners = new Set();
  }

  onChange(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  changed(what, id) { for (const fn of this.listeners) fn(what, id); }

  snapshot(data) {
    this.rows = new Map(data.processes.map(p => [p.id, p]));
    this.summary(data.master);
    this.groupsInfo = data.groups || [];
    if (data.queues) this.queues = data.queues;
    this.snapshotAt = Date.now();
    if (this.mainMaster.state === 'unknown' || this.mainMaster.state === 'stopped') {
      this.mainMaster = { ...this.mainMaster, state: 'running', lastHeard: Date.now() };
    }
    this.changed('snapshot');
  }

  /** A fresh master summary (GET /api/v1/master): the suspended groups change only with an action. */
  summary(master) {
    this.master = master;
    this.suspended = new Set(master.suspendedGroups || []);
    if (master.relays) this.relayStates(master.relays);
    this.changed('master');
  }

  /** The relays as the master reports them (GET /api/v1/master, or a relay's master event): state and reason. */
  relayStates(list) {
    const next = new Map();
    for (const r of list) {
      const key = r.group + '|' + r.host;
      const was = this.relays.get(key) || {};
      next.set(key, { group: r.group, host: r.host, state: RELAY_STATE[r.state] || String(r.state).toLowerCase(),
        since: r.sinceMillis, reason: r.reason, failures: r.failures,
        lastHeard: Math.max(r.lastHeardMillis || 0, was.lastHeard || 0), running: r.processes });
    }
    this.relays = next;
  }

  /** The queue groups' figures, pushed after the events they count. */
  queueFigures(data) {
    this.queues = data.queues || [];
    this.changed('queues');
  }

  process(data) {
    if (data.process === null || !matches(data.process, this.filter)) this.rows.delete(data.id);
    else this.rows.set(data.id, data.process);
    const e = data.event;
    if (e && TIMELINE.has(e.event)) {
      const list = this.timelines.get(data.id) || [];
      if (!list.length || list[list.length - 1].time !== e.time || list[list.length - 1].event !== e.event) {
        list.push(e);
        if (list.length > TIMELINE_KEEP) list.shift();
      }
      this.timelines.set(data.id, list);
    }
    this.changed('process', data.id);
  }

  masterEvent(data) {
    const e = data.event;
    if (!e) return;
    if (data.relays) { this.relayStates(data.relays); this.changed('relays'); }
    if (e.remote) this.relayHeard(e);
    else if (e.event === 'master_running') {
      this.mainMaster = { state: 'running', lastHeard: e.time, reason: null, running: e.runningProcesses };
    } else if (e.event === 'master_stopped') {
      this.mainMaster = { state: 'stopped', lastHeard: e.time, reason: e.reason, exitCode: e.exitCode };
    } else if (e.event === 'master_starting' || e.event === 'master_started') {
      this.mainMaster = { ...this.mainMaster, state: 'running', lastHeard: e.time, reason: null };
    }
    this.changed('master-event');
  }

  /** A relay's once-a-second word: when it was last heard, and how many it runs (the state comes with the others). */
  relayHeard(e) {
    if (e.event !== 'master_running') return;
    for (const r of this.relays.values()) {
      if (r.host === e.host && r.state === 'connected') { r.lastHeard = e.time; }
    }
  }

  /** Every relay (one per group and host) and, without one yet, every remote host with processes. */
  relayRows() {
    const rows = [...this.relays.values()];
    const known = new Set(rows.map(r => r.host));
    for (const r of this.rows.values()) {
      if (r.host && r.host !== 'localhost' && !known.has(r.host)) {
        known.add(r.host);
        rows.push({ group: r.group, host: r.host, state: 'unknown', since: 0, lastHeard: 0, reason: null });
      }
    }
    return rows.sort((a, b) => a.host.localeCompare(b.host) || a.group.localeCompare(b.group));
  }

  list() { return [...this.rows.values()]; }
}
