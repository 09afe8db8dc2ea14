// Autocomplete for search boxes: <input data-suggest list="ID"> gets options from /api/search/suggest as the user types.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var prefix = input.value.trim();
        if (prefix === last || prefix.length === 0) { return; }
        last = prefix;
        fetch("/api/search/suggest?limit=8&prefix=" + encodeURIComponent(prefix), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            if (input.value.trim() !== prefix) { return; }
            list.replaceChildren.apply(list, items.map(function (s) {
              var o = document.createElement("option");
              o.value = s.text;
              return o;
            }));
          })
          .catch(function () { /* suggestions are a convenience; a failed fetch leaves the box as it is */ });
      }, 150);
    });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
