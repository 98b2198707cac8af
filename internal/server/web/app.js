// datalid web page: posts a photo to /process and renders the answer. Plain JS, no build.
"use strict";
const $ = (id) => document.getElementById(id);
const keyInput = $("api-key");
keyInput.value = localStorage.getItem("datalid-api-key") || "";
keyInput.addEventListener("change", () => localStorage.setItem("datalid-api-key", keyInput.value));

for (const id of ["camera-input", "file-input"]) {
  $(id).addEventListener("change", (ev) => {
    const f = ev.target.files && ev.target.files[0];
    if (f) process(f);
    ev.target.value = "";
  });
}

function setStatus(text, cls) {
  const s = $("status");
  s.hidden = false;
  s.className = "status " + (cls || "");
  s.textContent = text;
}

async function process(file) {
  $("result").hidden = true;
  setStatus("Reading the photo…", "busy");
  const form = new FormData();
  form.append("file", file, file.name || "photo.jpg");
  form.append("return_full_ocr", "true");
  const headers = {};
  if (keyInput.value) headers["X-API-Key"] = keyInput.value;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 60000);
  try {
    const resp = await fetch("/process", { method: "POST", body: form, headers, signal: ctl.signal });
    const body = await resp.json().catch(() => null);
    if (!resp.ok) {
      const msg = body && body.error ? body.error.message + " (" + body.error.code + ")" : "HTTP " + resp.status;
      setStatus("Could not read the photo: " + msg, "error");
      return;
    }
    await render(file, body);
  } catch (e) {
    setStatus(e.name === "AbortError" ? "The server took too long." : "Network error: " + e.message, "error");
  } finally {
    clearTimeout(timer);
  }
}

function fmtDate(iso) {
  const [y, m, d] = iso.split("-");
  return d + "/" + m + "/" + y;
}

function colour(c) { return c > 0.7 ? "#22c55e" : c > 0.5 ? "#eab308" : "#ef4444"; }

async function render(file, r) {
  setStatus(r.message + " — " + new Date(r.processed_at).toLocaleString(), r.status);
  $("result").hidden = false;
  const best = r.best_date;
  const badge = $("badge");
  if (best && best.date) {
    $("best-date").textContent = fmtDate(best.date);
    const n = best.days_until_expiry;
    badge.textContent = best.is_expired ? "Expired" : "Valid";
    badge.className = "badge " + (best.is_expired ? "expired" : "valid");
    $("best-days").textContent = n < 0 ? "Expired " + -n + " day(s) ago" : n === 0 ? "Expires today" : n + " day(s) left";
    $("best-meta").textContent = "Format: " + (best.format || "?") + " · Confidence: " + Math.round(best.confidence * 100) + "% · " + (best.text || "");
  } else {
    $("best-date").textContent = "No date found";
    badge.textContent = "";
    badge.className = "badge";
    $("best-days").textContent = "";
    $("best-meta").textContent = "";
  }
  const dl = $("dates");
  dl.replaceChildren(...r.dates.map((d) => li(fmtDate(d.date) + " — " + d.kind + ", " + d.precision +
    ", " + Math.round(d.confidence * 100) + "% — “" + (d.text || "") + "”")));
  $("dates-count").textContent = r.dates.length;
  const tl = $("texts");
  // Regions where nothing legible was read carry no information for a reader; the picture
  // still outlines them.
  const read = r.ocr_results.filter((o) => o.text.trim() !== "");
  tl.replaceChildren(...read.map((o) => li("“" + o.text + "” (" + Math.round(o.confidence * 100) + "%)")));
  $("texts-count").textContent = read.length;
  const m = r.metrics;
  const rows = [["Total", m.total_time], ["Decode", m.decode_time], ["Detection", m.detection_time],
    ["Orientation", m.classification_time], ["Recognition", m.recognition_time], ["Date parsing", m.parsing_time]];
  $("timings").replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement("tr");
    tr.innerHTML = "<td></td><td class=num></td>";
    tr.children[0].textContent = k;
    tr.children[1].textContent = (v * 1000).toFixed(1) + " ms";
    return tr;
  }));
  await draw(file, r);
}

function li(text) { const e = document.createElement("li"); e.textContent = text; return e; }

async function draw(file, r) {
  const canvas = $("canvas");
  const bmp = await createImageBitmap(file, { imageOrientation: "from-image" }).catch(() => null);
  if (!bmp) return;
  canvas.width = r.image_width || bmp.width;
  canvas.height = r.image_height || bmp.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(bmp, 0, 0, canvas.width, canvas.height);
  ctx.lineWidth = Math.max(2, canvas.width / 300);
  ctx.font = Math.max(12, canvas.width / 50) + "px sans-serif";
  for (const d of r.detections) {
    const c = colour(d.confidence);
    ctx.strokeStyle = c;
    ctx.fillStyle = c + "33";
    ctx.beginPath();
    if (d.has_mask && d.segmentation) {
      d.segmentation.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.closePath();
    } else {
      ctx.rect(d.bbox.x1, d.bbox.y1, d.bbox.width, d.bbox.height);
    }
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = c;
    ctx.fillText(d.class_name + " " + Math.round(d.confidence * 100) + "%", d.bbox.x1, Math.max(12, d.bbox.y1 - 4));
  }
}
