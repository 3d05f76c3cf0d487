// Gives the admin's autocomplete boxes (select2) the accessible names select2 leaves out: its
// combobox and its search field are named after the field's label. Select2 rebuilds the
// search field of a multiple choice whenever the choice changes, so every change is watched.
(function () {
  "use strict";
  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }
  function name(container) {
    var select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") { return; }
    var text = labelOf(select);
    if (!text) { return; }
    var named = '[role="combobox"], [role="textbox"], .select2-search__field';
    container.querySelectorAll(named).forEach(function (el) {
      if (el.getAttribute("aria-label") !== text) { el.setAttribute("aria-label", text); }
      if (el.hasAttribute("aria-labelledby") && el.getAttribute("role") === "combobox") {
        el.removeAttribute("aria-labelledby");
      }
    });
    // Select2 puts its "clear all" cross inside its list of chosen items.
    container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach(
      function (child) { child.setAttribute("role", "listitem"); });
  }
  function nameAll() {
    document.querySelectorAll("select + .select2").forEach(name);
  }
  function ready() {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
