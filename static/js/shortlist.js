// The shortlist, where JavaScript runs: ticking or unticking "Add to shortlist" updates the
// address, every link to the list (pages, filters, the map) and the shortlist's own link at
// once, so the shortlist survives changing page or filter without pressing "Update
// shortlist". Without JavaScript that button does the same (templates/includes/shortlist_bar.html).
(function () {
  "use strict";
  var form = document.getElementById("shortlist-form");
  if (!form || !window.URLSearchParams || !window.history.replaceState) {
    return;
  }
  form.classList.add("app-shortlist-bar--live");

  function picks() {
    var chosen = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name === "pick" && (el.type === "hidden" || el.checked) &&
          chosen.indexOf(el.value) === -1) {
        chosen.push(el.value);
      }
    });
    return chosen;
  }

  function withPicks(href, chosen) {
    var url = new URL(href, window.location.href);
    url.searchParams.delete("pick");
    chosen.forEach(function (slug) { url.searchParams.append("pick", slug); });
    return url;
  }

  function update() {
    var chosen = picks();
    var list = window.location.pathname;
    document.querySelectorAll("a[href]").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      if (url.origin === window.location.origin && url.pathname === list) {
        link.href = withPicks(link.href, chosen).toString();
      }
    });
    document.querySelectorAll("[data-shortlist-link]").forEach(function (link) {
      var url = withPicks(link.href, chosen);
      link.href = url.toString();
    });
    // The filter form carries the shortlist in hidden fields.
    document.querySelectorAll("form.app-filter").forEach(function (filters) {
      filters.querySelectorAll('input[type="hidden"][name="pick"]').forEach(function (el) {
        el.remove();
      });
      var apply = filters.querySelector(".app-filter__apply");
      chosen.forEach(function (slug) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = "pick";
        field.value = slug;
        filters.insertBefore(field, apply);
      });
    });
    document.querySelectorAll("[data-shortlist-count]").forEach(function (count) {
      count.textContent = String(chosen.length);
    });
    var count = document.getElementById("shortlist-count");
    if (count) {
      count.lastChild.textContent = chosen.length === 1 ? " case study" : " case studies";
    }
    window.history.replaceState(null, "", withPicks(window.location.href, chosen).toString());
  }

  Array.prototype.forEach.call(form.elements, function (el) {
    if (el.name === "pick" && el.type === "checkbox") {
      el.addEventListener("change", update);
    }
  });
})();
