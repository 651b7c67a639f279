// The admin's import preview: change a line's role and see the page read again at once.
//
// The server sends each line's facts (articles/pageparser/assembly.py, Facts.as_dict); this file
// builds the document from the lines' roles with the same steps as the server's assembly, so
// the result shown is the one Import stores. Only the roles are sent back: the server splits
// the text into lines again and assembles them itself.
(function () {
  "use strict";

  var TERMINAL = "。…!！?？;；”’」』》\"')）〕】";
  var CAPTION_CUE = /图为|上图|下图|左图|右图|图中|组图|照片|资料图|供图|[(（\[［【〔]图[)）\]］】〕]|^图\s*(?:[①-⑳]|\d{1,2}\s*[:：])/;
  var ASCII_LETTER = /^[A-Za-z]$/;
  // As in articles/pageparser/reading.py: a kicker's closing dash or colon, a subheadline's dash.
  var KICKER_END = /[—–―‐‑－─-]+$|[:：]$/;
  var SUBHEAD_START = /^[—–―‐‑－─-]+/;
  // As in reading.py: an editor's note, set under a headline before the story's dateline.
  var EDITORS_NOTE = /^(?:编者按|编者的话|编者)[:：]/;
  // As in assembly.py: what a quote ends with, before the line that says who spoke.
  var QUOTE_ENDS = "”」\"";

  function asKicker(f) { return f.heading.replace(KICKER_END, "").trim(); }
  function asSubheadline(f) { return f.heading.replace(SUBHEAD_START, "").trim(); }
  function asHeadline(f) {
    return f.heading.replace(SUBHEAD_START, "").replace(KICKER_END, "").trim();
  }

  function isTerminated(text) {
    return text.length > 0 && TERMINAL.indexOf(text.charAt(text.length - 1)) >= 0;
  }

  function joinLines(first, second) {
    if (!first) { return second; }
    if (!second) { return first; }
    var last = first.charAt(first.length - 1);
    var before = first.charAt(first.length - 2);
    if (last === "-" && ASCII_LETTER.test(before)) { return first.slice(0, -1) + second; }
    if (ASCII_LETTER.test(last) && ASCII_LETTER.test(second.charAt(0))) {
      return first + " " + second;
    }
    return first + second;
  }

  function dedupe(credits) {
    var seen = {};
    return credits.filter(function (credit) {
      var key = credit[0] + "\u0000" + credit[1];
      if (seen[key]) { return false; }
      seen[key] = true;
      return true;
    });
  }

  function normalGap(lines) {
    var counts = {};
    var best = 0;
    var bestCount = 0;
    lines.slice(1).forEach(function (line) {
      counts[line.gap] = (counts[line.gap] || 0) + 1;
    });
    // Python's Counter.most_common keeps the first value seen among equal counts.
    lines.slice(1).forEach(function (line) {
      if (counts[line.gap] > bestCount) { best = line.gap; bestCount = counts[line.gap]; }
    });
    return best;
  }

  // The document the lines describe, with for each article the line that opened it.
  function assemble(lines, roles) {
    var gap = normalGap(lines);
    var items = [];
    var draft = null;
    var lastDraft = null;
    var photo = null;
    var kicker = [];
    var pendingBylines = [];
    var pageCredits = [];
    var previous = null;

    // Has the story begun? An editor's note over it is not the story.
    function hasStory(d) {
      return d.body.some(function (block) {
        return block[0] === "paragraph" && !EDITORS_NOTE.test(block[1]);
      });
    }
    function newPhoto(headline) {
      photo = { type: "photo", headline: headline || "", caption: "", bylines: [], openCaption: false };
      items.push(photo);
      return photo;
    }
    function headline(f, index) {
      if (previous === "headline" && draft) {
        draft.headline = (draft.headline + " " + asHeadline(f)).trim();
        return;
      }
      var kick = previous === "kicker" ? kicker.join(" ") : "";
      kicker = [];
      lastDraft = draft;
      draft = {
        type: "article", kicker: kick, headline: asHeadline(f), subheadline: "", dateline: "",
        source: "", syndicatedFrom: "", bylines: pendingBylines, body: [], openParagraph: false,
        firstLine: index
      };
      pendingBylines = [];
      items.push(draft);
      photo = null;
    }
    function addText(line, role, text, f) {
      if (!text) { return; }
      var last = draft.body.length ? draft.body[draft.body.length - 1] : null;
      var goesOn = last && last[0] === "paragraph" &&
          (previous === "body" || previous === "dateline") && role === "body";
      if (goesOn && f.attribution && QUOTE_ENDS.indexOf(last[1].slice(-1)) >= 0) {
        // A line that only says who spoke closes the quote before it, whatever the spacing.
        last[1] = joinLines(last[1], text);
      } else if (goesOn && draft.openParagraph && !f.item && !line.indented && line.gap <= gap) {
        last[1] = joinLines(last[1], text);
      } else {
        draft.body.push(["paragraph", text]);
      }
      draft.openParagraph = !(isTerminated(text) || f.jumps);
    }

    var handlers = {
      page_credit: function (f) { pageCredits = pageCredits.concat(f.pageCredits); },
      kicker: function (f) {
        if (previous !== "kicker") { kicker = []; }
        kicker.push(asKicker(f));
      },
      headline: headline,
      subheadline: function (f, index) {
        if (!draft) { headline(f, index); }
        else if (previous === "subheadline") {
          draft.subheadline = (draft.subheadline + " " + asSubheadline(f)).trim();
        } else { draft.subheadline = asSubheadline(f); }
      },
      byline: function (f) {
        if (!draft) { pendingBylines = pendingBylines.concat(f.credits); }
        else { draft.bylines = draft.bylines.concat(f.credits); }
      },
      credit: function (f) {
        var target = draft;
        if (target && !target.body.length && lastDraft) { target = lastDraft; }
        if (!target) {
          f.tailCredits.forEach(function (c) {
            if (c[1] === "editor") { pageCredits.push([c[0], "page_editor"]); }
          });
          return;
        }
        if (f.kind === "tail") {
          target.source = f.source || target.source;
          target.syndicatedFrom = f.syndicatedFrom || target.syndicatedFrom;
          target.bylines = target.bylines.concat(f.tailCredits);
        } else {
          target.bylines = target.bylines.concat(f.credits);
        }
        target.openParagraph = false;
      },
      text: function (f, index, line, role) {
        if (!draft) { return; }
        var text;
        if (f.undated && (role !== "dateline" || draft.dateline || hasStory(draft))) {
          text = f.undated;
        } else {
          text = f.body;
          if (f.undated) {
            draft.dateline = f.dateline;
            draft.bylines = draft.bylines.concat(f.datelineCredits);
          }
        }
        addText(line, role, text, f);
        if (f.kind === "text") {
          draft.source = f.source || draft.source;
          draft.syndicatedFrom = f.syndicatedFrom || draft.syndicatedFrom;
          draft.bylines = draft.bylines.concat(f.tailCredits, f.tailPhoto);
          if (f.closes) { draft.openParagraph = false; }
        }
      },
      crosshead: function (f, index) {
        if (!draft) { headline(f, index); return; }
        draft.body.push(["crosshead", f.heading]);
        draft.openParagraph = false;
      },
      photo_title: function (f) { newPhoto(f.heading); },
      caption: function (f) {
        var text = f.undated || f.body;
        var joins = photo && (
          ((previous === "photo_title" || previous === "photo_credit") && !photo.caption) ||
          (previous === "caption" && photo.openCaption));
        var target = joins ? photo : newPhoto("");
        target.caption = joinLines(target.caption, text);
        target.openCaption = !isTerminated(text);
        if (f.tailPhoto.length) {
          target.bylines = target.bylines.concat(f.tailPhoto);
          target.openCaption = false;
        }
      },
      photo_credit: function (f) {
        var credits = f.photoCredits;
        if ((previous === "headline" || previous === "subheadline" || previous === "byline") &&
            draft && !draft.body.length) {
          draft.bylines = draft.bylines.concat(credits);
          return;
        }
        if (photo && (previous === "caption" || previous === "photo_title" ||
                      previous === "photo_credit") &&
            (photo.caption || photo.headline) &&
            (!photo.bylines.length || previous === "photo_credit")) {
          photo.bylines = photo.bylines.concat(credits);
          photo.openCaption = false;
          return;
        }
        newPhoto("").bylines = credits.slice();
      }
    };
    handlers.dateline = handlers.text;
    handlers.body = handlers.text;

    lines.forEach(function (line, index) {
      var role = roles[index];
      var handler = handlers[role];
      if (!handler) {
        if (role === "jump" && draft) { draft.openParagraph = false; }
        return;
      }
      handler(line.facts, index, line, role);
      previous = role;
    });

    var page = { credits: dedupe(pageCredits), articles: [], photos: [] };
    items.forEach(function (item) {
      if (item.type === "photo") {
        if (item.caption) {
          page.photos.push({ headline: item.headline, caption: item.caption, bylines: dedupe(item.bylines) });
        }
        return;
      }
      var body = item.body.filter(function (block) { return block[1]; });
      while (body.length && body[body.length - 1][0] === "crosshead") { body.pop(); }
      if (!body.some(function (block) { return block[0] === "paragraph"; })) { return; }
      var bylines = dedupe(item.bylines);
      var photographers = bylines.every(function (c) { return c[1] === "photographer"; });
      if (body.length === 1 && photographers &&
          !(item.dateline || item.source || item.syndicatedFrom) &&
          (bylines.length || CAPTION_CUE.test(body[0][1]))) {
        page.photos.push({ headline: item.headline, caption: body[0][1], bylines: bylines });
        return;
      }
      item.body = body;
      item.bylines = bylines;
      page.articles.push(item);
    });
    return page;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function setup(form) {
    var dataNode = document.getElementById("import-correction-data");
    var result = document.getElementById("import-result");
    if (!dataNode || !result) { return; }
    var data = JSON.parse(dataNode.textContent);
    var lines = data.lines;
    var rows = Array.prototype.slice.call(form.querySelectorAll("tr.import-line"));
    var selects = rows.map(function (row) { return row.querySelector("select[name=role]"); });
    var target = result.querySelector(".import-result-body");
    var labels = result.dataset;

    function roles() { return selects.map(function (select) { return select.value; }); }
    // As the server's parser.readable: an article, or pictures alone, each credited to its
    // photographer (a credit is [name, role]).
    function readable(page) {
      return page.articles.length > 0 || (page.photos.length > 0 && page.photos.every(function (photo) {
        return photo.bylines.some(function (c) { return c[1] === "photographer"; });
      }));
    }
    function credits(list) {
      return list.map(function (c) { return (data.creditRoles[c[1]] || c[1]) + ": " + c[0]; }).join("; ");
    }

    // Join: the next article's titles become crossheads and its dateline plain text.
    function join(next) {
      for (var k = next.firstLine - 1; k >= 0 && selects[k].value === "kicker"; k--) {
        selects[k].value = "crosshead";
      }
      for (var i = next.firstLine; i < lines.length; i++) {
        var value = selects[i].value;
        if (value === "kicker" || value === "headline" || value === "subheadline") {
          selects[i].value = "crosshead";
        } else if (value === "dateline") {
          selects[i].value = "body";
        } else if (value !== "furniture" && value !== "jump") {
          break;
        }
      }
      render();
    }

    function render() {
      var current = roles();
      var page = assemble(lines, current);
      var starts = {};
      page.articles.forEach(function (article) { starts[article.firstLine] = true; });
      rows.forEach(function (row, index) {
        row.className = row.className.replace(/\brole-\S+/g, "").replace(/\barticle-start\b/g, "").trim() +
          " role-" + current[index] + (starts[index] ? " article-start" : "");
        row.querySelector("[data-action=split]").hidden =
          ["body", "dateline", "caption", "crosshead"].indexOf(current[index]) < 0;
        row.querySelector("[data-action=move-up]").hidden = current[index] !== "byline";
      });
      target.textContent = "";
      if (page.credits.length) {
        target.appendChild(element("h3", "", labels.labelPageCredits));
        target.appendChild(element("p", "credits", credits(page.credits)));
      }
      target.appendChild(element("h3", "", labels.labelArticles + " (" + page.articles.length + ")"));
      if (!readable(page)) { target.appendChild(element("p", "errornote", labels.labelNone)); }
      page.articles.forEach(function (article, index) {
        var box = element("article", "parsed-article");
        if (article.kicker) { box.appendChild(element("p", "kicker", article.kicker)); }
        box.appendChild(element("h4", "", article.headline));
        if (article.subheadline) { box.appendChild(element("p", "kicker", "——" + article.subheadline)); }
        var facts = [];
        if (article.dateline) { facts.push(labels.labelDateline + ": " + article.dateline); }
        if (article.source) { facts.push(labels.labelSource + ": " + article.source); }
        if (article.syndicatedFrom) { facts.push(labels.labelSyndicated + ": " + article.syndicatedFrom); }
        if (article.bylines.length) { facts.push(credits(article.bylines)); }
        if (facts.length) { box.appendChild(element("p", "credits", facts.join(" · "))); }
        article.body.forEach(function (block) {
          box.appendChild(element(block[0] === "crosshead" ? "h5" : "p", "", block[1]));
        });
        var next = page.articles[index + 1];
        if (next) {
          var button = element("button", "button join-next", labels.labelJoin);
          button.type = "button";
          button.addEventListener("click", function () { join(next); });
          box.appendChild(button);
        }
        target.appendChild(box);
      });
      if (page.photos.length) {
        target.appendChild(element("h3", "", labels.labelPhotos + " (" + page.photos.length + ")"));
        page.photos.forEach(function (photo) {
          var box = element("article", "parsed-photo");
          if (photo.headline) { box.appendChild(element("h4", "", photo.headline)); }
          box.appendChild(element("p", "", photo.caption));
          if (photo.bylines.length) { box.appendChild(element("p", "credits", credits(photo.bylines))); }
          target.appendChild(box);
        });
      }
    }

    rows.forEach(function (row, index) {
      selects[index].addEventListener("change", render);
      row.querySelector("[data-action=split]").addEventListener("click", function () {
        selects[index].value = "headline";
        render();
      });
      row.querySelector("[data-action=move-up]").addEventListener("click", function () {
        // A closing credit above an article's text signs the article before it.
        selects[index].value = "credit";
        render();
      });
    });
    render();
  }

  // The assembly on its own, so a browser test can check it builds what the server builds.
  window.newsroomImportCorrection = { assemble: assemble };

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("import-correction");
    if (form) { setup(form); }
  });
})();
