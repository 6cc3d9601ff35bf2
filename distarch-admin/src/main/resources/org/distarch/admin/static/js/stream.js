// One live stream (GET /api/v1/events): a snapshot, then process, master and queues messages. The browser reconnects by
// itself with Last-Event-ID and the master replays what was missed; this class only says how the link is doing.

/** No message for this long means the data on the page may be old: the master says master_running every second. */
export const STALE_AFTER_MILLIS = 5000;

export class LiveStream {
  /**
   * @param query   the filter, as URLSearchParams (state, group, host, command, q)
   * @param handlers {snapshot(data), process(data), master(data), queues(data), link(state, detail)}
   *                 link states: 'connecting', 'live', 'stale', 'lost'
   */
  constructor(query, handlers) {
    this.query = query;
    this.handlers = handlers;
    this.lastMessage = 0;
    this.state = null;
    this.open();
    this.timer = setInterval(() => this.check(), 1000);
  }

  open() {
    const qs = this.query.toString();
    this.source = new EventSource('api/v1/events' + (qs ? '?' + qs : ''));
    this.link('connecting');
    this.source.addEventListener('open', () => { this.lastMessage = Date.now(); this.link('live'); });
    this.source.addEventListener('error', () => this.failed());
    for (const type of ['snapshot', 'process', 'master', 'queues']) {
      this.source.addEventListener(type, e => {
        this.lastMessage = Date.now();
        if (this.state !== 'live') this.link('live');
        this.handlers[type]?.(JSON.parse(e.data));
      });
    }
  }

  failed() {
    if (this.source.readyState === EventSource.CLOSED) {
      // The browser gives up on an answer that is not a stream (401 after the session ended, 503): ask why,
      // then try again ourselves.
      this.link('lost', 'the master refused the stream or is gone');
      this.handlers.refused?.();
      clearTimeout(this.retry);
      this.retry = setTimeout(() => { if (!this.closed) this.open(); }, 3000);
    } else {
      this.link('lost', 'reconnecting');
    }
  }

  check() {
    if (this.state === 'live' && Date.now() - this.lastMessage > STALE_AFTER_MILLIS) {
      this.link('stale', `no word from the master for ${Math.round((Date.now() - this.lastMessage) / 1000)} s`);
    }
  }

  link(state, detail) {
    if (state === this.state && state !== 'stale') return;
    this.state = state;
    this.handlers.link?.(state, detail, this.lastMessage);
  }

  close() {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
    this.source.close();
  }
}
