// "Show map": Leaflet and the map tiles load only when asked for, because tile requests
// tell the tile server roughly where the person is looking. The list stays the main view,
// and if the map cannot load the list still has every result.
const button = document.querySelector("[data-show-map]");
const container = document.querySelector("[data-results-map]");
const status = document.querySelector("[data-map-status]");
let map = null;

function loadLeaflet({ leafletCss, leafletJs }) {
  if (window.L) return Promise.resolve(window.L);
  return new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href: leafletCss });
    const script = Object.assign(document.createElement("script"), { src: leafletJs });
    script.addEventListener("load", () => resolve(window.L));
    script.addEventListener("error", reject);
    document.head.append(link, script);
  });
}

async function results(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function popup(item) {
  const link = Object.assign(document.createElement("a"), { href: item.url, textContent: item.name });
  link.className = "govuk-link";
  return link;
}

function draw(L, data, settings) {
  L.Icon.Default.imagePath = settings.leafletImages;
  map = L.map(container);
  // Tile servers ask who is using them: send our origin only, never the page address (it holds the search).
  L.tileLayer(settings.tileUrl, { attribution: settings.attribution, maxZoom: 18, referrerPolicy: "strict-origin" }).addTo(map);
  const points = [];
  if (data.near) {
    const here = [data.near.latitude, data.near.longitude];
    L.circleMarker(here, { radius: 8 }).addTo(map).bindTooltip(`Near ${data.near.label}`);
    points.push(here);
  }
  // Confidential places come without coordinates from the API, so they are never drawn.
  for (const item of data.items) {
    for (const place of item.locations) {
      if (place.latitude == null) continue;
      const point = [place.latitude, place.longitude];
      L.marker(point, { title: item.name, alt: item.name }).addTo(map).bindPopup(popup(item));
      points.push(point);
    }
  }
  if (points.length) map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
  else map.setView([54.0, -2.5], 6);
}

async function toggle() {
  if (map) {
    container.hidden = !container.hidden;
    button.textContent = container.hidden ? "Show map" : "Hide map";
    if (!container.hidden) map.invalidateSize();
    return;
  }
  button.disabled = true;
  status.textContent = "Loading the map…";
  try {
    const settings = container.dataset;
    const [L, data] = await Promise.all([loadLeaflet(settings), results(settings.markers)]);
    container.hidden = false;
    draw(L, data, settings);
    button.textContent = "Hide map";
    status.textContent = "";
  } catch {
    status.textContent = "The map could not be loaded. The list has every result.";
  } finally {
    button.disabled = false;
  }
}

if (button && container) {
  button.hidden = false;
  button.addEventListener("click", toggle);
}
