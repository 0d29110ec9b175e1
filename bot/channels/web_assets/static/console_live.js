/* Desk pages that follow every change without a reload (the ticket list, a ticket page).
   The page was drawn at a desk revision (data-revision). It long-polls /console/live (the loop
   of poll.js, shared with the chat page), which answers once the revision moves on; then it
   fetches itself again and swaps each part marked data-live whose drawing changed. A part
   drawn the same is left alone (a reply being typed keeps its focus); a part that changed
   (the ticket was closed: its reply box is now disabled) gets what was typed or chosen in its
   fields carried over. Both requests carry X-Console-Live: they keep no session alive and use
   up no notice. No framework: plain ES5, as the chat page. */
(function () {
  'use strict';
  var mark = document.querySelector('[data-revision]');
  if (!mark || !window.fetch || !window.DOMParser || !window.lawbotPoll) { return; }
  var revision = mark.getAttribute('data-revision');

  function show(on) {
    mark.textContent = mark.getAttribute(on ? 'data-on' : 'data-off');
    mark.className = on ? 'live muted' : 'live error';
    mark.hidden = false;
  }

  function get(url, accept, signal) {
    return window.fetch(url, {
      credentials: 'same-origin', cache: 'no-store',
      headers: { Accept: accept, 'X-Console-Live': '1' }, signal: signal
    }).then(function (response) {
      if (response.redirected) { /* the session ended: the login page; the loop stops here */
        window.location.href = response.url;
        return new Promise(function () {});
      }
      if (!response.ok) { throw new Error(String(response.status)); }
      return accept === 'application/json' ? response.json() : response.text();
    });
  }

  function key(field) {
    return (field.form ? field.form.getAttribute('action') : '') + ' ' + field.name;
  }

  function carry(from, to) {
    var typed = {};
    var fields = from.querySelectorAll('textarea[name], select[name]');
    for (var i = 0; i < fields.length; i++) { typed[key(fields[i])] = fields[i].value; }
    fields = to.querySelectorAll('textarea[name], select[name]');
    for (var j = 0; j < fields.length; j++) {
      var value = typed[key(fields[j])];
      if (value === undefined) { continue; }
      if (fields[j].tagName === 'TEXTAREA') { fields[j].value = value; continue; }
      for (var k = 0; k < fields[j].options.length; k++) { /* a choice that is still offered */
        if (fields[j].options[k].value === value) { fields[j].selectedIndex = k; }
      }
    }
  }

  function swap(html) {
    var fresh = new window.DOMParser().parseFromString(html, 'text/html');
    var parts = document.querySelectorAll('[data-live]');
    for (var i = 0; i < parts.length; i++) {
      var name = parts[i].getAttribute('data-live');
      var other = fresh.querySelector('[data-live="' + name + '"]');
      if (!other || other.outerHTML === parts[i].outerHTML) { continue; }
      var part = document.importNode(other, true);
      carry(parts[i], part);
      parts[i].parentNode.replaceChild(part, parts[i]);
    }
    var next = fresh.querySelector('[data-revision]');
    if (next) { revision = next.getAttribute('data-revision'); }
  }

  function round(signal) {
    return get('/console/live?since=' + encodeURIComponent(revision), 'application/json', signal)
      .then(function (data) {
        if (String(data.revision) === revision) { return null; }
        return get(window.location.href, 'text/html', signal).then(swap);
      });
  }

  show(true);
  window.lawbotPoll(round, show);
}());
