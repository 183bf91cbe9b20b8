// ocrtidy report: renders the edits embedded as JSON, a page of files at a time.
// Text from the data only ever goes into the page through textContent and DOM attributes.
(function () {
  'use strict';

  var FILES_PER_PAGE = 50;      // files per page of the list
  var EDITS_PER_STEP = 100;     // edits rendered per file at first, and per "show more"
  var AUTO_OPEN_MAX = 500;      // with no filter, files open only if a page has this few edits

  var data = JSON.parse(document.getElementById('data').textContent);
  var rules = data.rules;
  var reasons = data.reasons;
  var ruleIndex = Object.create(null);
  rules.forEach(function (r, i) { ruleIndex[r.id] = i; });

  // Edit arrays: [rule, status (0 applied, else 1 + reason index), "line:column", before,
  // after, confidence, context before, context after, evidence].
  var files = data.files.map(function (f) {
    return { name: f[0], lname: f[0].toLowerCase(), hidden: f[1], edits: f[2] };
  });
  var listedPerRule = rules.map(function () { return 0; });
  var totalListed = 0;
  var totalHidden = 0;
  files.forEach(function (f) {
    totalHidden += f.hidden;
    totalListed += f.edits.length;
    f.edits.forEach(function (e) { listedPerRule[e[0]] += 1; });
  });

  function $(id) { return document.getElementById(id); }
  var ui = {
    rule: $('f-rule'), status: $('f-status'), min: $('f-min'), q: $('f-q'),
    file: $('f-file'), fileName: $('f-file-name'), fileClear: $('f-file-clear'),
    reset: $('f-reset'), count: $('f-count'), list: $('files'),
    expand: $('f-expand'), collapse: $('f-collapse')
  };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function fmt(n) { return n.toLocaleString('en-US'); }
  function plural(n, word) { return fmt(n) + ' ' + word + (n === 1 ? '' : 's'); }

  // The rule selector: rules with edits, listed or counted.
  var ruleOptions = Object.create(null);
  rules.forEach(function (r, i) {
    var n = listedPerRule[i];
    if (!n && !r.counted) { return; }
    var label = r.id + ' (' + fmt(n || r.counted) + (n ? '' : ', counted only') + ')';
    var opt = el('option', null, label);
    opt.value = r.id;
    opt.title = r.summary;
    ui.rule.appendChild(opt);
    ruleOptions[r.id] = true;
  });

  // ---- State, mirrored in the URL hash ----

  var state = defaults();

  function defaults() { return { rule: '', status: '', min: 0, q: '', file: '', page: 1 }; }

  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    var s = defaults();
    s.rule = p.get('rule') || '';
    s.status = p.get('status') || '';
    if (s.status !== 'applied' && s.status !== 'flagged') { s.status = ''; }
    var min = parseFloat(p.get('min'));
    s.min = min > 0 ? Math.min(min, 1) : 0;
    s.q = p.get('q') || '';
    s.file = p.get('file') || '';
    var page = parseInt(p.get('page'), 10);
    s.page = page > 1 ? page : 1;
    return s;
  }

  function hashOf(s) {
    var p = new URLSearchParams();
    if (s.rule) { p.set('rule', s.rule); }
    if (s.status) { p.set('status', s.status); }
    if (s.min > 0) { p.set('min', String(s.min)); }
    if (s.q) { p.set('q', s.q); }
    if (s.file) { p.set('file', s.file); }
    if (s.page > 1) { p.set('page', String(s.page)); }
    return p.toString();
  }

  var lastHash = null;
  function writeHash() {
    var h = hashOf(state);
    lastHash = h;
    if (location.hash.replace(/^#/, '') === h) { return; }
    var url = location.href.split('#')[0] + (h ? '#' + h : '');
    try {
      history.replaceState(null, '', url);
    } catch (err) {
      location.replace(url);
    }
  }

  function syncControls() {
    if (state.rule && !ruleOptions[state.rule]) {
      // A rule from the address without edits: add it so the selector shows the filter.
      var opt = el('option', null, state.rule + ' (no edits)');
      opt.value = state.rule;
      ui.rule.appendChild(opt);
      ruleOptions[state.rule] = true;
    }
    ui.rule.value = state.rule;
    ui.status.value = state.status;
    ui.min.value = String(state.min);
    if (document.activeElement !== ui.q) { ui.q.value = state.q; }
    ui.file.hidden = !state.file;
    ui.fileName.textContent = state.file;
    ui.fileName.title = state.file;
  }

  // ---- Filtering ----

  function filtering() { return !!(state.rule || state.status || state.min > 0 || state.q); }

  function conf(e) { return typeof e[5] === 'number' ? e[5] : 0; }

  // Lower-cased raw and cleaned text of an edit with its context, cached on the edit.
  function haystack(e) {
    if (e.length < 10) {
      e[9] = (e[6] + e[3] + e[7] + '\u0000' + e[6] + e[4] + e[7]).toLowerCase();
    }
    return e[9];
  }

  function filter() {
    var active = filtering();
    var rule = state.rule ? (state.rule in ruleIndex ? ruleIndex[state.rule] : -1) : null;
    var status = state.status;
    var min = state.min;
    var q = state.q.toLowerCase();
    var out = [];
    var edits = 0;
    var hidden = 0;
    for (var i = 0; i < files.length; i++) {
      var f = files[i];
      if (state.file && f.name !== state.file) { continue; }
      if (!active) {
        out.push({ f: f, m: f.edits });
        edits += f.edits.length;
        hidden += f.hidden;
        continue;
      }
      var nameHit = q && f.lname.indexOf(q) >= 0;
      var m = [];
      for (var j = 0; j < f.edits.length; j++) {
        var e = f.edits[j];
        if (rule !== null && e[0] !== rule) { continue; }
        if (status === 'applied' && e[1] !== 0) { continue; }
        if (status === 'flagged' && e[1] === 0) { continue; }
        if (min > 0 && conf(e) < min) { continue; }
        if (q && !nameHit && haystack(e).indexOf(q) < 0) { continue; }
        m.push(e);
      }
      if (m.length) {
        out.push({ f: f, m: m });
        edits += m.length;
      }
    }
    return { files: out, edits: edits, hidden: hidden, active: active };
  }

  // ---- Rendering ----

  function editEl(e) {
    var r = rules[e[0]];
    var applied = e[1] === 0;
    var c = conf(e);
    var node = el('div', 'edit ' + (applied ? 'applied' : 'flagged'));
    node.setAttribute('data-rule', r.id);
    node.setAttribute('data-confidence', String(c));
    node.setAttribute('data-applied', applied ? 'true' : 'false');

    var meta = el('div', 'meta');
    var link = el('a', 'rule', r.id);
    link.href = '#' + hashOf({ rule: r.id, status: '', min: 0, q: '', file: '', page: 1 });
    link.title = r.summary;
    link.addEventListener('click', function (ev) {
      ev.preventDefault();
      update({ rule: r.id, page: 1 });
    });
    meta.appendChild(link);
    meta.appendChild(el('br'));
    meta.appendChild(el('span', 'pos', e[2]));
    meta.appendChild(document.createTextNode(' · confidence '));
    meta.appendChild(el('span', 'conf', c.toFixed(2)));
    meta.appendChild(el('span', 'status', applied ? 'applied' : 'not applied (' + (reasons[e[1] - 1] || '?') + ')'));
    node.appendChild(meta);

    var body = el('div', 'body');
    var snip = el('div', 'snip');
    snip.appendChild(el('span', 'ctx', e[6]));
    if (e[3]) { snip.appendChild(el('del', null, e[3])); }
    if (e[4]) { snip.appendChild(el('ins', null, e[4])); }
    snip.appendChild(el('span', 'ctx', e[7]));
    body.appendChild(snip);
    if (e[8]) { body.appendChild(el('div', 'ev', e[8])); }
    node.appendChild(body);
    return node;
  }

  function fileEl(item, open, active) {
    var f = item.f;
    var m = item.m;
    var details = el('details', 'file');
    details.setAttribute('data-file', f.name);
    var summary = el('summary');
    summary.appendChild(el('span', 'fname', f.name));
    var count = active
      ? fmt(m.length) + ' of ' + plural(f.edits.length, 'edit') + ' match'
      : plural(m.length, 'edit');
    summary.appendChild(el('span', 'tag', count));
    if (f.hidden && !active) {
      summary.appendChild(el('span', 'tag', '+ ' + fmt(f.hidden) + ' layout-only, counted'));
    }
    details.appendChild(summary);
    var body = el('div', 'edits');
    details.appendChild(body);
    if (!m.length) {
      body.appendChild(el('p', 'note', f.hidden
        ? plural(f.hidden, 'layout-only edit') + ', counted but not listed (ocrtidy report --all lists them).'
        : 'No edits.'));
    }
    var shown = 0;
    var more = el('button', 'more');
    more.type = 'button';
    function showMore() {
      var end = Math.min(m.length, shown + EDITS_PER_STEP);
      var frag = document.createDocumentFragment();
      for (var i = shown; i < end; i++) { frag.appendChild(editEl(m[i])); }
      body.insertBefore(frag, more.parentNode === body ? more : null);
      shown = end;
      if (shown < m.length) {
        more.textContent = 'Show ' + fmt(Math.min(EDITS_PER_STEP, m.length - shown)) + ' more (' + fmt(m.length - shown) + ' left)';
        if (more.parentNode !== body) { body.appendChild(more); }
      } else if (more.parentNode === body) {
        body.removeChild(more);
      }
    }
    more.addEventListener('click', showMore);
    details.addEventListener('toggle', function () {
      if (details.open && shown === 0 && m.length) { showMore(); }
    });
    if (open) {
      details.open = true;
      if (m.length) { showMore(); }
    }
    return details;
  }

  var pagers = Array.prototype.slice.call(document.querySelectorAll('.pager'));

  function render() {
    var res = filter();
    var pages = Math.max(1, Math.ceil(res.files.length / FILES_PER_PAGE));
    if (state.page > pages) { state.page = pages; }
    var start = (state.page - 1) * FILES_PER_PAGE;
    var slice = res.files.slice(start, start + FILES_PER_PAGE);
    var pageEdits = 0;
    slice.forEach(function (x) { pageEdits += x.m.length; });
    var open = res.active || !!state.file || pageEdits <= AUTO_OPEN_MAX;

    ui.list.textContent = '';
    var frag = document.createDocumentFragment();
    slice.forEach(function (x) { frag.appendChild(fileEl(x, open, res.active)); });
    ui.list.appendChild(frag);
    if (!slice.length) {
      var msg = 'No edit matches these filters.';
      var r = state.rule && ruleIndex[state.rule] >= 0 ? rules[ruleIndex[state.rule]] : null;
      if (r && r.layout && !data.all) {
        msg = r.id + ' changes only layout: its ' + fmt(r.counted) + ' edits are counted, not listed. ' +
          'Run ocrtidy report --all to list them.';
      } else if (!res.active && !state.file) {
        msg = 'No edits to list.';
      }
      ui.list.appendChild(el('p', 'empty', msg));
    }

    var text;
    if (res.active) {
      text = fmt(res.edits) + ' of ' + plural(totalListed, 'listed edit') + ' match, in ' + plural(res.files.length, 'file');
    } else {
      text = plural(res.edits, 'edit') + ' listed in ' + plural(res.files.length, 'file');
      if (res.hidden) { text += ', + ' + fmt(res.hidden) + ' layout-only counted'; }
    }
    ui.count.textContent = text;
    pagers.forEach(function (p) {
      p.querySelector('.p-info').textContent = 'Page ' + state.page + ' of ' + pages;
      p.querySelector('.p-prev').disabled = state.page <= 1;
      p.querySelector('.p-next').disabled = state.page >= pages;
      p.hidden = pages <= 1;
    });
    syncControls();
    writeHash();
  }

  function update(changes, scroll) {
    for (var k in changes) {
      if (Object.prototype.hasOwnProperty.call(changes, k)) { state[k] = changes[k]; }
    }
    render();
    if (scroll) { scrollToList(); }
  }

  function scrollToList() {
    var bar = $('bar');
    var top = ui.list.getBoundingClientRect().top + window.pageYOffset - (bar ? bar.offsetHeight : 0) - 48;
    window.scrollTo(0, Math.max(0, top));
  }

  // ---- Controls ----

  ui.rule.addEventListener('change', function () { update({ rule: ui.rule.value, page: 1 }); });
  ui.status.addEventListener('change', function () { update({ status: ui.status.value, page: 1 }); });
  ui.min.addEventListener('input', function () {
    var v = parseFloat(ui.min.value);
    update({ min: v > 0 ? Math.min(v, 1) : 0, page: 1 });
  });
  var timer = null;
  ui.q.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update({ q: ui.q.value.trim(), page: 1 }); }, 200);
  });
  ui.fileClear.addEventListener('click', function () { update({ file: '', page: 1 }); });
  ui.reset.addEventListener('click', function () {
    ui.q.value = '';
    state = defaults();
    render();
  });
  pagers.forEach(function (p) {
    p.querySelector('.p-prev').addEventListener('click', function () { update({ page: state.page - 1 }, true); });
    p.querySelector('.p-next').addEventListener('click', function () { update({ page: state.page + 1 }, true); });
  });
  function setAll(open) {
    Array.prototype.forEach.call(ui.list.querySelectorAll('details.file'), function (d) { d.open = open; });
  }
  ui.expand.addEventListener('click', function () { setAll(true); });
  ui.collapse.addEventListener('click', function () { setAll(false); });

  // Links in the tables (#rule=..., #file=...) and edits of the address by hand: show the
  // list they select.
  window.addEventListener('hashchange', function () {
    if (location.hash.replace(/^#/, '') === lastHash) { return; }
    state = readHash();
    render();
    scrollToList();
  });

  // Sortable per-file table.
  var table = $('files-table');
  if (table) {
    Array.prototype.forEach.call(table.querySelectorAll('th[data-sort]'), function (th, col) {
      th.title = 'Sort';
      th.addEventListener('click', function () {
        var numeric = th.getAttribute('data-sort') === 'n';
        var current = th.getAttribute('aria-sort');
        var desc = current ? current === 'ascending' : numeric;
        Array.prototype.forEach.call(table.querySelectorAll('th[data-sort]'), function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var t = row.cells[col].textContent;
          return numeric ? parseFloat(t) || 0 : t.toLowerCase();
        };
        rows.sort(function (a, b) {
          var x = key(a);
          var y = key(b);
          var c = x < y ? -1 : x > y ? 1 : 0;
          return desc ? -c : c;
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (row) { frag.appendChild(row); });
        body.appendChild(frag);
      });
    });
  }

  state = readHash();
  render();
  // A pre-filtered address: the filtered list is what the reader came for.
  if (state.file || filtering() || state.page > 1) { scrollToList(); }
})();
