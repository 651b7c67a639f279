// The page workbench: pointing at an article (or moving the keyboard into it) lights up its
// region on the scan, and pointing at a region lights up its article. Everything else is
// plain forms that work without this script.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector(".workbench");
    if (!root) { return; }

    function light(id, on) {
      root.querySelectorAll('[data-article="' + id + '"]').forEach(function (element) {
        element.classList.toggle("is-active", on);
      });
    }

    root.querySelectorAll("[data-article]").forEach(function (element) {
      var id = element.dataset.article;
      element.addEventListener("mouseenter", function () { light(id, true); });
      element.addEventListener("mouseleave", function () { light(id, false); });
      element.addEventListener("focusin", function () { light(id, true); });
      element.addEventListener("focusout", function () { light(id, false); });
    });
  });
})();
