// "Add to my list" without leaving the page: the same form, posted in the background, so the
// card stays in view; the header count and a status message update. Without this file the form
// posts and the server redirects back to the card's anchor.
const status = document.createElement("p");
status.className = "govuk-visually-hidden";
status.setAttribute("role", "status");
document.body.append(status);

async function add(form) {
  const response = await fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

for (const form of document.querySelectorAll("[data-add-to-list]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const result = await add(form);
      for (const count of document.querySelectorAll("[data-list-count]")) count.textContent = `(${result.count})`;
      const note = document.createElement("p");
      note.className = "govuk-body-s govuk-!-margin-top-2 in-list";
      note.innerHTML = result.message;
      if (result.ok) form.replaceWith(note);
      else form.after(note);
      status.textContent = note.textContent;
    } catch {
      form.submit(); // the page way still works
    } finally {
      button.disabled = false;
    }
  });
}
