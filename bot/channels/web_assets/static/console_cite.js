/* The FAQ editor checks its legal basis as the adviser types: after a pause in typing, the
   box's lines go to /console/citations (a read-only JSON endpoint) and the list beside shows,
   for each line, the article's text or what is wrong with it. Built with textContent only:
   nothing the server or the adviser wrote is parsed as HTML. Plain ES5, no framework. */
(function () {
  'use strict';
  var box = document.querySelector('textarea[data-check]');
  var list = document.querySelector('[data-role="citations"]');
  if (!box || !list || !window.fetch) { return; }
  var PAUSE_MS = 400; /* a pause in typing, not every key: one request per pause */
  var timer = null;
  var asked = 0;
  var sent = box.value;

  function item(className, text) {
    var li = document.createElement('li');
    li.className = className;
    li.textContent = text;
    return li;
  }

  function render(citations) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!citations.length) { list.appendChild(item('muted', list.getAttribute('data-none'))); }
    for (var i = 0; i < citations.length; i++) {
      var c = citations[i];
      var li = item(c.problem ? 'bad' : 'ok', '');
      var name = document.createElement('b');
      name.textContent = c.citation;
      li.appendChild(name);
      li.appendChild(document.createTextNode(' '));
      if (c.problem) {
        var error = document.createElement('span');
        error.className = 'error';
        error.textContent = c.problem;
        li.appendChild(error);
      } else {
        var tag = document.createElement('span');
        tag.className = 'tag ok';
        tag.textContent = list.getAttribute('data-ok');
        var quote = document.createElement('blockquote');
        quote.textContent = c.text;
        li.appendChild(tag);
        li.appendChild(quote);
      }
      list.appendChild(li);
    }
    list.setAttribute('data-checked', sent);
  }

  function fail(text) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.appendChild(item('error', text || list.getAttribute('data-failed')));
  }

  function check() {
    var mine = ++asked;
    sent = box.value;
    window.fetch(box.getAttribute('data-check') + '?text=' + encodeURIComponent(sent), {
      credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (mine !== asked) { return; }
      if (result.ok) { render(result.data.citations); } else { fail(result.data.error); }
    }).catch(function () {
      if (mine === asked) { fail(''); }
    });
  }

  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(check, PAUSE_MS);
  });
}());
