// Draw an article's region on its page scan in the admin. Drag for a rectangle; in polygon
// mode click each corner and press "Finish". Points are written to the JSON field in the
// scan's own pixels, so the numbers stay editable by hand for corrections.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function setup(field) {
    var url = field.dataset.scanUrl;
    var width = Number(field.dataset.scanWidth);
    var height = Number(field.dataset.scanHeight);
    if (!url || !width || !height) { return; }

    var box = document.createElement("div");
    box.className = "region-editor";
    box.innerHTML =
      '<div class="region-tools">' +
      '<label><input type="radio" name="region-mode" value="rect" checked> <span></span></label>' +
      '<label><input type="radio" name="region-mode" value="polygon"> <span></span></label>' +
      '<button type="button" data-action="finish"></button>' +
      '<button type="button" data-action="clear"></button></div>' +
      '<div class="region-stage"><img alt=""><svg><polygon></polygon></svg></div>';
    // Labels come translated from the widget's data attributes; textContent keeps them text.
    var spans = box.querySelectorAll(".region-tools span");
    spans[0].textContent = field.dataset.labelRect;
    spans[1].textContent = field.dataset.labelPolygon;
    box.querySelector("[data-action=finish]").textContent = field.dataset.labelFinish;
    box.querySelector("[data-action=clear]").textContent = field.dataset.labelClear;
    // After the numbers, or before them when they are folded away (FoldedRegionWidget).
    var folded = field.closest("details");
    if (folded) {
      folded.insertAdjacentElement("beforebegin", box);
    } else {
      field.insertAdjacentElement("afterend", box);
    }
    var stage = box.querySelector(".region-stage");
    var svg = box.querySelector("svg");
    var shape = box.querySelector("polygon");
    box.querySelector("img").src = url;
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("preserveAspectRatio", "none");

    var points = [];
    var start = null;

    function read() {
      try {
        var value = JSON.parse(field.value || "null");
        points = Array.isArray(value) ? value : [];
      } catch (e) { points = []; }
      draw();
    }
    function draw() {
      shape.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
    }
    function write() {
      field.value = points.length ? JSON.stringify(points) : "";
      draw();
    }
    function at(event) {
      var rect = stage.getBoundingClientRect();
      var x = Math.round((event.clientX - rect.left) * width / rect.width);
      var y = Math.round((event.clientY - rect.top) * height / rect.height);
      return [Math.max(0, Math.min(width, x)), Math.max(0, Math.min(height, y))];
    }
    function mode() { return box.querySelector("input[name=region-mode]:checked").value; }
    // "Finish" only means something while corners are being clicked.
    var finish = box.querySelector("[data-action=finish]");
    function tools() { finish.hidden = mode() !== "polygon"; }
    box.querySelectorAll("input[name=region-mode]").forEach(function (radio) {
      radio.addEventListener("change", tools);
    });
    tools();

    stage.addEventListener("mousedown", function (event) {
      event.preventDefault();
      if (mode() === "rect") { start = at(event); points = []; draw(); }
    });
    stage.addEventListener("mousemove", function (event) {
      if (!start) { return; }
      var end = at(event);
      points = [start, [end[0], start[1]], end, [start[0], end[1]]];
      draw();
    });
    document.addEventListener("mouseup", function () {
      if (start) { start = null; write(); }
    });
    stage.addEventListener("click", function (event) {
      if (mode() === "polygon") { points.push(at(event)); draw(); }
    });
    box.addEventListener("click", function (event) {
      var action = event.target.dataset.action;
      if (action === "finish") { write(); }
      if (action === "clear") { points = []; write(); }
    });
    field.addEventListener("input", read);
    read();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-scan-url]").forEach(setup);
  });
})();
