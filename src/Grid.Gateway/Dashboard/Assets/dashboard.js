// The cluster dashboard: one EventSource on /dashboard/events (the sign-in cookie goes with it), a history of
// samples kept here for the charts, and plain DOM updates. No libraries, nothing fetched from elsewhere.
const MAX_POINTS = 300;
// Charts span at least this many samples, so a fresh dashboard does not stretch its first few across the width.
const MIN_SPAN = 60;
const FEED_SIZE = 50;

const state = { frames: [], feed: [], seen: new Set() };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

const fmt = {
  int: (n) => (n ?? 0).toLocaleString("en-US"),
  rate: (n) => (n == null ? "–" : n >= 100 ? n.toFixed(0) : n.toFixed(1)),
  ms: (n) => (n == null ? "–" : n >= 100 ? `${n.toFixed(0)} ms` : n >= 1 ? `${n.toFixed(1)} ms` : `${(n * 1000).toFixed(0)} µs`),
  bytes: (n) => (n == null ? "–" : n > 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GiB` : `${(n / (1 << 20)).toFixed(0)} MiB`),
  uptime: (s) => {
    if (s == null) return "–";
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${Math.floor(s % 60)}s` : `${Math.floor(s)}s`;
  },
  time: (iso) => new Date(iso).toLocaleTimeString("en-GB"),
};

function replaceRows(tbody, rows, empty, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: columns, class: "muted" }, empty))]));
}

function renderSilos(frame) {
  replaceRows($("silos"), frame.silos.map((s) => el("tr", { "data-testid": "silo-row", "data-silo": s.id },
    el("td", { title: s.id }, s.name + (s.self ? " (this silo)" : "")),
    el("td", {}, el("span", { class: `pill ${s.status === "active" ? "pill-ok" : "pill-bad"}` }, s.status)),
    el("td", { class: "num" }, fmt.uptime(s.uptimeSeconds)),
    el("td", { class: "num" }, s.cpuPercent == null ? "–" : `${s.cpuPercent.toFixed(1)} %`),
    el("td", { class: "num" }, fmt.bytes(s.memoryBytes)),
    el("td", { class: "num", "data-testid": "silo-activations" }, s.activations == null ? "–" : fmt.int(s.activations)))), "no silos", 6);
}

function renderActivations(frame) {
  const entries = Object.entries(frame.activationsByType).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  $("activations-total").textContent = fmt.int(total);
  $("activations").replaceChildren(...(entries.length ? entries.map(([type, n]) => {
    const fill = el("div", { class: "bar-fill" });
    fill.style.width = `${(100 * n) / max}%`;
    return el("div", { class: "bar-row", "data-testid": "activation-type", "data-type": type },
      el("span", {}, type), el("div", { class: "bar-track" }, fill), el("span", { class: "num" }, fmt.int(n)));
  }) : [el("span", { class: "muted" }, "no activations")]));
}

/** A small inline chart: one polyline per series ({values, color}), all on one scale. */
function sparkline(seriesList, testid) {
  const w = 120, h = 22, max = Math.max(1e-9, ...seriesList.flatMap((s) => s.values));
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", w); svg.setAttribute("height", h); svg.setAttribute("class", "spark");
  svg.setAttribute("data-testid", testid);
  for (const { values, color } of seriesList) {
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    const step = values.length > 1 ? w / (values.length - 1) : w;
    line.setAttribute("points", values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - ((h - 4) * v) / max).toFixed(1)}`).join(" "));
    line.setAttribute("fill", "none"); line.setAttribute("stroke", color); line.setAttribute("stroke-width", "1.5");
    svg.append(line);
  }
  return svg;
}

function methodKey(m) { return `${m.grain} ${m.method}`; }

function renderMethods(frame) {
  const recent = state.frames.slice(-60);
  const rows = frame.methods.map((m) => {
    const history = recent.map((f) => f.methods.find((x) => methodKey(x) === methodKey(m)));
    const series = (pick) => history.map((x) => (x ? pick(x) : null) ?? 0);
    return el("tr", { "data-testid": "method-row", "data-method": m.method },
      el("td", {}, m.method), el("td", { class: "muted" }, m.grain),
      el("td", { class: "num", "data-testid": "method-calls" }, fmt.int(m.calls)),
      el("td", { class: "num" }, fmt.rate(m.callsPerSecond)),
      el("td", { class: "num" }, fmt.rate(m.errorsPerSecond)),
      el("td", { class: "num" }, fmt.ms(m.p50Ms)),
      el("td", { class: "num" }, fmt.ms(m.p99Ms)),
      el("td", {}, sparkline([
        { values: series((x) => x.callsPerSecond), color: "#4fb3ff" },
        { values: series((x) => x.errorsPerSecond), color: "#ff6b6b" },
      ], "method-rate-chart")),
      el("td", {}, sparkline([
        { values: series((x) => x.p50Ms), color: "#7ee787" },
        { values: series((x) => x.p99Ms), color: "#f0b849" },
      ], "method-latency-chart")));
  });
  replaceRows($("methods"), rows, "no grain calls yet", 9);
  $("calls-total").textContent = fmt.int(frame.methods.reduce((s, m) => s + m.calls, 0));
  $("errors-total").textContent = fmt.int(frame.methods.reduce((s, m) => s + m.errors, 0));
}

function drawChart(canvas, seriesList) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width, height = canvas.clientHeight || canvas.height;
  canvas.width = width * ratio; canvas.height = height * ratio;
  const ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  ctx.clearRect(0, 0, width, height);
  const max = Math.max(1, ...seriesList.flatMap((s) => s.values));
  ctx.strokeStyle = "#26313d"; ctx.fillStyle = "#8796a5"; ctx.font = "11px Liberation Sans, sans-serif";
  for (let i = 0; i <= 2; i++) {
    const y = 6 + ((height - 20) * i) / 2;
    ctx.beginPath(); ctx.moveTo(36, y); ctx.lineTo(width, y); ctx.stroke();
    ctx.fillText(fmt.rate(max * (1 - i / 2)), 0, y + 4);
  }
  for (const s of seriesList) {
    if (s.values.length < 2) continue;
    const span = Math.max(MIN_SPAN, ...seriesList.map((x) => x.values.length));
    const step = (width - 36) / (span - 1);
    const start = width - step * (s.values.length - 1);
    ctx.strokeStyle = s.color; ctx.lineWidth = 1.5; ctx.beginPath();
    s.values.forEach((v, i) => {
      const x = start + i * step, y = 6 + (height - 20) * (1 - v / max);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
}

function renderCharts() {
  const frames = state.frames;
  const sum = (f, pick) => f.methods.reduce((s, m) => s + (pick(m) ?? 0), 0);
  drawChart($("calls-chart"), [
    { color: "#4fb3ff", values: frames.map((f) => sum(f, (m) => m.callsPerSecond)) },
    { color: "#ff6b6b", values: frames.map((f) => sum(f, (m) => m.errorsPerSecond)) },
  ]);
  drawChart($("journal-chart"), [{ color: "#4cd38a", values: frames.map((f) => f.journal.appendsPerSecond ?? 0) }]);
}

function renderJournal(frame) {
  const j = frame.journal;
  $("appends-total").textContent = fmt.int(j.appends);
  $("appends-rate").textContent = fmt.rate(j.appendsPerSecond);
  $("batch-size").textContent = j.meanBatchSize == null ? "–" : j.meanBatchSize.toFixed(1);
  $("storage-p50").textContent = fmt.ms(j.storageP50Ms);
  $("storage-p99").textContent = fmt.ms(j.storageP99Ms);
}

function chainState(c) {
  if (!c.reportedAt) return el("span", { class: "pill pill-wait" }, "no scan yet");
  if (c.failing) return el("span", { class: "pill pill-bad", title: "see the silo's log" }, "failing");
  return el("span", { class: "pill pill-ok", title: `reported ${fmt.time(c.reportedAt)}` }, "watching");
}

function renderChains(frame) {
  replaceRows($("chains"), frame.chains.map((c) => el("tr", { "data-testid": "chain-row" },
    el("td", {}, c.chainId), el("td", { class: "num" }, c.head ?? "–"), el("td", { class: "num" }, c.cursor ?? "–"),
    el("td", { class: "num" }, c.lag ?? "–"), el("td", { class: "num" }, c.pending ?? "–"), el("td", {}, chainState(c)))),
    "no chains configured", 6);
}

function renderWebhooks(frame) {
  replaceRows($("webhooks"), frame.webhooks.map((w) => el("tr", { "data-testid": "webhook-row" },
    el("td", {}, w.provider), el("td", {}, w.type), el("td", {}, w.outcome), el("td", { class: "num" }, fmt.int(w.count)))),
    "no deliveries yet", 4);
}

function addFeed(frame, fresh) {
  const added = [];
  for (const entry of [...frame.feed].reverse()) {
    const key = `${entry.accountId}/${entry.sequence}`;
    if (state.seen.has(key)) continue;
    state.seen.add(key);
    state.feed.unshift(entry);
    added.push(key);
  }
  state.feed = state.feed.slice(0, FEED_SIZE);
  if (state.seen.size > 10 * FEED_SIZE) state.seen = new Set(state.feed.map((e) => `${e.accountId}/${e.sequence}`));
  if (!added.length && state.feed.length) return;
  $("feed").replaceChildren(...(state.feed.length ? state.feed.map((e) => el("li", {
    "data-testid": "feed-entry", class: fresh && added.includes(`${e.accountId}/${e.sequence}`) ? "fresh" : "",
  }, el("span", { class: "muted" }, fmt.time(e.at)), el("span", { title: e.accountId }, `${e.accountId} #${e.sequence}`),
    el("span", { class: "kind" }, e.kind), el("span", { class: "num" }, `${e.amount.toLocaleString("en-US")} → ${e.availableAfter.toLocaleString("en-US")}`)))
    : [el("li", { class: "muted" }, "no entries since the dashboard opened")]));
}

function render(frame, fresh) {
  renderSilos(frame);
  renderActivations(frame);
  renderMethods(frame);
  renderJournal(frame);
  renderChains(frame);
  renderWebhooks(frame);
  addFeed(frame, fresh);
  renderCharts();
  $("sampled").textContent = `sampled ${fmt.time(frame.at)}`;
  const s = frame.sampler;
  $("sampler").textContent = `sampler running: ${s.ticks} samples taken, ${s.viewers} open dashboard(s), every ${s.intervalMs} ms`;
}

function push(frame) {
  state.frames.push(frame);
  if (state.frames.length > MAX_POINTS) state.frames.splice(0, state.frames.length - MAX_POINTS);
}

function connect() {
  const status = $("connection");
  const events = new EventSource("/dashboard/events");
  events.addEventListener("open", () => { status.textContent = "live"; status.className = "pill pill-ok"; });
  events.addEventListener("history", (e) => {
    const frames = JSON.parse(e.data);
    state.frames = [];
    frames.forEach((f) => { push(f); addFeed(f, false); });
    if (frames.length) render(frames[frames.length - 1], false);
  });
  events.addEventListener("frame", (e) => {
    const frame = JSON.parse(e.data);
    push(frame);
    render(frame, true);
  });
  events.addEventListener("error", () => {
    status.textContent = "reconnecting"; status.className = "pill pill-wait";
    // A closed stream whose session ended answers 401: the page then asks for the key again.
    if (events.readyState === EventSource.CLOSED) {
      fetch("/dashboard/snapshot", { credentials: "same-origin" }).then((r) => {
        if (r.status === 401 || r.status === 403) window.location.reload();
        else setTimeout(connect, 2000);
      }).catch(() => setTimeout(connect, 2000));
    }
  });
}

window.addEventListener("resize", renderCharts);
connect();
