"""The review page's HTML (Jinja2, autoescaped) and its small scripts. Every script carries the response's
nonce (the Content-Security-Policy allows no other script); bulletin text only ever reaches the page
through autoescaped expressions or ``textContent``."""

BASE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="csrf-token" content="{{ csrf }}"><title>{{ title }} · Bulletins review</title>
<style nonce="{{ nonce }}">
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}header{background:#234;color:#fff;padding:8px 16px}
header a{color:#cde;margin-right:14px}main{padding:12px 16px}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
tr.sel{background:#fff6d0}.st-approved{color:#070}.st-rejected{color:#a00}.st-edited{color:#06a}
.flag{color:#c60;font-weight:bold}mark{background:#ffe066}.keys{color:#555;font-size:12px}
.page{position:relative;display:inline-block;border:1px solid #999}.page img{display:block;max-width:100%}
.box{position:absolute;border:2px solid #e00;background:rgba(255,0,0,.08)}.cell{position:absolute;border:1px dashed #06c}.cols{display:flex;gap:18px}
.cols>div{flex:1;min-width:0}input[type=text]{width:100%}.err{color:#b00;font-size:12px}
table.fields th{width:9em}.hint{color:#777;font-size:12px}.progress progress{width:12em;vertical-align:middle}
.flash{padding:6px 10px;background:#eef;border:1px solid #99c}.flash.bad{background:#fee;border-color:#c99}
.conflict{padding:8px 12px;background:#fee;border:2px solid #c33;margin:8px 0}.changed{padding:8px 12px;background:#fff3e0;border:1px solid #e90;margin:8px 0}
.new{background:#e8f5e9}pre.pagetext{white-space:pre-wrap;font:13px/1.5 system-ui,sans-serif;border:1px solid #ccc;padding:8px}
.addpanel{padding:8px 12px;border:1px solid #69c;background:#f4f8fc;margin:8px 0}
</style></head><body><header><b>Bulletins review</b> &nbsp; <a href="/">Queue</a>
<a href="/documents">Documents</a> <a href="/entities">Entities</a> <span id="who"></span></header><main>
<div id="flash" class="flash" role="status" hidden></div>{% block main %}{% endblock %}</main>
<script nonce="{{ nonce }}">
const CSRF = document.querySelector('meta[name=csrf-token]').content;
function reviewer(){let r = {{ reviewer|tojson }} || localStorage.getItem('reviewer');
  if(!r){r = prompt('Your name (recorded with every review action):'); if(r) localStorage.setItem('reviewer', r.slice(0, 120));}
  document.getElementById('who').textContent = r ? ('reviewer: ' + r) : ''; return r;}
async function post(url, body){
  let res;
  try { res = await fetch(url, {method:'POST', credentials:'same-origin',
      headers:{'Content-Type':'application/json','X-CSRF-Token':CSRF},
      body: JSON.stringify(Object.assign({reviewer: reviewer()}, body))}); }
  catch(e) { flash('network error: ' + e, 'bad'); return {ok:false, status:0, data:{}}; }
  let data = {}; try { data = await res.json(); } catch(e) {}
  return {ok: res.ok, status: res.status, data: data};}
function flash(text, kind){ const f = document.getElementById('flash'); f.textContent = text || '';
  f.className = 'flash ' + (kind || ''); f.hidden = !text; }
function showProgress(p){ const el = document.getElementById('progress'); if(!el || !p) return;
  for(const k of ['reviewed', 'total', 'todo', 'changed']){ const s = el.querySelector('.' + k); if(s) s.textContent = p[k]; }
  const bar = el.querySelector('progress'); bar.max = p.total || 1; bar.value = p.reviewed; }
function selectionIn(el){ const sel = getSelection(); if(!el || !sel.rangeCount) return null; const r = sel.getRangeAt(0);
  if(!el.contains(r.startContainer) || !el.contains(r.endContainer)) return null;
  const pre = document.createRange(); pre.selectNodeContents(el); pre.setEnd(r.startContainer, r.startOffset);
  const start = pre.toString().length, text = r.toString(); if(!text.trim()) return null;
  return {start: start, end: start + text.length, text: text}; }
function showErrors(scope, errors){ scope.querySelectorAll('.err').forEach(e => e.textContent = '');
  for(const [k, v] of Object.entries(errors || {})){ const e = scope.querySelector('.err[data-for="' + CSS.escape(k) + '"]');
    if(e) e.textContent = v; else flash(k + ': ' + v, 'bad'); } }
reviewer();
</script>{% block script %}{% endblock %}</body></html>"""

PROGRESS = """<p id="progress" class="progress"><progress value="{{ p.reviewed }}" max="{{ p.total or 1 }}"></progress>
{{ label }}: reviewed <b class="reviewed">{{ p.reviewed }}</b> of <b class="total">{{ p.total }}</b> ·
<b class="todo">{{ p.todo }}</b> to review (<span class="changed">{{ p.changed }}</span> changed since review)</p>"""

# a field's input: a select for allowed values and yes/no, else text the server parses ('125 000', 'avril 2011')
FIELD = """{% if fld.options is not none %}<select id="{{ prefix }}{{ fld.name }}" name="{{ fld.name }}" data-orig="{{ fld.shown }}"{% if readonly %} disabled{% endif %}>
{% for o in fld.options %}<option value="{{ o }}"{% if o == fld.shown %} selected{% endif %}>{{ o if o else '—' }}</option>{% endfor %}</select>
{% else %}<input type="text" id="{{ prefix }}{{ fld.name }}" name="{{ fld.name }}" value="{{ fld.shown }}" data-orig="{{ fld.shown }}"
 maxlength="500" placeholder="{{ fld.hint }}" data-format="{{ fld.format or '' }}"{% if fld.numeric %} inputmode="decimal"{% endif %}{% if readonly %} readonly{% endif %}>{% endif %}
<span class="err" data-for="{{ fld.name }}"></span>"""

ADD = """<div id="addpanel" class="addpanel" hidden><b>Add a record the extraction missed</b>, from the selected text:
<q id="addsel"></q><br>type <select id="addtype">{% for t in types %}<option value="{{ t }}"{% if t == type %} selected{% endif %}>{{ labels[t] }}</option>{% endfor %}</select>
{% for t, flds in add_forms.items() %}<table class="fields addform" data-type="{{ t }}" hidden>{% for fld in flds %}
<tr><th><label for="add-{{ t }}-{{ fld.name }}">{{ fld.name }}</label></th><td>{% with prefix = 'add-' ~ t ~ '-', readonly = False %}{% include "field" %}{% endwith %}</td>
<td class="hint">{{ fld.hint }}</td></tr>{% endfor %}</table>{% endfor %}
<span class="err" data-for="evidence"></span>
<p><button id="addsave" type="button">Add (Enter)</button> <button id="addcancel" type="button">Cancel (Esc)</button></p></div>"""

ADD_SCRIPT = """
let addSel = null;
function openAdd(sel){ if(!sel){ flash('Select the text of the missing record first, then press n.', 'bad'); return; }
  addSel = sel; document.getElementById('addsel').textContent = sel.text; document.getElementById('addpanel').hidden = false;
  showAddForm(); const f = currentAddForm(); const money = sel.text.match(/\\d[\\d\\s\\u00a0\\u202f.,]*\\s*(?:M\\s?\\$|\\$|millions?\\s+de\\s+dollars|€)/);
  f.querySelectorAll('input').forEach(i => { if(i.dataset.format === 'money' && money && !i.value) i.value = money[0].trim(); });
  const first = f.querySelector('input,select'); if(first) first.focus(); }
function currentAddForm(){ return document.querySelector('.addform[data-type="' + document.getElementById('addtype').value + '"]'); }
function showAddForm(){ document.querySelectorAll('.addform').forEach(f => f.hidden = (f !== currentAddForm())); }
function closeAdd(){ document.getElementById('addpanel').hidden = true; addSel = null; }
async function saveAdd(){ const f = currentAddForm(), values = {};
  f.querySelectorAll('input,select').forEach(i => { if(i.value !== '') values[i.name] = i.value; });
  const out = await post('/api/add/' + document.getElementById('addtype').value,
    {doc_id: ADD_DOC, evidence: {page: ADD_PAGE, start: ADD_BASE + addSel.start, end: ADD_BASE + addSel.end, text: addSel.text}, values: values});
  if(out.ok){ location.href = out.data.url; return; }
  showErrors(document.getElementById('addpanel'), out.data.errors || {error: out.data.error || ('error ' + out.status)}); }
document.getElementById('addtype').onchange = showAddForm;
document.getElementById('addsave').onclick = saveAdd; document.getElementById('addcancel').onclick = closeAdd;
document.getElementById('addpanel').addEventListener('keydown', e => { if(e.key === 'Enter'){ e.preventDefault(); saveAdd(); }
  else if(e.key === 'Escape'){ e.preventDefault(); closeAdd(); } });
"""

QUEUE = """{% extends "base" %}{% block main %}
<form method="get" action="/" id="filters">
type <select name="type">{% for t in types %}<option value="{{ t }}"{% if t == f.type %} selected{% endif %}>{{ labels[t] }}</option>{% endfor %}</select>
show <select name="status">{% for v, l in views %}<option value="{{ v }}"{% if v == f.status %} selected{% endif %}>{{ l }}</option>{% endfor %}</select>
document <select name="doc"><option value="">all</option>{% for d in docs %}<option value="{{ d.id }}"{% if d.id == f.doc %} selected{% endif %}>{{ d.name }}</option>{% endfor %}</select>
changed since review only <input type="checkbox" name="flagged" value="1"{% if f.flagged %} checked{% endif %}>
sort <select name="sort">{% for v, l in sorts %}<option value="{{ v }}"{% if v == f.sort %} selected{% endif %}>{{ l }}</option>{% endfor %}</select>
search <input type="search" name="q" id="q" value="{{ f.q }}" maxlength="200" placeholder="names, amounts, words of the sentence">
<button>Filter</button></form>
{% include "progress" %}
<p class="types">{% for t in types %}<a href="/?type={{ t }}">{{ labels[t] }}</a> {{ todo[t] }} to review{% if not loop.last %} · {% endif %}{% endfor %}</p>
<p class="keys">Keys: <b>j</b>/<b>k</b> next/previous row, <b>Enter</b> open, <b>a</b> approve, <b>r</b> reject, <b>u</b> undo (back to pending),
<b>x</b> select the row, <b>A</b> approve the selected rows, <b>/</b> search, <b>n</b>/<b>p</b> next/previous page</p>
<p>{% if rows %}{{ total }} record(s) match{% else %}No records match.{% endif %}
<button id="bulk-approve" type="button">Approve selected (A)</button> <button id="bulk-reject" type="button">Reject selected</button>
<button id="bulk-undo" type="button">Undo selected</button></p>
<table id="queue"><tr><th><input type="checkbox" id="selall" title="select every row of this page"></th><th>record</th><th>status</th><th>confidence</th><th>document</th><th>page</th><th>evidence</th></tr>
{% for r in rows %}<tr data-id="{{ r.id }}" data-version="{{ r.version }}" data-href="{{ r.href }}">
<td><input type="checkbox" class="pick" aria-label="select"></td><td><a href="{{ r.href }}">{{ r.label }}</a></td>
<td class="st st-{{ r.status }}">{{ r.status }}{% if r.change %} <span class="flag">{{ r.change }}</span>{% endif %}</td>
<td>{{ r.confidence }}</td><td>{{ r.doc }}</td><td>{{ r.page }}</td><td>{{ r.evidence }}</td></tr>{% endfor %}</table>
<p class="pager">{% if prev_url %}<a id="prevpage" href="{{ prev_url }}">← previous page</a>{% endif %}
{% if next_url %}<a id="nextpage" href="{{ next_url }}">next page →</a>{% endif %}</p>{% endblock %}
{% block script %}<script nonce="{{ nonce }}">
const TYPE = {{ f.type|tojson }}, QUEUE = {{ queue|tojson }};
const rows = [...document.querySelectorAll('#queue tr[data-id]')]; let sel = 0;
function show(){ rows.forEach((r, i) => r.classList.toggle('sel', i === sel)); if(rows[sel]) rows[sel].scrollIntoView({block:'nearest'}); }
function setRow(row, rec){ const st = row.querySelector('td.st'); st.textContent = rec.status; st.className = 'st st-' + rec.status;
  row.dataset.version = rec.version; }
async function act(action){ const row = rows[sel]; if(!row) return;
  const out = await post('/api/review/' + TYPE + '/' + row.dataset.id, {action: action, version: Number(row.dataset.version), queue: QUEUE});
  if(out.ok){ setRow(row, out.data); showProgress(out.data.progress); flash(''); sel = Math.min(sel + 1, rows.length - 1); show(); }
  else if(out.status === 409){ setRow(row, out.data.current); flash('Conflict: ' + out.data.error + ' — now ' + out.data.current.status +
    (out.data.current.reviewer ? ' by ' + out.data.current.reviewer : '') + '. Nothing was changed.', 'bad'); }
  else flash('error: ' + (out.data.error || out.status), 'bad'); }
function picked(){ return rows.filter(r => r.querySelector('.pick').checked); }
async function bulk(action){ const chosen = picked(); if(!chosen.length){ flash('Select rows first (x, or the boxes).', 'bad'); return; }
  const out = await post('/api/bulk/' + TYPE, {action: action, items: chosen.map(r => ({id: r.dataset.id, version: Number(r.dataset.version)}))});
  if(!out.ok){ flash('error: ' + (out.data.error || out.status), 'bad'); return; }
  const byId = Object.fromEntries(rows.map(r => [r.dataset.id, r]));
  out.data.done.forEach(rec => { setRow(byId[rec.id], rec); byId[rec.id].querySelector('.pick').checked = false; });
  out.data.conflicts.forEach(rec => setRow(byId[rec.id], rec));
  showProgress(out.data.progress);
  flash(out.data.done.length + ' record(s) ' + action + 'd' + (out.data.conflicts.length ? '; ' + out.data.conflicts.length +
    ' changed meanwhile by someone else and left as they are (conflict)' : ''), out.data.conflicts.length ? 'bad' : ''); }
document.getElementById('bulk-approve').onclick = () => bulk('approve');
document.getElementById('bulk-reject').onclick = () => bulk('reject');
document.getElementById('bulk-undo').onclick = () => bulk('undo');
document.getElementById('selall').onchange = e => rows.forEach(r => r.querySelector('.pick').checked = e.target.checked);
rows.forEach((r, i) => r.addEventListener('click', e => { if(e.target.tagName !== 'A'){ sel = i; show(); } }));
show();
document.addEventListener('keydown', e => { if(['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName) || e.ctrlKey || e.metaKey || e.altKey) return;
  if(e.key === 'j'){ sel = Math.min(sel + 1, rows.length - 1); show(); } else if(e.key === 'k'){ sel = Math.max(sel - 1, 0); show(); }
  else if(e.key === 'Enter' && rows[sel]){ location.href = rows[sel].dataset.href; }
  else if(e.key === 'a'){ act('approve'); } else if(e.key === 'r'){ act('reject'); } else if(e.key === 'u'){ act('undo'); }
  else if(e.key === 'x' && rows[sel]){ const c = rows[sel].querySelector('.pick'); c.checked = !c.checked; }
  else if(e.key === 'A'){ bulk('approve'); }
  else if(e.key === '/'){ e.preventDefault(); document.getElementById('q').focus(); }
  else if(e.key === 'n' && document.getElementById('nextpage')){ location.href = document.getElementById('nextpage').href; }
  else if(e.key === 'p' && document.getElementById('prevpage')){ location.href = document.getElementById('prevpage').href; } });
</script>{% endblock %}"""

RECORD = """{% extends "base" %}{% block main %}
<p><a href="{{ back }}">← queue</a> · {{ labels[type] }} · record <code>{{ r.id }}</code> ·
status <b id="status" class="st-{{ r.status }}">{{ r.status }}</b>{% if r.reviewer %} · by {{ r.reviewer }}{% endif %}
· version <span id="version">{{ version }}</span>{% if r.confidence is not none %} · confidence {{ '%.2f'|format(r.confidence) }}{% endif %}
{% if pos %} · <b id="position">{{ pos[0] }}</b> of {{ pos[1] }} in this queue{% endif %}</p>
{% include "progress" %}
<div id="conflict" class="conflict" role="alert" hidden></div>
{% if change %}<div id="changed" class="changed"><b class="flag">Changed since review</b>: {{ change.text }}
{% if change.diff %}<table><tr><th>field</th><th>reviewed (shown and exported)</th><th>extracted when reviewed</th><th>new extraction</th></tr>
{% for d in change.diff %}<tr><td>{{ d.field }}</td><td>{{ d.reviewed }}</td><td>{{ d.before }}</td><td class="new">{{ d.after }}</td></tr>{% endfor %}</table>{% endif %}
<p><button id="keep" type="button">Keep the reviewed values (a)</button>
{% if change.diff %} <button id="usenew" type="button">Use the new values (then Enter to save)</button>{% endif %}</p></div>{% endif %}
{% if links %}<p>{% for l in links %}{{ l.text }} <a href="{{ l.href }}">{{ l.label }}</a>. {% endfor %}</p>{% endif %}
<p class="keys">Keys: <b>a</b> approve and next, <b>r</b> reject and next, <b>e</b> edit (<b>Enter</b> saves, <b>Esc</b> cancels),
<b>u</b> undo (back to pending), <b>j</b>/<b>k</b> next/previous record, <b>n</b> add a missed record from the selected text</p>
<div class="cols"><div><form id="fields"><table class="fields">{% for fld in fields %}
<tr><th><label for="f-{{ fld.name }}">{{ fld.name }}</label></th><td>{% with prefix = 'f-', readonly = True %}{% include "field" %}{% endwith %}</td><td class="hint">{{ fld.hint }}</td></tr>
{% endfor %}</table></form>
<p><button id="approve" type="button">Approve (a)</button> <button id="reject" type="button">Reject (r)</button>
<button id="edit" type="button">Edit (e)</button> <button id="save" type="button" hidden>Save (Enter)</button>
<button id="cancel" type="button" hidden>Cancel (Esc)</button> <button id="undo" type="button"{% if r.status == 'pending' %} hidden{% endif %}>Undo (u)</button></p>
<h3>Evidence (page {{ r.evidence.page if r.evidence else '?' }})</h3><blockquote id="evidence">{{ evidence_html }}</blockquote>
<p><button id="add" type="button">Add a record from the selected text (n)</button>
{% if page_url %} · <a href="{{ page_url }}">the whole page's text</a> (to add a record from anywhere on it){% endif %}</p>
{% include "add" %}
<p>Document: <a href="/documents">{{ doc_name }}</a></p>
<h3>Audit trail</h3><table id="audit">{% for a in audit %}<tr><td>{{ a.at }}</td><td>{{ a.reviewer or 'ingestion' }}</td><td>{{ a.action }}</td><td>{{ a.field or '' }}</td><td>{{ a.old }}</td><td>→ {{ a.new }}</td></tr>{% endfor %}</table>
</div><div>{% if image %}<div class="page"><img id="pageimg" src="{{ image }}" alt="page {{ r.evidence.page }}">
{% if box %}<div class="box" id="evbox"></div>{% endif %}{% for c in cells %}<div class="cell" data-cell="{{ loop.index0 }}"></div>{% endfor %}</div>
{% if table %}<p id="evtable">Read from table {{ table }}: its row is drawn on the page, each cell in its box.</p>{% endif %}
{% else %}<p>No page image for this source.</p>{% endif %}</div></div>{% endblock %}
{% block script %}<script nonce="{{ nonce }}">
const TYPE = {{ type|tojson }}, ID = {{ r.id|tojson }}, NEXT = {{ next|tojson }}, PREV = {{ prev|tojson }}, BACK = {{ back|tojson }};
const QUEUE = {{ queue|tojson }}, STATUS = {{ r.status|tojson }}, NEWVALUES = {{ new_values|tojson }}, BOX = {{ box|tojson }}, CELLS = {{ cells|tojson }};
const ADD_DOC = {{ r.doc_id|tojson }}, ADD_PAGE = {{ (r.evidence or {}).get('page')|tojson }}, ADD_BASE = {{ (r.evidence or {}).get('start') or 0 }};
let VERSION = {{ version }}, editing = false;
const inputs = [...document.querySelectorAll('#fields input, #fields select')];
if(BOX){ const b = document.getElementById('evbox'); b.style.left = BOX[0] + '%'; b.style.top = BOX[1] + '%'; b.style.width = BOX[2] + '%'; b.style.height = BOX[3] + '%'; }
document.querySelectorAll('.page .cell').forEach(el => { const c = CELLS[+el.dataset.cell]; el.style.left = c[0] + '%'; el.style.top = c[1] + '%'; el.style.width = c[2] + '%'; el.style.height = c[3] + '%'; });
function go(url){ location.href = url || BACK; }
function conflict(out){ const c = out.data.current || {}, box = document.getElementById('conflict'); box.textContent = '';
  const lines = ['This record was changed since you opened it (version ' + VERSION + ' → ' + c.version + '); your change was not saved.'];
  if(c.status !== STATUS) lines.push('status: ' + STATUS + ' → ' + c.status + (c.reviewer ? ' (by ' + c.reviewer + ')' : ''));
  inputs.forEach(i => { const now = (c.shown || {})[i.name]; if(now !== undefined && now !== i.dataset.orig) lines.push(i.name + ': ' + (i.dataset.orig || '—') + ' → ' + (now || '—')); });
  lines.forEach(l => { const p = document.createElement('div'); p.textContent = l; box.appendChild(p); });
  const b = document.createElement('button'); b.type = 'button'; b.textContent = 'Reload to see it'; b.onclick = () => location.reload(); box.appendChild(b);
  box.hidden = false; }
async function send(body){ const out = await post('/api/review/' + TYPE + '/' + ID, Object.assign({version: VERSION, queue: QUEUE}, body));
  if(out.status === 409){ conflict(out); return null; }
  if(!out.ok){ showErrors(document.getElementById('fields'), out.data.errors || {}); if(!out.data.errors) flash('error: ' + (out.data.error || out.status), 'bad'); return null; }
  return out.data; }
async function decide(action){ const out = await send({action: action}); if(out) go(out.next); }
function startEdit(){ editing = true; inputs.forEach(i => { i.readOnly = false; i.disabled = false; });
  document.getElementById('save').hidden = false; document.getElementById('cancel').hidden = false; if(inputs[0]) inputs[0].focus(); }
function cancelEdit(){ editing = false; inputs.forEach(i => { i.value = i.dataset.orig; if(i.tagName === 'SELECT') i.disabled = true; else i.readOnly = true; });
  showErrors(document.getElementById('fields'), {}); document.getElementById('save').hidden = true; document.getElementById('cancel').hidden = true;
  if(document.activeElement) document.activeElement.blur(); }
async function save(){ const changes = {}; inputs.forEach(i => { if(i.value !== i.dataset.orig) changes[i.name] = i.value; });
  const out = await send({action: 'edit', changes: changes}); if(out) location.reload(); }
async function undo(){ const out = await send({action: 'undo'}); if(out) location.reload(); }
document.getElementById('approve').onclick = () => decide('approve'); document.getElementById('reject').onclick = () => decide('reject');
document.getElementById('edit').onclick = startEdit; document.getElementById('save').onclick = save;
document.getElementById('cancel').onclick = cancelEdit; document.getElementById('undo').onclick = undo;
if(document.getElementById('keep')) document.getElementById('keep').onclick = () => decide('approve');
if(document.getElementById('usenew')) document.getElementById('usenew').onclick = () => { startEdit();
  inputs.forEach(i => { if(NEWVALUES && NEWVALUES[i.name] !== undefined) i.value = NEWVALUES[i.name]; }); };
document.getElementById('add').onclick = () => openAdd(selectionIn(document.getElementById('evidence')));
document.getElementById('fields').addEventListener('keydown', e => { if(!editing) return;
  if(e.key === 'Enter'){ e.preventDefault(); save(); } else if(e.key === 'Escape'){ e.preventDefault(); cancelEdit(); } });
document.addEventListener('keydown', e => { if(editing || ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName) || e.ctrlKey || e.metaKey || e.altKey) return;
  if(!document.getElementById('addpanel').hidden) return;
  if(e.key === 'a') decide('approve'); else if(e.key === 'r') decide('reject'); else if(e.key === 'u') undo();
  else if(e.key === 'e'){ e.preventDefault(); startEdit(); }
  else if(e.key === 'n'){ e.preventDefault(); openAdd(selectionIn(document.getElementById('evidence'))); }
  else if(e.key === 'j' && NEXT) go(NEXT); else if(e.key === 'k' && PREV) go(PREV); });
""" + ADD_SCRIPT + """</script>{% endblock %}"""

PAGE = """{% extends "base" %}{% block main %}
<p><a href="/documents">← documents</a> · {{ doc_name }} · page {{ number }} of {{ pages }}
{% if number > 1 %} · <a href="{{ prev_url }}">previous page</a>{% endif %}{% if number < pages %} · <a href="{{ next_url }}">next page</a>{% endif %}</p>
<p class="keys">Select the text of a record the extraction missed, then press <b>n</b> (or the button) to add it.</p>
<p><button id="add" type="button">Add a record from the selected text (n)</button></p>
{% include "add" %}
<div class="cols"><div><pre class="pagetext" id="pagetext">
{{ text }}</pre></div><div>{% if image %}<div class="page"><img src="{{ image }}" alt="page {{ number }}"></div>{% endif %}</div></div>{% endblock %}
{% block script %}<script nonce="{{ nonce }}">
const ADD_DOC = {{ doc_id|tojson }}, ADD_PAGE = {{ number }}, ADD_BASE = 0;
document.getElementById('add').onclick = () => openAdd(selectionIn(document.getElementById('pagetext')));
document.addEventListener('keydown', e => { if(['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName) || !document.getElementById('addpanel').hidden) return;
  if(e.key === 'n'){ e.preventDefault(); openAdd(selectionIn(document.getElementById('pagetext'))); } });
""" + ADD_SCRIPT + """</script>{% endblock %}"""

DOCUMENTS = """{% extends "base" %}{% block main %}<h2>Documents</h2>
<table><tr><th>document</th><th>status</th><th>pages</th><th>methods</th><th>reason</th><th>ingested</th><th>records</th></tr>
{% for d in docs %}<tr><td>{{ d.name }}<br><code>{{ d.id[:16] }}</code></td><td class="st-{{ d.status }}">{{ d.status }}</td>
<td>{% for n in range(1, (d.pages or 0) + 1) %}<a href="/document/{{ d.id }}/page/{{ n }}">{{ n }}</a> {% endfor %}</td>
<td>{{ d.page_methods|join(', ') }}</td><td>{{ d.error or '' }}</td><td>{{ d.ingested_at }}</td>
<td>{% for t in types %}<a href="{{ '/?type=' ~ t ~ '&status=all&doc=' ~ d.id }}">{{ t }}</a> {% endfor %}</td></tr>{% endfor %}</table>{% endblock %}"""

# organisations and people across documents: merge the selected entities, split a spelling off (both kept as
# decisions and applied at every later ingestion)
ENTITIES = """{% extends "base" %}{% block main %}<h2>{{ 'Organisations' if kind == 'organization' else 'People' }} across documents</h2>
<form method="get" action="/entities"><select name="kind">{% for k, l in (('organization', 'organisations'), ('person', 'people')) %}
<option value="{{ k }}"{% if k == kind %} selected{% endif %}>{{ l }}</option>{% endfor %}</select>
<input type="search" name="q" value="{{ q }}" placeholder="search a name" size="30"> <button>show</button>
<span class="hint">{{ shown }} of {{ total }} entities</span></form>
<p><button id="merge" type="button">Merge the selected</button> <span class="hint">select two or more with the boxes;
to split, use the button beside a spelling. Decisions are kept and applied at every later ingestion.</span></p>
<table id="entities"><tr><th></th><th>entity</th><th>spellings (mentions)</th><th>documents</th><th>why</th></tr>
{% for e in ents %}<tr data-id="{{ e.id }}"><td><input type="checkbox" class="pick" value="{{ e.id }}"></td>
<td><b class="ename">{{ e.name }}</b><br><code>{{ e.id }}</code><br><span class="hint">{{ e.key }}</span></td>
<td>{% for v, n in e.variants %}<div class="variant">{{ v }} ({{ n }}){% if e.variants|length > 1 %}
<button type="button" class="split" data-name="{{ v }}" data-id="{{ e.id }}">split off</button>{% endif %}</div>{% endfor %}</td>
<td>{{ e.document_count }}</td><td class="hint">{{ e.why|join('; ') }}</td></tr>{% endfor %}</table>{% endblock %}
{% block script %}<script nonce="{{ nonce }}">
const KIND = {{ kind|tojson }};
async function decide(url, body){ const r = await post(url, Object.assign({kind: KIND}, body));
  if(!r.ok){ flash(r.data.error || ('error ' + r.status), 'bad'); return; }
  flash(r.data.message); setTimeout(() => location.reload(), 300); }
document.getElementById('merge').addEventListener('click', () => {
  const ids = [...document.querySelectorAll('input.pick:checked')].map(i => i.value);
  if(ids.length < 2){ flash('select two entities or more to merge', 'bad'); return; }
  decide('/api/entities/merge', {ids: ids}); });
document.querySelectorAll('button.split').forEach(b => b.addEventListener('click', () =>
  decide('/api/entities/split', {id: b.dataset.id, name: b.dataset.name})));
</script>{% endblock %}"""

ERROR = """{% extends "base" %}{% block main %}<h2>{{ status }}</h2><p>{{ message }}</p>{% endblock %}"""

TEMPLATES = {"base": BASE, "progress": PROGRESS, "field": FIELD, "add": ADD, "queue": QUEUE, "record": RECORD,
             "page": PAGE, "documents": DOCUMENTS, "entities": ENTITIES, "error": ERROR}
