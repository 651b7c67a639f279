// Highlight an article's region on the page scan while its entry in the list is hovered or
// focused, and the other way round. Everything works without this script; it only adds light.
(function () {
  "use strict";
  function toggle(id, on) {
    document.querySelectorAll('[data-article="' + id + '"]').forEach(function (el) {
      el.classList.toggle("is-active", on);
    });
  }
  // Pointing at a region brings its entry into the list's own scrolled view (on a desktop the
  // list scrolls beside the scan), without scrolling the page itself.
  function reveal(id) {
    var entry = document.querySelector('li[data-article="' + id + '"]');
    var list = entry && entry.closest(".page-articles");
    if (!list || list.scrollHeight <= list.clientHeight) {
      return;
    }
    var top = entry.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
    if (top < list.scrollTop || top + entry.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = top - list.clientHeight / 3;
    }
  }
  document.querySelectorAll("[data-article]").forEach(function (el) {
    var id = el.getAttribute("data-article");
    ["mouseenter", "focusin"].forEach(function (name) {
      el.addEventListener(name, function () {
        toggle(id, true);
        if (el.classList.contains("hotspot")) {
          reveal(id);
        }
      });
    });
    ["mouseleave", "focusout"].forEach(function (name) {
      el.addEventListener(name, function () { toggle(id, false); });
    });
  });
})();
