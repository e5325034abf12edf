// Notes on a list go wherever the list is shared: warn while a note is typed when it looks
// like it holds someone's name, email address or phone number. The patterns come from the
// page (directory/signposting/privacy.py, which also checks the note when it is saved), so
// without this script nothing is lost: the server's message says the same on saving.
const list = document.querySelector("[data-personal-patterns]");

if (list) {
  const warning = list.dataset.personalWarning;
  const patterns = JSON.parse(list.dataset.personalPatterns).map(
    (p) => ({ what: p.what, re: new RegExp(p.pattern, p.flags) }),
  );
  const found = (text) => patterns.find((p) => p.re.test(text));

  for (const box of list.querySelectorAll("textarea[name='note']")) {
    const message = document.createElement("p");
    message.id = `${box.id}-personal`;
    message.className = "govuk-warning-text__text note-warning";
    message.setAttribute("role", "status");
    message.setAttribute("aria-live", "polite");
    box.closest(".govuk-form-group").append(message);
    box.setAttribute("aria-describedby", `${box.getAttribute("aria-describedby") || ""} ${message.id}`.trim());

    const check = () => {
      const hit = found(box.value);
      message.textContent = hit ? `${warning}. This note looks like it has ${hit.what} in it.` : "";
      message.hidden = !hit;
    };
    box.addEventListener("input", check);
    check();
  }
}
