// Loaded into every page by benchmarks/browser_latency.py (Playwright's add_init_script), before
// Streamlit's own scripts. Everything lives on window.__bench:
//  * inputAt: the browser's own timestamp of the next user input (pointerdown / keydown, capture
//    phase: before React sees the event); arm() clears it before every measured change;
//  * finished: how many runs the server reported over since arm(): the websocket is wrapped and
//    each binary ForwardMsg is scanned for its script_finished field (field 6, a varint; a run
//    cut short by a newer rerun, status 2, does not count);
//  * lastMutation: the time of the last change to the document (a chart drawn, a number updated);
//  * done(quietMs): true once a run has finished since arm(), the app is idle (script not running,
//    nothing stale, no spinner or skeleton) and the document has not changed for quietMs. The
//    change's latency is then from inputAt to the last document change (or the run's end).
// Why not the script-state attribute alone: a fast run goes "running" -> "notRunning" within one
// React render, and the attribute never changes.
(() => {
  const SCRIPT_FINISHED = 6;
  const FINISHED_EARLY_FOR_RERUN = 2;

  // The value of a top-level varint field of a protobuf message, or null.
  const varintField = (bytes, wanted) => {
    let i = 0;
    const varint = () => {
      let value = 0;
      let scale = 1;
      for (;;) {
        if (i >= bytes.length) throw new Error('truncated');
        const b = bytes[i++];
        value += (b & 0x7f) * scale;
        if (b < 0x80) return value;
        scale *= 128;
      }
    };
    try {
      while (i < bytes.length) {
        const tag = varint();
        const field = Math.floor(tag / 8);
        const wire = tag % 8;
        if (wire === 0) {
          const v = varint();
          if (field === wanted) return v;
        } else if (wire === 1) i += 8;
        else if (wire === 2) {
          const length = varint();   // read first: `i += varint()` would add to the old i
          i += length;
        }
        else if (wire === 5) i += 4;
        else return null;
      }
    } catch (e) {
      return null;
    }
    return null;
  };

  const bench = {
    inputAt: null,
    finished: 0,
    finishedAt: null,
    lastMutation: 0,
    messages: 0,
    bytes: 0,

    arm() {
      bench.inputAt = null;
      bench.finished = 0;
      bench.finishedAt = null;
      bench.messages = 0;
      bench.bytes = 0;
    },

    onMessage(data) {
      if (Object.prototype.toString.call(data) !== '[object ArrayBuffer]') return;   // binary frames only
      bench.messages += 1;
      bench.bytes += data.byteLength;
      const status = varintField(new Uint8Array(data), SCRIPT_FINISHED);
      if (status !== null && status !== FINISHED_EARLY_FOR_RERUN && bench.inputAt !== null) {
        bench.finished += 1;
        bench.finishedAt = performance.now();
      }
    },

    mainText() {
      const main = document.querySelector('[data-testid="stMain"]');
      return main ? main.innerText : '';
    },

    idle() {
      const app = document.querySelector('[data-testid="stApp"]');
      if (!app) return false;
      if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
      if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
      if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"], '
        + '[data-testid="stStatusWidgetRunningManIcon"]')) return false;
      if (document.querySelector('[data-stale="true"]')) return false;
      if (document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')) return false;
      if (document.querySelector('[data-testid="stMain"] [data-testid="stSpinner"]')) return false;
      // every figure shown (explorer/ui/figure.py: class st-key-fig_...) drawn, none being drawn
      for (const box of document.querySelectorAll('[data-testid="stMain"] [class*="st-key-fig_"]')) {
        if (box.checkVisibility() && !box.querySelector('.explorer-figure:not([data-pending]) .main-svg')) return false;
      }
      return true;
    },

    // Polled every 10 ms: the cheap tests first. idle() reads the DOM (checkVisibility lays the page
    // out), so it runs only once the document has been quiet, not while the page is still drawing:
    // the probe must not add work to what it measures.
    done(quietMs) {
      if (bench.inputAt === null || bench.finished < 1) return false;
      if (performance.now() - bench.lastMutation < quietMs) return false;
      return bench.idle();
    },

    latency() {
      return Math.max(bench.lastMutation, bench.finishedAt) - bench.inputAt;
    },

    // From the input to the message that says the run it caused has finished (the server's part,
    // and the network's); the rest of latency() is the browser drawing what the run sent.
    runTime() {
      return bench.finishedAt - bench.inputAt;
    },
  };
  window.__bench = bench;

  const mark = () => {
    if (bench.inputAt === null) bench.inputAt = performance.now();
  };
  window.addEventListener('pointerdown', mark, true);
  window.addEventListener('keydown', mark, true);

  const NativeWebSocket = window.WebSocket;
  class WatchedWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => bench.onMessage(ev.data));
    }
  }
  window.WebSocket = WatchedWebSocket;

  const watch = () => {
    new MutationObserver(() => {
      bench.lastMutation = performance.now();
    }).observe(document.documentElement, {
      attributes: true, childList: true, subtree: true, characterData: true,
    });
  };
  if (document.documentElement) watch();
  else document.addEventListener('DOMContentLoaded', watch);

})();
