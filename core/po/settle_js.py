"""The JavaScript that tells when a page has settled: Coupa renders comments (and their files) client-side, so a page
is read only once its own scripts are done, without fixed sleeps. `Browser` injects the tracker before any page script
and looks at each page it reads until it has settled."""

from __future__ import annotations

# Injected before any page script: counts fetch/XHR in flight and short timers, so we know when a page's own scripts
# (Coupa renders comments client-side) have finished, without fixed sleeps.
SETTLE_TRACKER_JS = """
(() => {
  if (window.__cdPending) return;
  const st = window.__cdPending = {n: 0, last: Date.now(), failed: 0};
  const inc = () => { st.n++; st.last = Date.now(); };
  const dec = () => { st.n = Math.max(0, st.n - 1); st.last = Date.now(); };
  // Only the portal's own data requests count as failures (a blocked third-party beacon does not). One that was
  // redirected away from the portal (to the sign-in page: the session expired under the page) failed too, even if
  // the sign-in page answered 200.
  const sameOrigin = (u) => { try { return new URL(String(u), location.href).origin === location.origin; }
                              catch (e) { return false; } };
  const leftPortal = (finalUrl) => !!finalUrl && !sameOrigin(finalUrl);
  const origFetch = window.fetch;
  if (origFetch) {
    window.fetch = function (...args) {
      inc();
      const own = sameOrigin(args[0] && (args[0].url || args[0]));
      const fail = () => { if (own) st.failed++; };
      return origFetch.apply(this, args)
        .then((r) => { if (!r.ok || leftPortal(r.url)) fail(); return r; }, (e) => { fail(); throw e; })
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
      const failed = this.status === 0 || this.status >= 400 || leftPortal(this.responseURL);
      if (this.__cdOwn && failed) st.failed++;
      dec();
    });
    return origSend.apply(this, args);
  };
  const origSet = window.setTimeout, origClear = window.clearTimeout, timers = new Set();
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

# One look at a page (no waiting in the page: the driver is free for the other tabs between two looks). Null while the
# document is the one we left (LEAVING_JS marked it) or still loading; {settled: false} while its scripts are busy;
# else the settled page, its URL and HTML from the same document in the same call (a navigation cannot slip between).
# With `force`, the page as it is. Loaded means complete, or interactive for `graceMs` (a resource that never ends),
# with no tracked work for `quietMs` and no loading placeholder left in the comments section (a tenant's widget may
# poll with timers we do not count).
POLL_SETTLED_JS = """
const [quietMs, graceMs, force] = arguments;
const state = document.readyState;
if (window.__cdLeaving || state === 'loading') return null;
const now = Date.now();
const since = window.__cdReadySince || (window.__cdReadySince = now);
const st = window.__cdPending || {n: 0, last: 0, failed: 0};
const LOADING = '[aria-busy="true"], [class*="loading"], [class*="spinner"], [role="progressbar"]';
const section = document.querySelector('section#comments, #comments');
const busy = !!(section && section.querySelector(LOADING));
const loaded = state === 'complete' || now - since >= graceMs;
const settled = loaded && st.n === 0 && now - st.last >= quietMs && !busy;
if (!settled && !force) return {settled: false};
return {settled: settled, url: location.href, html: document.documentElement.outerHTML, failed: st.failed || 0};
"""

# Marks the document a tab is about to leave, so a look taken before the next document arrives is never read as it.
LEAVING_JS = "window.__cdLeaving = true;"

SETTLE_QUIET_MS = 100  # no tracked page work for this long: the page's scripts are done
