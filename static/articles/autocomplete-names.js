// An autocomplete box (select2) is named by its title, which select2 sets only once something
// is chosen; an empty row's box had no name for a screen reader. It gets its <select>'s name
// (admin_forms.name_controls), once Django's autocomplete.js has built it (it may come later
// in the page): when the page has loaded, and just after each row is added.
(function ($) {
  "use strict";
  function name(root) {
    $(root).find("select.admin-autocomplete[aria-label]").each(function () {
      $(this).next(".select2").find(".select2-selection__rendered")
        .attr("aria-label", this.getAttribute("aria-label"));
    });
  }
  $(window).on("load", function () { name(document); });
  $(document).on("formset:added", function (event) {
    setTimeout(function () { name(event.target); }, 0);
  });
})(django.jQuery);
