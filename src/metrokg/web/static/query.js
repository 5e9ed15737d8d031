// metrokg query page: no dependencies, nothing loaded from elsewhere. All output via textContent.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("example-data").textContent || "[]");
  var select = document.getElementById("examples");
  var box = document.getElementById("query");
  var status = document.getElementById("status");
  var note = document.getElementById("note");
  var results = document.getElementById("results");
  var endpoint = document.getElementById("endpoint").textContent;
  select.addEventListener("change", function () {
    var ex = examples[parseInt(select.value, 10)];
    if (ex) { box.value = ex.query; }
  });
  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri" && /^https?:\/\//.test(term.value)) {
      var a = document.createElement("a");
      a.href = term.value; a.textContent = term.value; td.appendChild(a);
    } else {
      td.textContent = term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
    }
    return td;
  }
  function table(data) {
    results.replaceChildren();
    if (typeof data.boolean === "boolean") { results.textContent = String(data.boolean); return; }
    var t = document.createElement("table"); t.id = "result-table";
    var head = document.createElement("tr");
    data.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = "?" + v; head.appendChild(th); });
    t.appendChild(head);
    data.results.bindings.forEach(function (row) {
      var tr = document.createElement("tr");
      data.head.vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      t.appendChild(tr);
    });
    results.appendChild(t);
  }
  document.getElementById("run").addEventListener("click", function () {
    status.textContent = "running…"; note.hidden = true; results.replaceChildren();
    var started = performance.now();
    fetch(endpoint, {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
      "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: new URLSearchParams({query: box.value})})
      .then(function (r) {
        var ms = Math.round(performance.now() - started);
        if (r.headers.get("MetroKG-Truncated")) {
          note.hidden = false;
          note.textContent = "Results cut at " + r.headers.get("MetroKG-Row-Cap") + " rows (the endpoint's row cap).";
        }
        return r.text().then(function (body) {
          status.textContent = r.status + " · " + ms + " ms";
          if (!r.ok) { var p = document.createElement("p"); p.className = "error"; p.textContent = body; results.appendChild(p); return; }
          if ((r.headers.get("Content-Type") || "").indexOf("json") >= 0) { table(JSON.parse(body)); }
          else { var pre = document.createElement("pre"); pre.textContent = body; results.appendChild(pre); }
        });
      })
      .catch(function (e) { status.textContent = "failed: " + e; });
  });
})();
