// The actions, each through its confirm dialog (naming the targets and how many processes it touches), then the
// API, then a toast with the master's answer. The page never guesses an outcome: it shows what the master said.
import { h } from './dom.js';
import { post, get } from './api.js';
import { confirm, toast } from './ui.js';
import { plural } from './format.js';

let fleet = null;

export function bind(wholeFleet) { fleet = wholeFleet; }

function inGroup(group) {
  return fleet.list().filter(r => group === null || r.group === group);
}

function what(group) { return group === null ? 'every group' : `the group “${group}”`; }

async function run(path, body) {
  try {
    const result = await post(path, body);
    toast(true, result.message, result.details || []);
    return result;
  } catch (e) {
    const b = e.body || {};
    toast(false, b.message || e.message, b.details || []);
    return null;
  } finally {
    // The suspended groups change only with an action: read them again.
    get('api/v1/master').then(m => fleet.summary(m)).catch(() => {});
  }
}

export async function suspend(group) {
  const rows = inGroup(group);
  const running = rows.filter(r => r.pid > 0).length;
  const choice = await confirm({
    title: group === null ? 'Suspend every group?' : `Suspend group “${group}”?`,
    body: [
      h('p', {}, `This stops ${what(group)}: ${plural(rows.length, 'process', 'processes')}, `
        + `${running} of them running now. They stay stopped until resumed.`),
      h('p', {}, h('strong', {}, 'Gracefully'), ': each is asked to stop and gets its stop timeout before it is killed. ',
        h('strong', {}, 'Force'), ': each is killed at once (work in progress is lost).'),
    ],
    buttons: [
      { label: 'Force: kill at once', value: 'force', danger: true },
      { label: 'Suspend gracefully', value: 'graceful' },
    ],
  });
  if (!choice) return null;
  return run('api/v1/actions/suspend', { group, force: choice === 'force' });
}

export async function resume(group) {
  const rows = inGroup(group);
  const ok = await confirm({
    title: group === null ? 'Resume every group?' : `Resume group “${group}”?`,
    body: h('p', {}, `This starts ${what(group)} again (${plural(rows.length, 'process', 'processes')}), `
      + 'with clean failure budgets.'),
    buttons: [{ label: 'Resume', value: 'resume' }],
  });
  if (!ok) return null;
  return run('api/v1/actions/resume', { group });
}

export async function stopMaster() {
  const rows = fleet.list();
  const ok = await confirm({
    title: 'Stop the master?',
    body: [
      h('p', {}, `The master stops all ${plural(rows.length, 'process', 'processes')} gracefully, then ends.`),
      h('p', { class: 'warning' }, 'It cannot be started again from this page: start it from the command line '
        + '(distarch run-master) or its service manager.'),
    ],
    buttons: [{ label: 'Stop the master', value: 'stop', danger: true }],
  });
  if (!ok) return null;
  return run('api/v1/master/stop', {});
}

/** Reload: the plan first (what would change, process by process), applied only once seen and confirmed. */
export async function reload() {
  let plan;
  try {
    plan = await post('api/v1/reload/plan', {});
  } catch (e) {
    const b = e.body || {};
    toast(false, b.message || e.message, b.details || []);
    return null;
  }
  const details = plan.details || [];
  const ok = await confirm({
    title: 'Reload the configuration?',
    body: [
      h('p', {}, plan.message),
      details.length ? h('ul', { class: 'plan' }, details.map(d => h('li', {}, d))) : null,
      h('p', { class: 'muted' }, 'The plan is applied only if the file has not changed since it was read.'),
    ],
    buttons: [{ label: details.length ? 'Apply this plan' : 'Apply (no change)', value: 'apply' }],
  });
  if (!ok) return null;
  return run('api/v1/reload/apply', { planId: plan.planId });
}

/** One process (or any target the API takes: an id, GROUP/ID, GROUP, @HOST): restart, stop (held) or start. */
export async function processAction(kind, target, label) {
  const texts = {
    restart: [`Restart ${label}?`, 'It is stopped gracefully and started again at once (not counted as a failure); '
      + 'one that is not running is started now.', [{ label: 'Restart', value: 'restart' }]],
    stop: [`Stop ${label}?`, 'It stays down (held) until started again from here or the command line; its restart '
      + 'policy, a resume or a reload leave it alone.',
      [{ label: 'Force: kill at once', value: 'force', danger: true }, { label: 'Stop gracefully', value: 'graceful' }]],
    start: [`Start ${label}?`, 'It starts with clean failure budgets, and its hold (if any) is released.',
      [{ label: 'Start', value: 'start' }]],
  };
  const [title, text, buttons] = texts[kind];
  const choice = await confirm({ title, body: h('p', {}, text), buttons });
  if (!choice) return null;
  const body = { target: String(target) };
  if (kind === 'stop') body.force = choice === 'force';
  return run('api/v1/actions/' + kind, body);
}

/** Every process on one host: stop them (graceful or force; held until started) or start them again. */
export async function hostAction(kind, host) {
  const rows = fleet.list().filter(r => r.host === host);
  const running = rows.filter(r => r.pid > 0).length;
  const count = plural(rows.length, 'process', 'processes');
  const texts = {
    stop: [`Stop every process on ${host}?`, [
      h('p', {}, `This stops the ${count} on ${host}, ${running} of them running now. They stay down (held) until `
        + 'started again; their restart policy, a resume or a reload leave them alone.'),
      h('p', {}, h('strong', {}, 'Gracefully'), ': each gets its stop timeout before it is killed. ',
        h('strong', {}, 'Force'), ': each is killed at once.')],
    [{ label: 'Force: kill at once', value: 'force', danger: true }, { label: 'Stop gracefully', value: 'graceful' }]],
    start: [`Start every process on ${host}?`, h('p', {}, `This starts the ${count} on ${host} that are not running, `
      + 'with clean failure budgets, and releases their holds.'), [{ label: 'Start', value: 'start' }]],
  };
  const [title, body, buttons] = texts[kind];
  const choice = await confirm({ title, body, buttons });
  if (!choice) return null;
  const request = { host };
  if (kind === 'stop') request.force = choice === 'force';
  return run('api/v1/actions/' + kind, request);
}

/** The signals offered: what workers commonly handle (reopen, reload, dump), then the stopping ones. */
const SIGNALS = ['HUP', 'USR1', 'USR2', 'INT', 'TERM'];

/** A signal to one process or a group ({@code target} as the API takes it), chosen in the dialog. */
export async function signal(target, label, count) {
  const choice = await confirm({
    title: `Send a signal to ${label}?`,
    body: [h('p', {}, `The signal goes to ${plural(count, 'running process', 'running processes')} (on remote `
      + 'hosts through their relay). What it does is up to the worker; a signal that ends it counts as its exit.')],
    buttons: SIGNALS.map(s => ({ label: 'SIG' + s, value: s, danger: s === 'TERM' || s === 'INT' })),
  });
  if (!choice) return null;
  return run('api/v1/actions/signal', { target: String(target), signal: choice });
}

/** A rolling restart of a group, with its own batch and healthy time (rolling_batch, rolling_healthy_time). */
export async function rollingRestart(group) {
  const rows = inGroup(group);
  const ok = await confirm({
    title: `Rolling restart of group “${group}”?`,
    body: [h('p', {}, `The ${plural(rows.length, 'process', 'processes')} of “${group}” are restarted a batch at a `
      + 'time (its rolling_batch), each batch healthy for its rolling_healthy_time before the next: the group never '
      + 'has fewer than its count minus the batch running. A new process that fails halts it.')],
    buttons: [{ label: 'Begin the rolling restart', value: 'rolling' }],
  });
  if (!ok) return null;
  return run('api/v1/actions/rolling-restart', { group });
}
