// Highlight an article's region on the page scan while its entry in the list is hovered or
// focused, and the other way round. Everything works without this script; it only adds light.
(function () {
  "use strict";
  function toggle(id, on) {
    document.querySelectorAll('[data-article="' + id + '"]').forEach(function (el) {
      el.classList.toggle("is-active", on);
    });
  }
  document.querySelectorAll("[data-article]").forEach(function (el) {
    var id = el.getAttribute("data-article");
    ["mouseenter", "focusin"].forEach(function (name) {
      el.addEventListener(name, function () { toggle(id, true); });
    });
    ["mouseleave", "focusout"].forEach(function (name) {
      el.addEventListener(name, function () { toggle(id, false); });
    });
  });
})();
