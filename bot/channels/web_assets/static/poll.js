/* The long-poll loop of the resident's chat page (app.js) and the desk pages
   (console_live.js), written once.
   lawbotPoll(round, connected): round(signal) makes one request and returns a promise. When
   it resolves the next round starts at once; when it fails the next waits 1 s, 2 s, 4 s …
   up to 30 s. connected(false) from the second failure in a row, connected(true) after each
   success. Waking up (the tab shown again, the network back, a page from the back-forward
   cache) aborts the round or the wait and polls at once: a phone that slept catches up.
   No framework: plain ES5, as the pages. */
(function () {
  'use strict';
  window.lawbotPoll = function (round, connected) {
    var generation = 0;
    var failures = 0;
    var timer = null;
    var controller = null;

    function poll() {
      var mine = ++generation;
      clearTimeout(timer);
      controller = window.AbortController ? new window.AbortController() : null;
      round(controller ? controller.signal : undefined).then(function () {
        if (mine !== generation) { return; }
        failures = 0;
        connected(true);
        poll();
      }, function () {
        if (mine !== generation) { return; }
        failures += 1;
        if (failures > 1) { connected(false); }
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
    poll();
  };
}());
