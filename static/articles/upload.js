// “Upload this pages”: files dropped on the zone go into the file input; the progress
// page asks for the upload's state every two seconds while pages are still being read.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const zone = document.querySelector("[data-upload-drop]");
  if (zone) {
    const input = zone.querySelector("input[type=file]");
    const chosen = zone.querySelector("[data-upload-chosen]");
    const list = () => {
      chosen.replaceChildren(...Array.from(input.files, (file) => {
        const item = document.createElement("li");
        item.textContent = `${file.name} (${Math.ceil(file.size / 1024)} KB)`;
        return item;
      }));
    };
    input.addEventListener("change", list);
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      const files = new DataTransfer();
      for (const file of event.dataTransfer.files) files.items.add(file);
      input.files = files.files;
      list();
    });
  }

  const main = document.querySelector("[data-upload-progress]");
  if (!main || !main.hasAttribute("data-upload-working")) return;
  const cell = (text) => {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  };
  const link = (href, text) => {
    const td = document.createElement("td");
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.append(a);
    }
    return td;
  };
  const refresh = async () => {
    const response = await fetch(main.dataset.uploadProgress, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const state = await response.json();
    main.querySelector("[data-upload-summary]").textContent = state.summary;
    const bar = main.querySelector("[data-upload-bar]");
    bar.max = state.total;
    bar.value = state.done;
    main.querySelector("[data-upload-failed]").hidden = state.failed === 0;
    main.querySelector("[data-upload-failed-count]").textContent = state.failed;
    main.querySelector("[data-upload-rows]").replaceChildren(...state.pages.map((page) => {
      const row = document.createElement("tr");
      row.className = `state-${page.state}`;
      const label = document.createElement("span");
      label.className = "upload-state";
      label.textContent = page.state_label;
      const stateCell = document.createElement("td");
      stateCell.append(label);
      const message = cell([page.error, page.warnings].filter(Boolean).join("\n"));
      message.className = "upload-message";
      row.append(
        cell(page.number ?? "—"), cell(page.file), stateCell, cell(page.articles), cell(page.photos), message,
        page.workbench_url
          ? link(page.workbench_url, main.dataset.workbenchLabel)
          : link(page.page_url, main.dataset.openLabel),
      );
      return row;
    }));
    if (state.working > 0) window.setTimeout(refresh, 2000);
    else main.removeAttribute("data-upload-working");
  };
  window.setTimeout(refresh, 2000);
});
