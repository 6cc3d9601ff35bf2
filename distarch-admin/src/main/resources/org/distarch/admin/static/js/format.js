// Times with seconds, absolute and relative; sizes; durations.
import { h } from './dom.js';

const pad = n => String(n).padStart(2, '0');

/** "2025-03-01 14:02:09", or "14:02:09" for today. */
export function absolute(millis, now = Date.now()) {
  const d = new Date(millis);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const today = new Date(now);
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** "4 s ago", "in 3 s", "2 min ago", "5 h ago", "3 d ago". */
export function relative(millis, now = Date.now()) {
  const diff = Math.round((now - millis) / 1000);
  const ago = diff >= 0;
  const s = Math.abs(diff);
  let text;
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86400) text = `${Math.floor(s / 3600)} h`;
  else text = `${Math.floor(s / 86400)} d`;
  return ago ? `${text} ago` : `in ${text}`;
}

/** "1 h 02 min", "3 min 04 s", "12 s". */
export function duration(millis) {
  const s = Math.floor(millis / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${pad(Math.floor(s / 60) % 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor(s / 3600) % 24} h`;
}

export function bytes(n) {
  if (!n) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/**
 * A time element: the absolute time, with the relative one beside it (kept current by {@link tickTimes}), the
 * full date in its tooltip; "never" for 0.
 */
export function time(millis) {
  if (!millis) return h('span', { class: 'never' }, 'never');
  const iso = new Date(millis).toISOString();
  return h('time', { datetime: iso, title: new Date(millis).toString(), dataset: { millis: String(millis) } },
    absolute(millis), ' ', h('span', { class: 'rel' }, '(' + relative(millis) + ')'));
}

/** Brings every relative time on the page up to date (once a second, from the page's own clock). */
export function tickTimes(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[data-millis] .rel')) {
    const text = '(' + relative(Number(el.parentElement.dataset.millis), now) + ')';
    if (el.textContent !== text) el.textContent = text;
  }
}

export function exitText(exit) {
  if (!exit) return '—';
  return exit.signal > 0 ? `signal ${exit.signal}` + (exit.code ? ` (code ${exit.code})` : '') : `exit code ${exit.code}`;
}

export function plural(n, one, many = one + 's') {
  return `${n} ${n === 1 ? one : many}`;
}
