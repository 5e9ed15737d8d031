// metrokg query page: no dependencies, nothing loaded from elsewhere. All output via textContent.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("example-data").textContent || "[]");
  var select = document.getElementById("examples");
  var box = document.getElementById("query");
  var status = document.getElementById("status");
  var note = document.getElementById("note");
  var results = document.getElementById("results");
  var tools = document.getElementById("tools");
  var filter = document.getElementById("filter");
  var permalink = document.getElementById("permalink");
  var endpoint = document.getElementById("endpoint").textContent;
  var base = box.getAttribute("data-base") || "";
  var last = null;
  // CodeMirror (vendored, MIT) highlights SPARQL; the textarea stays the value's home.
  var editor = window.CodeMirror ? window.CodeMirror.fromTextArea(box, {
    mode: "application/sparql-query", lineNumbers: true, viewportMargin: Infinity
  }) : null;
  function text() { return editor ? editor.getValue() : box.value; }
  function setText(value) { if (editor) { editor.setValue(value); } else { box.value = value; } }
  if (editor) { editor.on("change", function () { editor.save(); update(); }); }
  var lang = new URLSearchParams(location.search).get("lang");
  var form = document.getElementById("params");
  var namespaces = {"org-id": base + "id/org/", "plan-id": base + "id/plan/",
    "role": base + "def/role/", "org-type": base + "def/org-type/", "status": base + "def/status/"};
  function term(type, value) {
    // the same terms as `metrokg query --param` (metrokg.queries.catalogue.make_term), or null
    value = value.trim();
    if (namespaces[type] && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) { return "<" + namespaces[type] + value + ">"; }
    if ((namespaces[type] || type === "iri") && /^https?:\/\/[^\s<>"{}|\\^`]+$/.test(value)) { return "<" + value + ">"; }
    if (type === "sdg-goal" && /^([1-9]|1[0-7])$/.test(value)) { return "<http://metadata.un.org/sdg/" + value + ">"; }
    if (type === "lang" && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(value)) { return JSON.stringify(value.toLowerCase()); }
    if (type === "text") { return JSON.stringify(value); }
    return null;
  }
  function fill(ex) {
    // one input per "# param: NAME TYPE DEFAULT  about" line of the catalogue query
    form.replaceChildren();
    var lines = ex.query.split("\n").filter(function (l) { return /^#\s*param:/.test(l); });
    form.hidden = lines.length === 0;
    lines.forEach(function (line) {
      var m = /^#\s*param:\s*(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
      if (!m) { return; }
      var label = document.createElement("label"); label.textContent = m[1] + " ";
      var input = document.createElement("input"); input.value = m[3]; input.name = m[1];
      input.setAttribute("data-type", m[2]); input.title = m[4];
      input.addEventListener("input", function () {
        var value = term(m[2], input.value);
        input.setAttribute("aria-invalid", value === null ? "true" : "false");
        if (value === null) { return; }
        var block = new RegExp("(VALUES\\s+\\?" + m[1].replace(/[^A-Za-z0-9_]/g, "") + "\\s*)\\{[^{}]*\\}", "i");
        setText(text().replace(block, function (_all, head) { return head + "{ " + value + " }"; }));
      });
      label.appendChild(input); form.appendChild(label);
      var small = document.createElement("small"); small.textContent = " " + m[4] + " ";
      form.appendChild(small);
    });
  }
  select.addEventListener("change", function () {
    var ex = examples[parseInt(select.value, 10)];
    if (ex) { setText(ex.query); fill(ex); update(); }
  });
  function update() {
    var params = new URLSearchParams(location.search);
    params.set("query", text());
    permalink.href = location.pathname + "?" + params.toString();
  }
  box.addEventListener("input", update);
  var given = new URLSearchParams(location.search).get("query");
  if (given) { setText(given); }
  update();
  function local(iri) {
    // this site's IRIs open this site's pages (the page keeps the chosen language)
    if (base && iri.indexOf(base) === 0) {
      return "/" + iri.slice(base.length) + (lang ? "?lang=" + encodeURIComponent(lang) : "");
    }
    return iri;
  }
  function cell(term, label) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri" && /^https?:\/\//.test(term.value)) {
      var a = document.createElement("a");
      a.href = local(term.value); a.textContent = label ? label.value : term.value;
      a.title = term.value; td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) { td.lang = term["xml:lang"]; }
    }
    return td;
  }
  function table(data) {
    results.replaceChildren(); tools.hidden = true;
    if (typeof data.boolean === "boolean") { results.textContent = String(data.boolean); return; }
    last = data; tools.hidden = false;
    var vars = data.head.vars;
    var t = document.createElement("table"); t.id = "result-table";
    var head = document.createElement("tr");
    vars.forEach(function (v, i) {
      var th = document.createElement("th"); th.textContent = "?" + v; th.tabIndex = 0;
      th.addEventListener("click", function () { sort(t, i); });
      head.appendChild(th);
    });
    t.appendChild(head);
    data.results.bindings.forEach(function (row) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v], row[v + "Label"])); });
      t.appendChild(tr);
    });
    results.appendChild(t);
  }
  function sort(t, i) {
    var rows = Array.prototype.slice.call(t.rows, 1);
    var asc = t.getAttribute("data-sort") !== i + "+";
    rows.sort(function (a, b) {
      var x = a.cells[i].textContent, y = b.cells[i].textContent;
      var n = parseFloat(x) - parseFloat(y);
      var c = isNaN(n) ? x.localeCompare(y) : n;
      return asc ? c : -c;
    });
    rows.forEach(function (r) { t.appendChild(r); });
    t.setAttribute("data-sort", i + (asc ? "+" : "-"));
  }
  filter.addEventListener("input", function () {
    var word = filter.value.toLowerCase();
    var t = document.getElementById("result-table");
    if (!t) { return; }
    Array.prototype.slice.call(t.rows, 1).forEach(function (r) {
      r.hidden = word !== "" && r.textContent.toLowerCase().indexOf(word) < 0;
    });
  });
  function save(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], {type: type}));
    a.download = name; document.body.appendChild(a); a.click(); a.remove();
  }
  function csvField(s) { return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }
  document.getElementById("csv").addEventListener("click", function () {
    if (!last) { return; }
    var vars = last.head.vars;
    var lines = [vars.join(",")];
    last.results.bindings.forEach(function (row) {
      lines.push(vars.map(function (v) { return csvField(row[v] ? row[v].value : ""); }).join(","));
    });
    save("results.csv", "text/csv", lines.join("\r\n") + "\r\n");
  });
  document.getElementById("json").addEventListener("click", function () {
    if (last) { save("results.json", "application/sparql-results+json", JSON.stringify(last)); }
  });
  document.getElementById("run").addEventListener("click", function () {
    status.textContent = "…"; note.hidden = true; results.replaceChildren(); tools.hidden = true;
    var started = performance.now();
    fetch(endpoint, {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
      "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: new URLSearchParams({query: text()})})
      .then(function (r) {
        var ms = Math.round(performance.now() - started);
        if (r.headers.get("MetroKG-Truncated")) {
          note.hidden = false;
          note.textContent = "≤ " + r.headers.get("MetroKG-Row-Cap");
        }
        return r.text().then(function (body) {
          status.textContent = r.status + " · " + ms + " ms";
          if (!r.ok) { var p = document.createElement("p"); p.className = "error"; p.textContent = body; results.appendChild(p); return; }
          if ((r.headers.get("Content-Type") || "").indexOf("json") >= 0) { table(JSON.parse(body)); }
          else { var pre = document.createElement("pre"); pre.textContent = body; results.appendChild(pre); }
        });
      })
      .catch(function (e) { status.textContent = "× " + e; });
  });
})();
