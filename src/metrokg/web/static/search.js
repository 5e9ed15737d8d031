// metrokg static site search: names in every language, read from search-index.json.
(function () {
  "use strict";
  var list = document.getElementById("hits");
  var words = (new URLSearchParams(location.search).get("q") || "").toLowerCase().split(/\s+/)
    .filter(function (w) { return w; }).slice(0, 8);
  if (!list || !words.length) { return; }
  fetch(list.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (index) {
    var hits = index.filter(function (entry) {
      return entry.n.some(function (name) {
        var text = name.toLowerCase();
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    }).slice(0, 100);
    hits.forEach(function (entry) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = list.getAttribute("data-root") + entry.p + ".html";
      a.textContent = entry.n[0];
      li.appendChild(a);
      if (entry.n.length > 1) {
        var small = document.createElement("small");
        small.textContent = " (" + entry.n.slice(1).join(" · ") + ")";
        li.appendChild(small);
      }
      list.appendChild(li);
    });
    if (!hits.length) { list.textContent = list.getAttribute("data-none"); }
  });
})();
