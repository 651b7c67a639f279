// The article form's body: a box that grows with its text, and under it the 字数 and the
// number of paragraphs as the editor types. Counted as Article.character_count counts
// (articles/models.py, body_counts): each line trimmed, a line starting "##" a crosshead
// whose marks are not counted, spaces not counted, characters as code points.
(function () {
  "use strict";
  // The line breaks Python's str.splitlines() knows.
  var LINES = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

  function counts(text) {
    var characters = 0;
    var paragraphs = 0;
    text.split(LINES).forEach(function (line) {
      var content = line.trim();
      if (content.startsWith("##")) {
        content = content.replace(/^#+/, "").trim();
      } else if (content) {
        paragraphs += 1;
      }
      characters += Array.from(content.replace(/\s+/g, "")).length;
    });
    return { characters: characters, paragraphs: paragraphs };
  }

  function grow(box) {
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }

  function setup(box) {
    var counter = document.getElementById(box.dataset.bodyCount);
    function update() {
      var found = counts(box.value);
      counter.textContent = counter.dataset.template
        .replace("%(characters)s", found.characters)
        .replace("%(paragraphs)s", found.paragraphs);
      grow(box);
    }
    box.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-body-count]").forEach(setup);
  });
  window.newsroomBodyCounts = counts;
})();
