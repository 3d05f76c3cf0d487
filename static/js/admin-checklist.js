// Keeps the change form's "Checklist met: 4 of 6" current as an editor types. The rule comes
// from the page (casestudies/readiness.py, CHECKLIST, in a JSON block): it is written once, in Python.
(function () {
  "use strict";
  function ready() {
    var data = document.getElementById("checklist-rule");
    var count = document.getElementById("checklist-count");
    var form = document.getElementById("initiative_form");
    if (!data || !count || !form) { return; }
    var rule = JSON.parse(data.textContent);

    function value(name) {
      var field = form.elements[name];
      return field ? String(field.value || "").trim() : "";
    }
    function dayFirst(text) {  // the admin's dates are day first: 01/02/2026 is 1 February
      var parts = text.split(/[\/.-]/);
      if (parts.length !== 3) { return null; }
      var day = Number(parts[0]), month = Number(parts[1]), year = Number(parts[2]);
      if (parts[0].length === 4) { year = Number(parts[0]); day = Number(parts[2]); }
      var date = new Date(year, month - 1, day);
      return isNaN(date.getTime()) ? null : date;
    }
    function quoted() {  // the statements of the "Quoted claims" rows not marked for deletion
      var found = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        var match = /^claims-(\d+)-statement$/.exec(field.name || "");
        var gone = match && form.elements["claims-" + match[1] + "-DELETE"];
        if (match && field.value && !(gone && gone.checked)) { found[field.value] = true; }
      });
      return found;
    }
    function met(test) {
      if (test.filled) {
        var claims = test.quoted ? quoted() : null;
        var filled = test.filled.map(function (name) {
          return value(name) !== "" && (!claims || claims[name] === true);
        });
        return test.all ? filled.every(Boolean) : filled.some(Boolean);
      }
      var current = value(test.field);
      if (test.in) { return test.in.indexOf(current) !== -1; }
      if (test.not) { return current !== "" && current !== test.not; }
      if (test.within_days) {
        var date = dayFirst(current);
        if (!date) { return false; }
        var since = new Date();
        since.setHours(0, 0, 0, 0);
        since.setDate(since.getDate() - test.within_days);
        return date >= since;
      }
      return false;
    }
    function update() {
      var missing = [];
      var done = 0;
      rule.forEach(function (item) {
        if (met(item.test)) { done += 1; } else { missing.push(item.missing); }
      });
      var text = "Checklist met: " + done + " of " + rule.length;
      text += missing.length ? ". Still missing: " + missing.join("; ") + "." : ".";
      if (count.textContent !== text) { count.textContent = text; }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
