// The queue groups' figures (GET /api/v1/queues), read again when the stream shows their processes at work
// (at most once a second), with items per second drawn from successive readings.
import { h, fill } from './dom.js';
import { get } from './api.js';

const HISTORY = 60;

export function queuePanel(app) {
  const section = h('div', { class: 'tile', id: 'tile-queues' }, h('h2', {}, 'Queues'));
  const body = h('div', { class: 'queues' });
  section.append(body);
  const samples = new Map(); // group -> [{at, done}]
  let timer = null;
  let last = 0;

  const draw = answer => {
    const rows = app.whole.list();
    const queues = answer.queues || [];
    if (!queues.length) { fill(body, h('p', { class: 'muted small' }, 'No queue item yet.')); return; }
    fill(body, queues.map(q => {
      const list = samples.get(q.group) || [];
      const now = Date.now();
      list.push({ at: now, done: q.handled + q.failed });
      while (list.length > HISTORY) list.shift();
      samples.set(q.group, list);
      const consumers = rows.filter(r => r.group === q.group && r.role === 'CONSUMER');
      const running = consumers.filter(r => r.state === 'RUNNING').length;
      const recent = list.filter(x => now - x.at <= 30000);
      const rate = recent.length > 1
        ? (1000 * (recent[recent.length - 1].done - recent[0].done)) / (recent[recent.length - 1].at - recent[0].at) : 0;
      const canvas = h('canvas', { width: 220, height: 40, class: 'spark', role: 'img',
        'aria-label': `items per second: ${rate.toFixed(1)}` });
      spark(canvas, list);
      const figure = (label, value, id) => h('div', { class: 'figure' }, h('span', { class: 'muted small' }, label),
        h('strong', { dataset: { figure: id } }, String(value)));
      return h('article', { class: 'queue', dataset: { group: q.group } },
        h('h3', {}, q.group),
        h('div', { class: 'figures' },
          figure('consumers running', `${running} of ${consumers.length}`, 'consumers'),
          figure('in flight', q.inFlight, 'inFlight'), figure('done', q.handled, 'done'),
          figure('failed', q.failed, 'failed'), figure('redelivered', q.redelivered, 'redelivered'),
          figure('items/s (30 s)', rate.toFixed(1), 'rate')),
        canvas);
    }));
  };

  const load = () => {
    timer = null;
    last = Date.now();
    get('/api/v1/queues').then(draw).catch(e => fill(body, h('p', { class: 'muted small' }, e.message)));
  };
  const poke = id => {
    const r = app.whole.rows.get(id);
    if (!r || (r.role !== 'FEEDER' && r.role !== 'CONSUMER') || timer) return;
    timer = setTimeout(load, Math.max(0, 1000 - (Date.now() - last)));
  };
  const off = app.whole.onChange((what, id) => { if (what === 'process') poke(id); else if (what === 'snapshot') load(); });
  if (app.whole.snapshotAt) load();
  return { section, close: () => { off(); clearTimeout(timer); } };
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
