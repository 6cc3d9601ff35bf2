// Confirm dialogs and toasts: every action is confirmed with its targets named, and its result is shown.
import { h, fill, $ } from './dom.js';

/**
 * Asks before an action. {@code buttons}: [{label, value, danger}]; resolves to the chosen value, or null when
 * cancelled (the Cancel button or Escape). The dialog is a native modal: focus stays inside it.
 */
export function confirm({ title, body, buttons }) {
  const dialog = $('#confirm');
  return new Promise(resolve => {
    const done = value => { dialog.close(); resolve(value); };
    fill(dialog,
      h('form', { method: 'dialog', class: 'confirm' },
        h('h2', { id: 'confirm-title' }, title),
        h('div', { class: 'confirm-body' }, body),
        h('div', { class: 'confirm-buttons' },
          h('button', { type: 'button', class: 'secondary', onclick: () => done(null) }, 'Cancel'),
          buttons.map(b => h('button', {
            type: 'button', class: b.danger ? 'danger' : 'primary', dataset: { value: b.value },
            onclick: () => done(b.value),
          }, b.label)))));
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    dialog.addEventListener('cancel', e => { e.preventDefault(); done(null); }, { once: true });
    dialog.showModal();
    dialog.querySelector('.confirm-buttons button:last-child').focus();
  });
}

/** A toast: the result of an action, its message and its details (one line per process). */
export function toast(ok, message, details = []) {
  const box = $('#toasts');
  const close = () => item.remove();
  const item = h('div', { class: 'toast ' + (ok ? 'ok' : 'error'), role: ok ? 'status' : 'alert' },
    h('div', { class: 'toast-head' },
      h('strong', {}, ok ? 'Done' : 'Refused'),
      h('button', { type: 'button', class: 'icon', 'aria-label': 'Close', onclick: close }, '×')),
    h('p', { class: 'toast-message' }, message),
    details.length ? h('details', {}, h('summary', {}, details.length === 1 ? '1 line' : `${details.length} lines`),
      h('ul', {}, details.slice(0, 200).map(d => h('li', {}, d)))) : null);
  box.append(item);
  if (ok) setTimeout(close, 10000);
}
