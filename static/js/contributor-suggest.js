// Suggest contributors' names as one types in a filter's contributor field: a datalist filled
// from the site's list of names (ContributorNamesView). Without this script the field takes a
// name as typed, the same.
(function () {
  "use strict";
  var WAIT_MS = 200;
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input, index) {
    var list = document.createElement("datalist");
    list.id = "contributor-suggestions-" + index;
    input.after(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    var asked = "";
    function suggest() {
      var typed = input.value.trim();
      if (!typed || typed === asked) {
        return;
      }
      asked = typed;
      var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(typed);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { names: [] }; })
        .then(function (data) {
          if (typed !== input.value.trim()) {
            return; // an older answer, overtaken by further typing
          }
          list.replaceChildren.apply(list, data.names.map(function (name) {
            var option = document.createElement("option");
            option.value = name;
            return option;
          }));
        })
        .catch(function () { /* no suggestions; the field still takes a name */ });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, WAIT_MS);
    });
  });
})();
