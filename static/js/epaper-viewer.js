// The page scan as a deep-zoom viewer (OpenSeadragon, static/vendor/openseadragon), laid over
// the plain picture once the scan's tiles are made: zoom and pan, with the articles' regions
// (the SVG of hotspots) carried along as an overlay scaled with the picture. Without this
// script, or before the tiles exist, the plain scan with its regions stays as it is.
//
// On a desktop the viewer takes the picture's place at once; on a phone, where dragging the
// scan would stop the page from scrolling, a button opens it full screen and leaving full
// screen gives the plain picture back.
(function () {
  "use strict";
  var figure = document.querySelector(".page-scan[data-tiles]");
  if (!figure || !window.OpenSeadragon) {
    return;
  }
  var data = figure.dataset;
  var frame = figure.querySelector(".scan-frame");
  var hotspots = frame.querySelector("svg.hotspots");
  var width = Number(data.width);
  var height = Number(data.height);
  var viewer = null;

  function button(id, label, text) {
    var element = document.createElement("button");
    element.type = "button";
    element.id = id;
    element.title = label;
    element.setAttribute("aria-label", label);
    element.textContent = text;
    return element;
  }

  function tileUrl(level, x, y) {
    return data.tiles.replace("{level}", level).replace("{x}", x).replace("{y}", y);
  }

  // A click on a region opens its article, a drag that starts on one pans: the viewer tells
  // the two apart ("quick"), so the links' own clicks are left to the keyboard alone.
  function openClickedArticle(event) {
    var target = event.originalTarget;
    var link = target && target.closest ? target.closest("a.hotspot") : null;
    if (link && event.quick) {
      event.preventDefaultAction = true;
      window.location.assign(link.getAttribute("href"));
    }
  }

  function keepPointerClicks(event) {
    if (event.detail) {
      event.preventDefault();
    }
  }

  function start(fullPage) {
    var host = document.createElement("div");
    host.className = "scan-viewer";
    host.setAttribute("role", "region");
    host.setAttribute("aria-label", data.labelViewer);
    var controls = document.createElement("div");
    controls.className = "scan-controls";
    controls.append(
      button("scan-zoom-in", data.labelZoomIn, "+"),
      button("scan-zoom-out", data.labelZoomOut, "−"),
      button("scan-home", data.labelHome, "⌂"),
      button("scan-full", data.labelFull, data.labelFull)
    );
    frame.append(host, controls);
    viewer = window.OpenSeadragon({
      element: host,
      tileSources: {
        width: width,
        height: height,
        tileSize: Number(data.tileSize),
        tileOverlap: Number(data.overlap),
        getTileUrl: tileUrl
      },
      // Tiles may come from the media storage's own host: a canvas draws them without CORS.
      drawer: "canvas",
      showNavigator: false,
      showRotationControl: false,
      zoomInButton: "scan-zoom-in",
      zoomOutButton: "scan-zoom-out",
      homeButton: "scan-home",
      fullPageButton: "scan-full",
      autoHideControls: false,
      visibilityRatio: 1,
      constrainDuringPan: true,
      minZoomImageRatio: 1,
      maxZoomPixelRatio: 2,
      gestureSettingsMouse: { clickToZoom: false },
      gestureSettingsTouch: { clickToZoom: false },
      gestureSettingsPen: { clickToZoom: false }
    });
    viewer.addControl(controls, { anchor: window.OpenSeadragon.ControlAnchor.TOP_LEFT });
    if (hotspots) {
      hotspots.addEventListener("click", keepPointerClicks);
      viewer.addOverlay({
        element: hotspots,
        location: new window.OpenSeadragon.Rect(0, 0, 1, height / width)
      });
    }
    viewer.addHandler("canvas-click", openClickedArticle);
    viewer.addHandler("full-page", function (event) {
      var full = document.getElementById("scan-full");
      var label = event.fullPage ? data.labelExit : data.labelFull;
      full.textContent = label;
      full.title = label;
      full.setAttribute("aria-label", label);
    });
    figure.classList.add("is-zoomable");
    if (fullPage) {
      viewer.addOnceHandler("open", function () {
        viewer.setFullPage(true);
        viewer.addHandler("full-page", function (event) {
          if (!event.fullPage) {
            stop();
          }
        });
      });
    }
  }

  function stop() {
    var done = viewer;
    viewer = null;
    // After the viewer has let go of its events: it is still handling the one that closed it.
    window.setTimeout(function () {
      done.destroy();
      frame.querySelectorAll(".scan-viewer, .scan-controls").forEach(function (element) {
        element.remove();
      });
      if (hotspots) {
        hotspots.removeEventListener("click", keepPointerClicks);
        hotspots.removeAttribute("style");
        frame.append(hotspots);
      }
      figure.classList.remove("is-zoomable");
    }, 0);
  }

  if (window.matchMedia("(min-width: 48rem)").matches) {
    start(false);
  } else {
    var open = button("scan-open", data.labelOpen, data.labelOpen);
    open.className = "scan-open";
    open.addEventListener("click", function () {
      if (!viewer) {
        start(true);
      }
    });
    figure.append(open);
  }
})();
