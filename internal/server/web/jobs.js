// datalid web page, jobs: submits a chosen folder as one job to /v2/jobs and follows its
// progress over server-sent events. Shown only when the server has a job queue.
"use strict";
(async () => {
  const $ = (id) => document.getElementById(id);
  const headers = () => {
    const k = $("api-key").value;
    return k ? { "X-API-Key": k } : {};
  };
  try {
    const h = await (await fetch("/health", { headers: headers() })).json();
    if (!h.queue) return; // no queue on this server
  } catch (e) {
    return;
  }
  $("job-pick").hidden = false;
  const isImage = (f) => f.type.startsWith("image/") || /\.(jpe?g|png|bmp|webp)$/i.test(f.name);
  for (const id of ["folder-input", "files-input"]) {
    $(id).addEventListener("change", (ev) => {
      const files = Array.from(ev.target.files || []).filter(isImage);
      ev.target.value = "";
      if (files.length) submitJob(files);
      else setStatus("No photos in that folder.", "error");
    });
  }

  function setStatus(text, cls) {
    const s = $("status");
    s.hidden = false;
    s.className = "status " + (cls || "");
    s.textContent = text;
  }

  function row(p) {
    const tr = document.createElement("tr");
    let what = p.state;
    if (p.state === "done" && p.result) {
      const b = p.result.best_date;
      what = b && b.date ? b.date + (b.is_expired ? " (expired)" : "") : "no date";
    } else if (p.error) {
      what = p.state + ": " + p.error;
    }
    for (const text of [p.filename, what]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.appendChild(td);
    }
    tr.dataset.index = p.index;
    return tr;
  }

  async function submitJob(files) {
    $("result").hidden = true;
    setStatus("Uploading " + files.length + " photos…", "busy");
    const form = new FormData();
    for (const f of files) form.append("files", f, f.webkitRelativePath || f.name);
    let job;
    try {
      const resp = await fetch("/v2/jobs", { method: "POST", body: form, headers: headers() });
      job = await resp.json().catch(() => null);
      if (!resp.ok) {
        const msg = job && job.error ? job.error.message + " (" + job.error.code + ")" : "HTTP " + resp.status;
        setStatus("Could not queue the folder: " + msg, "error");
        return;
      }
    } catch (e) {
      setStatus("Network error: " + e.message, "error");
      return;
    }
    $("job").hidden = false;
    $("job-id").textContent = job.id.slice(0, 8);
    $("job-photos").replaceChildren();
    const bar = $("job-progress");
    bar.max = job.total;
    bar.value = 0;
    setStatus("Queued " + job.total + " photos; reading…", "busy");
    // EventSource cannot send headers; servers with API keys get polled instead.
    if ($("api-key").value) return poll(job.id);
    const es = new EventSource("/v2/jobs/" + job.id + "/events");
    es.addEventListener("photo", (ev) => $("job-photos").appendChild(row(JSON.parse(ev.data))));
    es.addEventListener("progress", (ev) => progress(JSON.parse(ev.data)));
    es.addEventListener("end", (ev) => {
      es.close();
      progress(JSON.parse(ev.data));
    });
    es.onerror = () => {
      es.close();
      poll(job.id);
    };
  }

  function progress(j) {
    const c = j.counts;
    const finished = c.done + c.failed + c.dead + c.canceled;
    $("job-progress").value = finished;
    $("job-counts").textContent = `${finished} of ${j.total}: ${c.done} read, ${c.failed} failed, ${c.dead} dead-lettered, ${c.canceled} cancelled`;
    if (j.state === "done" || j.state === "canceled" || j.state === "aborted") {
      setStatus("Job " + j.state + ".", c.failed + c.dead ? "partial" : "success");
    }
  }

  async function poll(id) {
    for (;;) {
      const j = await (await fetch("/v2/jobs/" + id, { headers: headers() })).json();
      progress(j);
      if (j.state === "done" || j.state === "canceled" || j.state === "aborted") {
        $("job-photos").replaceChildren(...j.photos.map(row));
        return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
})();
