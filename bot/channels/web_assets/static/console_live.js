/* Desk pages that follow every change without a reload (the ticket list, a ticket page).
   The page was drawn at a desk revision (data-revision). It long-polls /console/live, which
   answers once the revision moves on; then it fetches itself again and swaps the parts
   marked data-live. Forms outside those parts (a reply being typed) are never touched.
   Both requests carry X-Console-Live: they keep no session alive and use up no notice.
   No framework: plain ES5, as the chat page. */
(function () {
  'use strict';
  var mark = document.querySelector('[data-revision]');
  if (!mark || !window.fetch || !window.DOMParser) { return; }
  var revision = mark.getAttribute('data-revision');
  var generation = 0;
  var failures = 0;
  var timer = null;
  var controller = null;

  function show(on) {
    mark.textContent = mark.getAttribute(on ? 'data-on' : 'data-off');
    mark.className = on ? 'live muted' : 'live error';
    mark.hidden = false;
  }

  function get(url, accept) {
    controller = window.AbortController ? new window.AbortController() : null;
    return window.fetch(url, {
      credentials: 'same-origin', cache: 'no-store',
      headers: { Accept: accept, 'X-Console-Live': '1' },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.redirected) { /* the session ended: the login page */
        window.location.href = response.url;
        throw new Error('login');
      }
      if (!response.ok) { throw new Error(String(response.status)); }
      return accept === 'application/json' ? response.json() : response.text();
    });
  }

  function swap(html) {
    var fresh = new window.DOMParser().parseFromString(html, 'text/html');
    var parts = document.querySelectorAll('[data-live]');
    for (var i = 0; i < parts.length; i++) {
      var name = parts[i].getAttribute('data-live');
      var other = fresh.querySelector('[data-live="' + name + '"]');
      if (other) { parts[i].parentNode.replaceChild(document.importNode(other, true), parts[i]); }
    }
    var next = fresh.querySelector('[data-revision]');
    if (next) { revision = next.getAttribute('data-revision'); }
  }

  function poll() {
    var mine = ++generation;
    clearTimeout(timer);
    get('/console/live?since=' + encodeURIComponent(revision), 'application/json')
      .then(function (data) {
        if (mine !== generation || String(data.revision) === revision) { return null; }
        return get(window.location.href, 'text/html').then(function (html) {
          if (mine === generation) { swap(html); }
        });
      }).then(function () {
        if (mine !== generation) { return; }
        failures = 0;
        show(true);
        poll();
      }).catch(function (error) {
        if (mine !== generation || error.message === 'login') { return; }
        failures += 1;
        if (failures > 1) { show(false); }
        timer = setTimeout(poll, Math.min(30000, 500 * Math.pow(2, failures)));
      });
  }

  function restart() {
    generation += 1;
    if (controller) { controller.abort(); }
    failures = 0;
    poll();
  }

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') { restart(); }
  });
  window.addEventListener('online', restart);
  window.addEventListener('pageshow', function (event) { if (event.persisted) { restart(); } });
  show(true);
  poll();
}());
