// Progressive enhancement only: every page works without this file.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// "Print this list": a button only when there is script to press it with.
for (const button of document.querySelectorAll(".js-print")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
