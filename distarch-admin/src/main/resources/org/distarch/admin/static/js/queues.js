// The queue groups' figures: pushed by the master on the fleet stream (a `queues` message after the events it
// counted, at most every 250 ms while items move; the snapshot has them too), read once (GET /api/v1/queues)
// when the stream has not said yet. The chart draws items per second between successive figures.
import { h, fill } from './dom.js';
import { get } from './api.js';

const HISTORY = 60;

export function queuePanel(app) {
  const section = h('div', { class: 'tile', id: 'tile-queues' }, h('h2', {}, 'Queues'));
  const body = h('div', { class: 'queues' });
  section.append(body);
  const samples = new Map(); // group -> [{at, done}]

  const draw = queues => {
    if (!queues.length) { fill(body, h('p', { class: 'muted small' }, 'No queue group.')); return; }
    const now = Date.now();
    fill(body, queues.map(q => {
      const list = samples.get(q.group) || [];
      const done = q.handled + q.failed;
      if (!list.length || list[list.length - 1].done !== done || now - list[list.length - 1].at > 1000) {
        list.push({ at: now, done });
      }
      while (list.length > HISTORY) list.shift();
      samples.set(q.group, list);
      const rate = Number(q.perSecond || 0);
      const canvas = h('canvas', { width: 220, height: 40, class: 'spark', role: 'img',
        'aria-label': `items per second: ${rate.toFixed(1)}` });
      spark(canvas, list);
      const figure = (label, value, id) => h('div', { class: 'figure' }, h('span', { class: 'muted small' }, label),
        h('strong', { dataset: { figure: id } }, String(value)));
      return h('article', { class: 'queue', dataset: { group: q.group } },
        h('h3', {}, q.group, q.feederState && q.feederState !== 'RUNNING'
          ? h('span', { class: 'tag state-' + q.feederState.toLowerCase() }, 'feeder ' + q.feederState.toLowerCase()) : null),
        h('div', { class: 'figures' },
          figure('consumers running', `${q.consumersRunning ?? '?'} of ${q.consumers ?? '?'}`, 'consumers'),
          figure('connected', q.consumersConnected ?? 0, 'connected'),
          figure('in flight', q.inFlight, 'inFlight'), figure('done', q.handled, 'done'),
          figure('failed', q.failed, 'failed'), figure('redelivered', q.redelivered, 'redelivered'),
          figure('items/s (30 s)', rate.toFixed(1), 'rate')),
        canvas);
    }));
  };

  const off = app.whole.onChange(what => {
    if ((what === 'queues' || what === 'snapshot') && app.whole.queues) draw(app.whole.queues);
  });
  if (app.whole.queues) draw(app.whole.queues);
  else get('api/v1/queues').then(a => { if (!app.whole.queues) draw(a.queues || []); })
    .catch(e => fill(body, h('p', { class: 'muted small' }, e.message)));
  return { section, close: () => off() };
}

/** Items per second between readings, as a small line. */
function spark(canvas, list) {
  const ctx = canvas.getContext('2d');
  const rates = [];
  for (let i = 1; i < list.length; i++) {
    const dt = (list[i].at - list[i - 1].at) / 1000;
    rates.push(dt > 0 ? (list[i].done - list[i - 1].done) / dt : 0);
  }
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (rates.length < 2) return;
  const max = Math.max(1, ...rates);
  ctx.strokeStyle = '#1d4ed8';
  ctx.lineWidth = 2;
  ctx.beginPath();
  rates.forEach((r, i) => {
    const x = (i / (rates.length - 1)) * (canvas.width - 2) + 1;
    const y = canvas.height - 2 - (r / max) * (canvas.height - 4);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.stroke();
}
