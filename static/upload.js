/* Image Kernels: a picture of your own, by file picker, drag and drop or paste.
   The file goes to POST /api/images; the picture menu then names the stored picture and the form is sent
   again, so the page shows it like any sample. Without JavaScript the upload form posts to /upload. */
(() => {
  "use strict";

  const form = document.getElementById("controls");
  const field = (name) => (form ? form.elements.namedItem(name) : null);
  const closest = (node, selector) => (node instanceof Element ? node.closest(selector) : null);
  const send = () => {
    if (form && window.htmx) htmx.trigger(form, "pick", { part: "all" });
  };

  function uploadSays(text, isError) {
    const status = document.getElementById("upload-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-error", isError);
  }

  async function upload(file) {
    const uploadForm = document.getElementById("upload-form");
    if (!file || !uploadForm || !field("image")) return;
    uploadSays(`Uploading ${file.name}…`, false);
    const body = new FormData();
    body.append("file", file);
    let answer;
    try {
      const response = await fetch(uploadForm.dataset.api, { method: "POST", body });
      answer = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
      if (!response.ok) throw new Error(answer.error);
    } catch (error) {
      uploadSays(`That file cannot be used: ${error.message}`, true);
      return;
    }
    const select = field("image");
    if (![...select.options].some((option) => option.value === answer.id)) select.add(new Option("Your picture", answer.id));
    select.value = answer.id;
    uploadSays(`Uploaded ${file.name}: ${answer.width}×${answer.height} pixels.`, false);
    send();
  }

  // The file input belongs to the upload form: keep its events from reaching the live form.
  for (const type of ["input", "change"]) {
    document.addEventListener(type, (event) => {
      if (!(event.target instanceof HTMLInputElement) || event.target.type !== "file") return;
      event.stopPropagation();
      if (type === "change") upload(event.target.files[0]).then(() => { event.target.value = ""; });
    }, true);
  }

  for (const type of ["dragenter", "dragover"]) {
    document.addEventListener(type, (event) => {
      const zone = closest(event.target, "[data-dropzone]");
      if (!zone) return;
      event.preventDefault();
      zone.classList.add("dragging");
    });
  }
  document.addEventListener("dragleave", (event) => {
    const zone = closest(event.target, "[data-dropzone]");
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", (event) => {
    const zone = closest(event.target, "[data-dropzone]");
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    upload(event.dataTransfer && event.dataTransfer.files[0]);
  });
  document.addEventListener("paste", (event) => {
    const files = event.clipboardData ? [...event.clipboardData.files] : [];
    const image = files.find((file) => file.type.startsWith("image/"));
    if (image && field("image")) {
      event.preventDefault();
      upload(image);
    }
  });
})();
