// "Use my location": fills the place box with the browser's position, rounded to about
// 100 metres, and searches. Without JavaScript or geolocation the button stays hidden.
const PRECISION = 3;

for (const block of document.querySelectorAll("[data-use-my-location]")) {
  const form = block.closest("form");
  const input = form && form.querySelector("input[name=near]");
  if (!input || !("geolocation" in navigator)) continue;
  const button = block.querySelector("button");
  const status = block.querySelector("[role=status]");
  block.hidden = false;

  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        input.value = `${coords.latitude.toFixed(PRECISION)},${coords.longitude.toFixed(PRECISION)}`;
        status.textContent = "Searching near your location…";
        form.requestSubmit();
      },
      () => {
        button.disabled = false;
        status.textContent = "We couldn't get your location. You can type a town or postcode instead.";
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  });
}
