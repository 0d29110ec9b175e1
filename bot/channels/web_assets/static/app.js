/* The chat page: sends without reloading, and fetches what is new by long polling (the loop
   is poll.js's, shared with the desk pages).
   Every message has a number; the page asks for the numbers above the highest it has, so a
   page that slept (a phone in a pocket) catches up on waking and shows nothing twice.
   No framework: plain ES5, for old in-app browsers. */
(function () {
  'use strict';
  var root = document.documentElement;
  var large = document.getElementById('large');
  function setLarge(on) {
    root.classList.toggle('large', on);
    if (large) { large.setAttribute('aria-pressed', on ? 'true' : 'false'); }
    try { window.localStorage.setItem('lawbot-large', on ? '1' : ''); } catch (e) { /* private mode */ }
  }
  try { setLarge(window.localStorage.getItem('lawbot-large') === '1'); } catch (e) { /* ignore */ }
  if (large) { large.addEventListener('click', function () { setLarge(!root.classList.contains('large')); }); }

  var list = document.getElementById('messages');
  if (!list) { return; }
  var status = document.getElementById('status');
  var welcome = document.getElementById('welcome');
  var pollUrl = list.getAttribute('data-poll');
  var offlineText = list.getAttribute('data-offline');
  var failedText = list.getAttribute('data-failed');
  var cursor = parseInt(list.getAttribute('data-cursor'), 10) || 0;
  var seen = {};
  var pressed = null;

  function remember() {
    seen = {};
    var items = list.querySelectorAll('[data-id]');
    for (var i = 0; i < items.length; i++) { seen[items[i].getAttribute('data-id')] = true; }
  }
  remember();

  function show(text) {
    status.textContent = text || '';
    status.hidden = !text;
  }

  function add(messages) {
    var last = null;
    for (var i = 0; i < messages.length; i++) {
      var m = messages[i];
      if (seen[m.id]) { continue; }
      seen[m.id] = true;
      var holder = document.createElement('template');
      holder.innerHTML = m.html.trim(); /* rendered and escaped by the server */
      var item = holder.content.firstElementChild;
      var after = null;
      var items = list.children;
      for (var j = 0; j < items.length; j++) {
        if (parseInt(items[j].getAttribute('data-id'), 10) > m.id) { after = items[j]; break; }
      }
      list.insertBefore(item, after);
      last = item;
    }
    if (last) {
      if (welcome) { welcome.hidden = true; }
      last.scrollIntoView({ block: 'start' });
    }
  }

  function round(signal) {
    return window.fetch(pollUrl + '?after=' + cursor, {
      credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' },
      signal: signal
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      add(data.messages);
      if (data.cursor > cursor) { cursor = data.cursor; }
    });
  }

  function connected(on) {
    if (!on) { show(offlineText); } else if (status.textContent === offlineText) { show(''); }
  }

  function newId() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    var hex = '';
    for (var k = 0; k < 16; k++) { hex += (bytes[k] + 256).toString(16).slice(1); }
    return hex;
  }

  document.addEventListener('click', function (event) {
    var target = event.target;
    pressed = target && target.closest ? target.closest('button[type=submit]') : null;
  }, true);

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || form.method !== 'post') { return; }
    event.preventDefault();
    var fields = [];
    var inputs = form.querySelectorAll('input[type=hidden], textarea');
    for (var i = 0; i < inputs.length; i++) {
      fields.push(encodeURIComponent(inputs[i].name) + '=' + encodeURIComponent(inputs[i].value));
    }
    var button = event.submitter || pressed;
    if (button && button.name && form.contains(button)) {
      fields.push(encodeURIComponent(button.name) + '=' + encodeURIComponent(button.value));
    }
    var box = form.querySelector('textarea');
    var key = fields.join('&');
    /* A retry of the same message after a network error reuses its id: the server stores it once. */
    if (form.getAttribute('data-key') !== key) {
      form.setAttribute('data-key', key);
      form.setAttribute('data-mid', newId());
    }
    fields.push('mid=' + form.getAttribute('data-mid'));
    window.fetch(form.action, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: fields.join('&')
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      form.removeAttribute('data-key');
      if (!result.ok) { show(result.data.error || failedText); return; }
      show('');
      if (box) { box.value = ''; }
      if (result.data.cleared) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        remember();
        var details = form.closest('details');
        if (details) { details.open = false; }
      }
      add(result.data.messages);
    }).catch(function () { show(failedText); });
  });

  var text = document.getElementById('text');
  if (text) {
    text.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        var form = text.form;
        if (form.requestSubmit) { form.requestSubmit(); } else {
          form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
        }
      }
    });
  }

  if (list.lastElementChild) { list.lastElementChild.scrollIntoView({ block: 'start' }); }
  window.lawbotPoll(round, connected); /* poll.js: the loop, its back-off and waking up */
}());
