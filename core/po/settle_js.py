"""The JavaScript that tells when a page has settled: Coupa renders comments (and their files) client-side, so a page
is read only once its own scripts are done, without fixed sleeps. `Browser` injects the tracker before any page script
and runs the wait on each page it reads."""

from __future__ import annotations

# Injected before any page script: counts fetch/XHR in flight and short timers, so we know when a page's own scripts
# (Coupa renders comments client-side) have finished, without fixed sleeps.
SETTLE_TRACKER_JS = """
(() => {
  if (window.__cdPending) return;
  const st = window.__cdPending = {n: 0, last: Date.now(), failed: 0};
  const inc = () => { st.n++; st.last = Date.now(); };
  const dec = () => { st.n = Math.max(0, st.n - 1); st.last = Date.now(); };
  // Only the portal's own data requests count as failures (a blocked third-party beacon does not).
  const sameOrigin = (u) => { try { return new URL(String(u), location.href).origin === location.origin; }
                              catch (e) { return false; } };
  const origFetch = window.fetch;
  if (origFetch) {
    window.fetch = function (...args) {
      inc();
      const own = sameOrigin(args[0] && (args[0].url || args[0]));
      const fail = () => { if (own) st.failed++; };
      return origFetch.apply(this, args)
        .then((r) => { if (!r.ok) fail(); return r; }, (e) => { fail(); throw e; })
        .finally(dec);
    };
  }
  const origOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.__cdOwn = sameOrigin(url); return origOpen.call(this, method, url, ...rest);
  };
  const origSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    inc();
    this.addEventListener('loadend', () => {
      if (this.__cdOwn && (this.status === 0 || this.status >= 400)) st.failed++;
      dec();
    });
    return origSend.apply(this, args);
  };
  const origSet = window.setTimeout, origClear = window.clearTimeout, timers = new Set();
  st.rawSetTimeout = origSet.bind(window);  // for our own polling, which must not count as page work
  window.setTimeout = function (fn, ms, ...rest) {
    if (typeof fn !== 'function' || (ms || 0) > 3000) return origSet.call(window, fn, ms, ...rest);
    inc();
    const id = origSet.call(window, function () {
      try { return fn.apply(this, rest); } finally { if (timers.delete(id)) dec(); }
    }, ms);
    timers.add(id);
    return id;
  };
  window.clearTimeout = function (id) { if (timers.delete(id)) dec(); return origClear.call(window, id); };
})();
"""

# Resolves when the page is settled: loaded (or interactive for a while), no tracked work for `quiet` ms, and no
# loading placeholder left in the comments section (a tenant's widget may poll with timers we do not count).
WAIT_SETTLED_JS = """
const [deadlineMs, quietMs, interactiveGraceMs, done] = arguments;
const start = Date.now();
const later = (window.__cdPending && window.__cdPending.rawSetTimeout) || setTimeout;
const LOADING = '[aria-busy="true"], [class*="loading"], [class*="spinner"], [role="progressbar"]';
// The URL and the HTML come from the document that settled, in the same call: a navigation cannot slip between.
const snapshot = (settled) => done({
  settled: settled, url: location.href, html: document.documentElement.outerHTML,
  failed: (window.__cdPending && window.__cdPending.failed) || 0});
function commentsLoading() {
  const section = document.querySelector('section#comments, #comments');
  return !!(section && section.querySelector(LOADING));
}
(function poll() {
  const st = window.__cdPending || {n: 0, last: start};
  const state = document.readyState;
  const loaded = state === 'complete' || (state === 'interactive' && Date.now() - start > interactiveGraceMs);
  if (loaded && st.n === 0 && Date.now() - st.last >= quietMs && !commentsLoading()) return snapshot(true);
  if (Date.now() - start > deadlineMs) return snapshot(false);
  later(poll, 25);
})();
"""

SETTLE_QUIET_MS = 100  # no tracked page work for this long: the page's scripts are done
