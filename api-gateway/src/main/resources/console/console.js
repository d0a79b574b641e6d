// The Lethe console: the officer's desk over the public API (/v1/...). A plain ES module served
// by the gateway; nothing to build. The token is kept in this tab's sessionStorage (gone when the
// tab closes or on "Sign out") and sent only to this origin as a bearer token. The console shows
// no raw subject identifier: requests carry only their pseudonym (subjectKey), and a value typed
// into the subject look-up is sent once and cleared from the form.

const TOKEN_KEY = "lethe.console.token";
const FINISHED = ["COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED", "CANCELLED"];
const STATUSES = ["RECEIVED", "PENDING_APPROVAL", "SCHEDULED", "IN_PROGRESS", ...FINISHED];
const SYSTEM_STATUSES = ["PENDING", "DISPATCHED", "IN_PROGRESS", "DONE", "NOT_FOUND", "RETAINED", "FAILED"];
const SETTLED = ["DONE", "NOT_FOUND", "RETAINED"];
const BEFORE_DISPATCH = ["RECEIVED", "PENDING_APPROVAL", "SCHEDULED"];
/** The modes and sections the registry form knows; anything else is edited as JSON. */
const FORM_MODES = ["event", "http", "s3", "manual"];
const FORM_FIELDS = ["name", "owner", "contact", "mode", "namespaces", "jurisdictions", "tags", "slaDays",
  "reminderHours", "maxAttempts", "http", "s3"];

const $ = (id) => document.getElementById(id);
let me = null;
/** A message to show once the next page is drawn (set before navigating). */
let pendingFlash = null;

// ---------------------------------------------------------------- DOM helpers

/** An element with attributes and children (strings become text nodes, never HTML). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) { continue; }
    if (key.startsWith("on")) { el.addEventListener(key.slice(2), value); }
    else if (key === "class") { el.className = value; }
    else { el.setAttribute(key, value === true ? "" : String(value)); }
  }
  for (const child of children.flat()) {
    if (child == null || child === false) { continue; }
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

function when(iso) {
  if (!iso) { return "—"; }
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function badge(text, kind) { return h("span", { class: "badge " + (kind || "") }, text); }

function statusBadges(request) {
  const out = [badge(request.status, FINISHED.includes(request.status) && request.status.startsWith("COMPLETED") ? "good" : "")];
  if (request.overdue) { out.push(badge("overdue", "bad")); }
  for (const reason of request.attention || []) { out.push(badge("needs a person: " + reason, "warn")); }
  return out;
}

function flash(message, kind) {
  const box = $("flash");
  box.hidden = !message;
  box.className = kind || "";
  box.textContent = message || "";
}

function render(...nodes) {
  $("main").replaceChildren(...nodes.flat().filter((node) => node != null && node !== false));
}

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, body) {
    const code = body && body.error ? body.error : "http_" + status;
    const text = body && body.message ? body.message : "the server answered " + status;
    super(text);
    this.status = status;
    this.code = code;
    this.field = body ? body.field : undefined;
  }
  /** The refusal as the officer reads it: status, the API's code and message, and the field at fault. */
  plain() {
    return "Refused — " + this.status + " " + this.code + ": " + this.message + (this.field ? " (field: " + this.field + ")" : "");
  }
}

async function api(method, path, body) {
  const headers = { "Authorization": "Bearer " + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) { headers["Content-Type"] = "application/json"; }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401) { signOut("The token was refused (401). Sign in again."); }
    throw new ApiError(response.status, json);
  }
  return json;
}

const enc = encodeURIComponent;
const may = (capability) => me && me.may.includes(capability);

// ---------------------------------------------------------------- sign in

function signInView(message) {
  $("nav").hidden = true;
  $("signout").hidden = true;
  $("who").textContent = "";
  const token = h("input", { id: "token", type: "password", size: 44, autocomplete: "off", required: true });
  const form = h("form", { id: "login", class: "inline card", onsubmit: async (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, token.value.trim());
    await start();
  } },
  h("label", {}, "API token", token), h("button", { type: "submit", class: "primary" }, "Sign in"));
  render(h("h1", {}, "Sign in"), form,
    h("p", { class: "muted" }, "Paste a token (the standalone run prints the admin token once and keeps it in ",
      h("code", {}, "data/secrets/admin.token"), "). The token is kept in this tab's session storage until you ",
      "sign out or close the tab, and is sent only to this server."));
  flash(message, message ? "error" : "");
  token.focus();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  me = null;
  if (location.hash !== "#/signin") { history.replaceState(null, "", "#/signin"); }
  signInView(message);
}

async function start() {
  try {
    me = await api("GET", "/v1/me");
  } catch (e) {
    signOut(e instanceof ApiError ? e.plain() : String(e));
    return;
  }
  $("who").textContent = "signed in as " + me.role;
  $("nav").hidden = false;
  $("signout").hidden = false;
  flash("");
  if (!location.hash || location.hash === "#/signin") { location.hash = "#/dashboard"; }
  else { await route(); }
}

// ---------------------------------------------------------------- routing

async function route() {
  if (!sessionStorage.getItem(TOKEN_KEY)) { signInView(); return; }
  if (!me) { await start(); return; }
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query || "");
  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("active", link.dataset.view === (parts[0] === "request" ? "requests" : parts[0]));
  }
  try {
    switch (parts[0]) {
      case "requests": return await requestsView(params);
      case "request": return await requestView(parts[1]);
      case "certificate": return await certificateView(parts[1]);
      case "systems": return parts[1] ? await systemView(parts[1] === "new" ? null : parts[1]) : await systemsView();
      default: return await dashboardView();
    }
  } catch (e) {
    render(h("h1", {}, "Cannot show this page"), h("p", { class: "error", id: "page-error" },
      e instanceof ApiError ? e.plain() : String(e)));
  }
}

// ---------------------------------------------------------------- dashboard

function tile(id, figure, label, href, kind) {
  return h("a", { class: "tile " + (kind || ""), id, href: href || null },
    h("span", { class: "figure" }, figure), h("span", { class: "label" }, label));
}

async function dashboardView() {
  const [stats, systems] = await Promise.all([api("GET", "/v1/stats"), api("GET", "/v1/systems")]);
  const tiles = h("div", { class: "tiles" },
    tile("tile-open", stats.open, "open requests", "#/requests?open=true"),
    tile("tile-overdue", stats.overdue, "overdue (past the legal deadline)", "#/requests?overdue=true",
      stats.overdue ? "alarm" : ""),
    tile("tile-due", stats.dueThisWeek, "due within 7 days", "#/requests?overdue=false&open=true",
      stats.dueThisWeek ? "warn" : ""),
    tile("tile-approval", stats.pendingApproval, "waiting for approval", "#/requests?status=PENDING_APPROVAL",
      stats.pendingApproval ? "warn" : ""),
    tile("tile-attention", stats.needsAttention, "need a person" + reasons(stats.attention),
      "#/requests?attention=true", stats.needsAttention ? "warn" : ""),
    tile("tile-failed", "→", "requests with a failed system", "#/requests?systemStatus=FAILED"),
    tile("tile-month", stats.completedThisMonth, "completed this month", "#/requests?status=COMPLETED"),
    tile("tile-completed", stats.completed, "completed in all (with or without exceptions)",
      "#/requests?status=COMPLETED"));
  const max = Math.max(1, ...Object.values(stats.byStatus));
  const bars = h("div", { class: "bars", id: "by-status" },
    STATUSES.flatMap((status) => {
      const count = stats.byStatus[status] || 0;
      return [h("a", { href: "#/requests?status=" + status }, status),
        h("div", {}, h("div", { class: "bar-fill", style: "width:" + (100 * count / max) + "%" })),
        h("span", { class: "num" }, count)];
    }));
  render(h("h1", {}, "Dashboard"), tiles,
    h("div", { class: "card" }, h("h2", {}, "Requests filed and finished, last 30 days (UTC)"), dailyChart(stats.daily)),
    h("div", { class: "card" }, h("h2", {}, "Requests by status"), bars),
    h("div", { class: "card" }, h("h2", {}, "What each system owes"), backlogTable(systems, stats)),
    h("p", { class: "muted" }, "Figures are the ledger's running counts (GET /v1/stats), cluster-wide."));
}

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) { el.setAttribute(key, String(value)); }
  el.append(...children);
  return el;
}

/** Two bars a day: filed (blue) and finished (green), each with its figures as a tooltip. */
function dailyChart(daily) {
  const width = 1000, height = 150, top = 10, bottom = 22;
  const max = Math.max(1, ...daily.flatMap((d) => [d.filed, d.finished]));
  const step = width / daily.length;
  const bar = (x, value, cls) => {
    const h2 = (height - top - bottom) * value / max;
    return svg("rect", { x, y: height - bottom - h2, width: step * 0.36, height: Math.max(h2, value ? 1 : 0), class: cls });
  };
  const days = daily.map((d, i) => svg("g", {},
    svg("title", {}, d.day + ": " + d.filed + " filed, " + d.finished + " finished (" + d.completed + " completed)"),
    bar(i * step + step * 0.1, d.filed, "filed"), bar(i * step + step * 0.5, d.finished, "finished"),
    (i % 7 === 0 && i < daily.length - 3) || i === daily.length - 1 ? svg("text", { x: i * step, y: height - 6, class: "axis" }, d.day.slice(5)) : ""));
  const total = (key) => daily.reduce((sum, d) => sum + d[key], 0);
  return h("div", { id: "daily" },
    svg("svg", { viewBox: "0 0 " + width + " " + height, class: "chart", role: "img",
      "aria-label": "requests filed and finished per day" }, ...days),
    h("p", { class: "muted" }, h("span", { class: "key filed" }), " filed (" + total("filed") + ")  ",
      h("span", { class: "key finished" }), " finished (" + total("finished") + ", of which " + total("completed") + " completed)"));
}

function reasons(attention) {
  const parts = Object.entries(attention || {}).map(([reason, count]) => reason.toLowerCase() + " " + count);
  return parts.length ? " (" + parts.join(", ") + ")" : "";
}

function backlogTable(systems, stats) {
  const names = new Set([...systems.map((s) => s.name), ...Object.keys(stats.pendingBySystem), ...Object.keys(stats.oldestBySystem || {})]);
  const byName = Object.fromEntries(systems.map((s) => [s.name, s]));
  return h("table", { id: "backlog" },
    h("tr", {}, h("th", {}, "system"), h("th", {}, "owner"), h("th", {}, "mode"), h("th", { class: "num" }, "SLA (days)"),
      h("th", { class: "num" }, "open obligations"), h("th", { class: "num" }, "oldest obligation"),
      h("th", { class: "num" }, "answered"),
      h("th", { class: "num" }, "average answer time")),
    [...names].sort().map((name) => {
      const s = byName[name];
      return h("tr", { "data-system": name },
        h("td", {}, h("a", { href: "#/requests?system=" + enc(name) + "&open=true" }, name), s ? null : badge("retired")),
        h("td", {}, s ? s.owner : "—"), h("td", {}, s ? s.mode : "—"), h("td", { class: "num" }, s ? s.slaDays : "—"),
        h("td", { class: "num backlog" }, stats.pendingBySystem[name] || 0),
        h("td", { class: "num oldest" }, oldestObligation(stats, name)),
        h("td", { class: "num" }, answered(stats, name)), h("td", { class: "num" }, answerTime(stats, name)));
    }));
}

/** A system's oldest open obligation: its age, linking to the request that owes it. */
function oldestObligation(stats, name) {
  const oldest = (stats.oldestBySystem || {})[name];
  if (!oldest) { return "—"; }
  const s = oldest.ageSeconds;
  const age = s < 3600 ? Math.floor(s / 60) + " min" : s < 172800 ? Math.floor(s / 3600) + " h" : Math.floor(s / 86400) + " d";
  return h("a", { href: "#/request/" + enc(oldest.requestId), title: "owed since " + oldest.since }, age);
}

function answered(stats, name) {
  const answers = (stats.answersBySystem || {})[name];
  return answers ? answers.answered : 0;
}

/** A system's average time from a request's filing to its answer, in minutes, hours or days. */
function answerTime(stats, name) {
  const answers = (stats.answersBySystem || {})[name];
  if (!answers) { return "—"; }
  const s = answers.averageSeconds;
  return s < 3600 ? Math.round(s / 60) + " min" : s < 172800 ? (s / 3600).toFixed(1) + " h" : (s / 86400).toFixed(1) + " days";
}

// ---------------------------------------------------------------- find

async function requestsView(params) {
  const systems = await api("GET", "/v1/systems");
  const filters = h("form", { class: "inline card", id: "filters", onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const el of e.target.elements) {
      if (el.name && el.value) { next.set(el.name, el.value); }
    }
    location.hash = "#/requests?" + next;
  } },
  h("label", {}, "Status", select("status", ["", ...STATUSES], params.get("status"))),
  h("label", {}, "System", select("system", ["", ...systems.map((s) => s.name)], params.get("system"))),
  h("label", {}, "System status", select("systemStatus", ["", ...SYSTEM_STATUSES], params.get("systemStatus"))),
  h("label", {}, "Overdue", select("overdue", ["", "true", "false"], params.get("overdue"))),
  h("label", {}, "Needs a person", select("attention", ["", "true", "false"], params.get("attention"))),
  h("button", { type: "submit", class: "primary" }, "Filter"));
  const byId = h("form", { class: "inline", id: "find-id", onsubmit: (e) => {
    e.preventDefault();
    const id = e.target.elements.id.value.trim();
    if (id) { location.hash = "#/request/" + enc(id); }
  } }, h("label", {}, "Request id", h("input", { name: "id", size: 38, placeholder: "6f1c2a3e-…" })),
  h("button", { type: "submit" }, "Open"));
  const finders = h("div", { class: "card" }, byId, may("lookup") ? subjectForm() : null);
  const rows = h("tbody", { id: "rows" });
  const more = h("button", { type: "button", id: "more", hidden: true }, "Next page");
  const query = new URLSearchParams();
  for (const key of ["status", "system", "systemStatus", "overdue", "attention"]) {
    if (params.get(key)) { query.set(key, params.get(key)); }
  }
  const openOnly = params.get("open") === "true" && !params.get("status");
  let cursor = null;
  const load = async () => {
    if (cursor) { query.set("cursor", cursor); }
    const page = await api("GET", "/v1/erasures?" + query);
    for (const item of page.items.filter((r) => !openOnly || !FINISHED.includes(r.status))) { rows.append(requestRow(item)); }
    cursor = page.next;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => load().catch((e) => flash(e.plain ? e.plain() : String(e), "error")));
  render(h("h1", {}, "Requests"), finders, filters,
    may("decide") ? bulkRetryForm(systems) : null,
    openOnly ? h("p", { class: "muted" }, "Showing open requests only.") : null,
    h("table", {}, h("thead", {}, h("tr", {}, ["id", "status", "jurisdiction", "requested", "deadline", "systems"]
      .map((c) => h("th", {}, c)))), rows), more);
  await load();
}

function select(name, values, selected) {
  return h("select", { name }, values.map((v) => h("option", { value: v, selected: v === (selected || "") }, v || "any")));
}

function requestRow(item) {
  const systems = (item.systems || []).map((s) => s.name + " " + s.status.toLowerCase()).join(", ");
  return h("tr", { class: "row", "data-id": item.id, onclick: () => { location.hash = "#/request/" + item.id; } },
    h("td", {}, h("code", {}, item.id.slice(0, 8))), h("td", {}, statusBadges(item)), h("td", {}, item.jurisdiction),
    h("td", {}, when(item.requestedAt)), h("td", {}, when(item.deadline)), h("td", {}, systems || "—"));
}

function subjectForm() {
  const namespace = select("namespace", me.namespaces, me.namespaces[0]);
  const value = h("input", { name: "value", type: "password", autocomplete: "off", size: 24 });
  const out = h("div", { id: "subject-result" });
  return h("form", { class: "inline", id: "find-subject", onsubmit: async (e) => {
    e.preventDefault();
    const typed = value.value;
    value.value = "";
    if (!typed) { return; }
    try {
      const found = await api("GET", "/v1/subjects/" + enc(namespace.value) + "/" + enc(typed));
      out.replaceChildren(h("p", {}, "Subject ", h("code", { class: "hash" }, found.subjectKey.slice(0, 16) + "…"),
        found.erased ? " was erased, last " + when(found.lastErasedAt) + "." : " has no erasure on record.",
        found.requests.length ? " Requests: " : "",
        found.requests.map((id) => h("a", { href: "#/request/" + id, class: "subject-request" }, id.slice(0, 8) + " "))));
    } catch (err) { out.replaceChildren(h("p", { class: "error" }, err.plain ? err.plain() : String(err))); }
  } },
  h("label", {}, "Subject namespace", namespace),
  h("label", {}, "Subject value (looked up through its pseudonym, not kept)", value),
  h("button", { type: "submit" }, "Look up"), out);
}

function bulkRetryForm(systems) {
  return h("div", { class: "actions" }, h("button", { type: "button", "data-action": "bulk-retry", onclick: () => confirmAction({
    title: "Retry failed systems in bulk",
    text: "Every IN_PROGRESS request with a FAILED system (of the chosen system, or any) gets one retry.",
    fields: [field("system", "Only this system", select("system", ["", ...systems.map((s) => s.name)], "")),
      field("note", "Note (optional)", h("input", { name: "note" }))],
    run: async (v) => {
      const body = {};
      if (v.system) { body.system = v.system; }
      if (v.note) { body.note = v.note; }
      const done = await api("POST", "/v1/erasures/retry", body);
      return done.requests + " request(s) retried" + (done.truncated ? "; more remain, run it again" : "") + ".";
    } }) }, "Retry failed systems…"));
}

// ---------------------------------------------------------------- a request

async function requestView(id) {
  const [request, audit, systems] = await Promise.all([api("GET", "/v1/erasures/" + enc(id)),
    api("GET", "/v1/erasures/" + enc(id) + "/audit"), api("GET", "/v1/systems")]);
  const modes = Object.fromEntries(systems.map((s) => [s.name, s.mode]));
  const finished = FINISHED.includes(request.status);
  const facts = h("dl", { class: "facts" },
    h("dt", {}, "status"), h("dd", { id: "request-status" }, statusBadges(request)),
    h("dt", {}, "subject (pseudonym)"), h("dd", {}, h("code", { class: "hash" }, request.subjectKey)),
    h("dt", {}, "jurisdiction"), h("dd", {}, request.jurisdiction),
    h("dt", {}, "reason / source"), h("dd", {}, (request.reason || "—") + " / " + (request.source || "—")),
    h("dt", {}, "requested"), h("dd", {}, when(request.requestedAt)),
    h("dt", {}, "deadline"), h("dd", { id: "request-deadline" }, when(request.deadline)),
    h("dt", {}, "finished"), h("dd", {}, when(request.finishedAt)),
    request.duplicateOf ? [h("dt", {}, "duplicate of"), h("dd", {}, h("a", { href: "#/request/" + request.duplicateOf }, request.duplicateOf))] : null);
  const systemsTable = h("table", { id: "systems" },
    h("tr", {}, ["system", "mode", "status", "attempts", "deadline", "items erased", "evidence", ""].map((c) => h("th", {}, c))),
    (request.systems || []).map((s) => h("tr", { "data-system": s.name },
      h("td", {}, s.name), h("td", {}, modes[s.name] || "—"),
      h("td", { class: "system-status" }, s.status, s.overdue ? badge("overdue", "bad") : null),
      h("td", { class: "num" }, s.attempts), h("td", {}, when(s.deadline)), h("td", { class: "num" }, s.itemsErased ?? "—"),
      h("td", {}, [s.detail, s.legalBasis ? "legal basis: " + s.legalBasis : null].filter(Boolean).join("; ") || "—"),
      h("td", {}, systemActions(request, s, modes[s.name])))));
  render(h("h1", {}, "Request ", h("code", {}, request.id)),
    h("div", { class: "actions" }, requestActions(request),
      request.status.startsWith("COMPLETED") ? h("a", { href: "#/certificate/" + request.id, id: "open-certificate" },
        "Certificate of erasure") : null),
    h("div", { class: "card" }, facts),
    h("h2", {}, "Systems"), systemsTable,
    h("h2", {}, "Audit trail"), timeline(audit, finished ? request.id : null));
}

function requestActions(request) {
  if (!may("decide")) { return null; }
  const id = request.id;
  const unrouted = (request.attention || []).includes("UNROUTED");
  const buttons = [];
  const decision = (action, label, text, fields, body, cls) => buttons.push(h("button", { type: "button", class: cls || "",
    "data-action": action, onclick: () => confirmAction({ title: label + " this request", text, fields,
      run: async (v) => {
        const answer = await api("POST", "/v1/erasures/" + id + "/" + action, body(v));
        return label + ": done, the request is now " + answer.status + ".";
      } }) }, label + "…"));
  const reason = () => field("reason", "Reason (required, kept in the audit trail)", h("input", { name: "reason", required: true }));
  if (request.status === "PENDING_APPROVAL") {
    decision("approve", "Approve", "The request will be routed to the systems that hold the subject's data.",
      [field("note", "Note (optional)", h("input", { name: "note" }))], (v) => (v.note ? { note: v.note } : {}), "primary");
  }
  if (BEFORE_DISPATCH.includes(request.status)) {
    decision("reject", "Reject", "Nothing will be erased.", [reason()], (v) => ({ reason: v.reason }), "danger");
  }
  if (BEFORE_DISPATCH.includes(request.status) || unrouted) {
    decision("cancel", "Cancel", "Nothing more will be erased for this request.", [reason()], (v) => ({ reason: v.reason }), "danger");
  }
  if (!FINISHED.includes(request.status)) {
    decision("extend", "Extend", "Extends the deadline, within the jurisdiction's maximum.",
      [reason(), field("days", "Days (empty: the jurisdiction's standard extension)", h("input", { name: "days", type: "number", min: 1, max: 365 }))],
      (v) => (v.days ? { reason: v.reason, days: Number(v.days) } : { reason: v.reason }));
  }
  const failed = (request.systems || []).some((s) => s.status === "FAILED");
  if (request.status === "IN_PROGRESS" && (failed || unrouted)) {
    decision("retry", unrouted ? "Route again" : "Retry failed systems",
      unrouted ? "Routes the request against the registry as it is now." : "Every FAILED system is asked again.",
      [field("note", "Note (optional)", h("input", { name: "note" }))], (v) => (v.note ? { note: v.note } : {}));
  }
  if ((request.attention || []).includes("CONTRADICTED")) {
    decision("acknowledge", "Acknowledge", "Clears the CONTRADICTED flag; the contradicting callback stays in the audit trail.",
      [reason()], (v) => ({ reason: v.reason }));
  }
  return buttons;
}

function systemActions(request, system, mode) {
  const out = [];
  if (request.status !== "IN_PROGRESS") { return out; }
  if (system.status === "FAILED" && may("decide")) {
    out.push(h("button", { type: "button", "data-action": "retry-system", onclick: () => confirmAction({
      title: "Retry " + system.name, text: "The system is asked again to erase this subject.", fields: [],
      run: async () => {
        await api("POST", "/v1/erasures/" + request.id + "/systems/" + enc(system.name) + "/retry");
        return system.name + " will be asked again.";
      } }) }, "Retry"));
  }
  const mayComplete = (mode === "manual" && may("complete_manual")) || (may("report") && me.system === system.name);
  if (mayComplete && !SETTLED.includes(system.status)) {
    out.push(h("button", { type: "button", "data-action": "complete", onclick: () => confirmAction({
      title: "Complete " + system.name,
      text: "Record what was done in " + system.name + ". The evidence goes into the audit trail and the certificate.",
      fields: [field("outcome", "Outcome", select("outcome", ["DONE", "NOT_FOUND", "RETAINED", "FAILED"], "DONE")),
        field("itemsErased", "Items erased (optional)", h("input", { name: "itemsErased", type: "number", min: 0 })),
        field("detail", "Evidence: what was done (required for DONE and NOT_FOUND)", h("textarea", { name: "detail", rows: 3 })),
        field("legalBasis", "Legal basis (required for RETAINED)", h("input", { name: "legalBasis" }))],
      run: async (v) => {
        const body = { outcome: v.outcome };
        if (v.itemsErased) { body.itemsErased = Number(v.itemsErased); }
        if (v.detail) { body.detail = v.detail; }
        if (v.legalBasis) { body.legalBasis = v.legalBasis; }
        await api("POST", "/v1/erasures/" + request.id + "/systems/" + enc(system.name) + "/callback", body);
        return system.name + " recorded as " + v.outcome + ".";
      } }) }, "Complete…"));
  }
  return out;
}

/** The audit trail, oldest first, with its hash chain checked link by link. */
function timeline(audit, certifiedId) {
  let prev = null;
  let problem = null;
  const items = audit.map((fact, i) => {
    const linked = fact.seq === i + 1 && (fact.prevHash || null) === prev;
    if (!linked && !problem) { problem = "fact " + fact.seq + " does not link to the fact before it"; }
    prev = fact.hash;
    return h("li", { class: linked ? "" : "broken" },
      h("span", { class: "type" }, fact.type), " ", fact.status ? badge(fact.status) : null,
      h("div", { class: "muted" }, when(fact.at) + " · " + fact.actor + (fact.system ? " · " + fact.system : "")),
      fact.detail ? h("div", {}, fact.detail) : null,
      h("div", { class: "hash muted" }, "#" + fact.seq + " " + (fact.hash || "").slice(0, 16) + "…"));
  });
  const chain = problem
    ? h("p", { class: "chain bad", id: "chain" }, "Hash chain broken: " + problem + ".")
    : h("p", { class: "chain ok", id: "chain" }, "Hash chain intact: " + audit.length + " facts, each linked to the one before (head "
      + (prev || "").slice(0, 16) + "…).");
  return h("div", {}, chain,
    certifiedId ? h("p", { class: "muted" }, "For a completed request the certificate also shows the ledger's recomputation of every hash.") : null,
    h("ol", { class: "timeline", id: "timeline" }, items));
}

// ---------------------------------------------------------------- confirmations

function field(name, label, input) {
  input.name = name;
  return h("label", { class: "field" }, label, input);
}

/** Asks for confirmation (and the fields' values), runs the action, and shows the API's answer plainly. */
function confirmAction({ title, text, fields, run }) {
  const dialog = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-fields").replaceChildren(...fields);
  $("confirm-error").hidden = true;
  const form = $("confirm-form");
  form.onsubmit = async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(fields.map((f) => f.querySelector("[name]")).map((el) => [el.name, el.value.trim()]));
    try {
      const message = await run(values);
      dialog.close();
      await route();
      flash(message, "ok");
    } catch (err) {
      const plain = err.plain ? err.plain() : String(err);
      $("confirm-error").textContent = plain;
      $("confirm-error").hidden = false;
      flash(plain, "error");
    }
  };
  $("confirm-cancel").onclick = () => dialog.close();
  dialog.showModal();
}

// ---------------------------------------------------------------- proof

async function certificateView(id) {
  const c = await api("GET", "/v1/erasures/" + enc(id) + "/certificate");
  const verified = c.audit && c.audit.verified;
  render(h("div", { class: "actions" },
    h("button", { type: "button", class: "primary", id: "print", onclick: () => window.print() }, "Print / save as PDF"),
    h("a", { href: "#/request/" + c.requestId }, "Back to the request")),
  h("article", { class: "certificate", id: "certificate" },
    h("h1", {}, "Certificate of erasure"),
    h("p", { class: "statement" }, "Lethe certifies that erasure request ", h("code", {}, c.requestId),
      " for the data subject with pseudonym ", h("code", { class: "hash" }, c.subjectKey), " under ", c.jurisdiction,
      " was ", c.status === "COMPLETED" ? "completed" : "completed with exceptions (some data legally retained)",
      " on ", when(c.finishedAt), ". The subject's identifiers are not kept by Lethe; the pseudonym is a keyed hash from which they cannot be read back."),
    h("dl", { class: "facts" },
      h("dt", {}, "status"), h("dd", {}, c.status),
      h("dt", {}, "reason"), h("dd", {}, c.reason || "—"),
      h("dt", {}, "filed by"), h("dd", {}, c.source || "—"),
      h("dt", {}, "requested"), h("dd", {}, when(c.requestedAt)),
      h("dt", {}, "legal deadline"), h("dd", {}, when(c.deadline)),
      h("dt", {}, "finished"), h("dd", {}, when(c.finishedAt))),
    h("h2", {}, "Outcome in each system"),
    h("table", {}, h("tr", {}, ["system", "outcome", "items erased", "evidence", "legal basis", "reported by", "at"].map((x) => h("th", {}, x))),
      (c.systems || []).map((s) => h("tr", {}, h("td", {}, s.name), h("td", {}, s.status), h("td", { class: "num" }, s.itemsErased ?? "—"),
        h("td", {}, s.detail || "—"), h("td", {}, s.legalBasis || "—"), h("td", {}, (s.actors || []).join(", ") || "—"),
        h("td", {}, when(s.updatedAt))))),
    h("h2", {}, "Audit trail"),
    h("p", { id: "certificate-chain", class: verified ? "chain ok" : "chain bad" },
      verified ? "Verified: the ledger recomputed all " + c.audit.facts + " hashes of the audit trail (" + c.audit.algorithm + ")."
        : "NOT verified: " + (c.audit ? c.audit.problem : "no audit trail")),
    h("p", {}, "Head of the hash chain: ", h("code", { class: "hash" }, c.audit ? c.audit.head : "—")),
    h("p", { class: "muted" }, "Issued " + when(c.issuedAt) + " by " + c.issuer + ". Anyone holding the audit topic can recompute the chain.")));
}

// ---------------------------------------------------------------- the registry

async function systemsView() {
  const [systems, stats] = await Promise.all([api("GET", "/v1/systems"), api("GET", "/v1/stats")]);
  render(h("h1", {}, "Systems"),
    may("manage_systems") ? h("div", { class: "actions" }, h("a", { href: "#/systems/new", id: "add-system" }, "Add a system")) : null,
    h("table", { id: "registry" },
      h("tr", {}, ["system", "owner", "contact", "mode", "namespaces", "jurisdictions", "SLA (days)", "open obligations",
        "average answer time"].map((x) => h("th", {}, x))),
      systems.map((s) => h("tr", { class: "row", "data-system": s.name, onclick: () => { location.hash = "#/systems/" + enc(s.name); } },
        h("td", {}, h("a", { href: "#/systems/" + enc(s.name) }, s.name)), h("td", {}, s.owner), h("td", {}, s.contact),
        h("td", {}, s.mode), h("td", {}, (s.namespaces || []).join(", ")), h("td", {}, (s.jurisdictions || []).join(", ") || "all"),
        h("td", { class: "num" }, s.slaDays), h("td", { class: "num backlog" }, stats.pendingBySystem[s.name] || 0),
        h("td", { class: "num" }, answerTime(stats, s.name))))));
}

async function systemView(name) {
  const current = name ? await api("GET", "/v1/systems/" + enc(name)) : { mode: "event", namespaces: [], slaDays: 30, reminderHours: 24 };
  const editable = may("manage_systems");
  const error = h("p", { class: "error", id: "system-error", hidden: true });
  const known = FORM_MODES.includes(current.mode);
  const extra = Object.fromEntries(Object.entries(current).filter(([k, v]) => !FORM_FIELDS.includes(k) && v !== null));
  const form = known ? registrationForm(current, extra) : null;
  const json = h("textarea", { id: "system-json", rows: 18 }, JSON.stringify(withoutName(current), null, 2));
  const jsonBox = h("div", { hidden: known, id: "json-editor" },
    h("p", { class: "muted" }, known ? "The whole registration as the API takes it."
      : "This system's mode (" + current.mode + ") has no form here yet: edit its registration as JSON; the API checks it as usual."), json);
  let asJson = !known;
  const toggle = known ? h("button", { type: "button", id: "toggle-json", onclick: () => {
    asJson = !asJson;
    if (asJson) { json.value = JSON.stringify(form.read(), null, 2); }
    jsonBox.hidden = !asJson;
    form.el.hidden = asJson;
  } }, "Edit as JSON") : null;
  const nameInput = h("input", { id: "system-name", value: name || "", disabled: !!name, required: true });
  const save = h("button", { type: "button", class: "primary", id: "save-system", onclick: async () => {
    error.hidden = true;
    const systemName = name || nameInput.value.trim();
    let body;
    try { body = asJson ? JSON.parse(json.value) : form.read(); } catch (e) {
      error.textContent = "The JSON cannot be read: " + e.message;
      error.hidden = false;
      return;
    }
    try {
      await api("PUT", "/v1/systems/" + enc(systemName), withoutName(body));
      pendingFlash = { text: "System " + systemName + " saved.", kind: "ok" };
      location.hash = "#/systems";
    } catch (e) {
      error.textContent = e.plain ? e.plain() : String(e);
      error.hidden = false;
      if (form && e.field) { form.mark(e.field); }
    }
  } }, "Save");
  render(h("h1", {}, name ? "System " + name : "Add a system"),
    name ? null : h("label", { class: "field" }, "Name", nameInput),
    h("div", { class: "card" }, form ? form.el : null, jsonBox),
    error,
    editable ? h("div", { class: "actions" }, save, toggle) : h("p", { class: "muted" }, "Only an admin token may change the registry."),
    h("p", {}, h("a", { href: "#/systems" }, "Back to the systems")));
}

/** The registration as PUT takes it: without its name (in the path) and without empty (null) sections. */
function withoutName(registration) {
  const copy = Object.fromEntries(Object.entries(registration).filter(([, v]) => v !== null));
  delete copy.name;
  return copy;
}

/** The form of the known modes; sections it does not know are kept as they are, shown as JSON. */
function registrationForm(r, extra) {
  const input = (key, value, attrs) => h("input", { name: key, "data-field": key, value: value ?? "", ...(attrs || {}) });
  const checks = (key, options, chosen) => h("div", { class: "checks", "data-field": key }, options.map((o) =>
    h("label", {}, h("input", { type: "checkbox", name: key, value: o, checked: (chosen || []).includes(o) }), o)));
  const http = r.http || {};
  const mode = h("select", { name: "mode", "data-field": "mode" }, FORM_MODES.map((m) => h("option", { value: m, selected: m === r.mode }, m)));
  const httpBox = h("div", { class: "grid-form", id: "http-section" },
    h("label", { class: "field" }, "http.url", input("http.url", http.url)),
    h("label", { class: "field" }, "http.timeoutMs", input("http.timeoutMs", http.timeoutMs, { type: "number" })),
    h("label", { class: "field" }, "http.maxAttempts", input("http.maxAttempts", http.maxAttempts, { type: "number" })));
  const s3 = h("textarea", { name: "s3", "data-field": "s3", rows: 6 }, r.s3 ? JSON.stringify(r.s3, null, 2) : "");
  const s3Box = h("label", { class: "field", id: "s3-section" }, "s3 settings (JSON: buckets, prefixes, cdnDomains, deletesPerSecond, allVersions, window)", s3);
  const others = h("textarea", { name: "extra", "data-field": "extra", rows: 4 }, Object.keys(extra).length ? JSON.stringify(extra, null, 2) : "");
  const showSections = () => { httpBox.hidden = mode.value !== "http"; s3Box.hidden = mode.value !== "s3"; };
  mode.addEventListener("change", showSections);
  const el = h("form", { id: "system-form", onsubmit: (e) => e.preventDefault() },
    h("div", { class: "grid-form" },
      h("label", { class: "field" }, "Owner (team)", input("owner", r.owner)),
      h("label", { class: "field" }, "Contact", input("contact", r.contact)),
      h("label", { class: "field" }, "Mode", mode),
      h("label", { class: "field" }, "SLA (days)", input("slaDays", r.slaDays, { type: "number" })),
      h("label", { class: "field" }, "Reminder every (hours)", input("reminderHours", r.reminderHours, { type: "number" })),
      h("label", { class: "field" }, "Max attempts", input("maxAttempts", r.maxAttempts, { type: "number" })),
      h("label", { class: "field" }, "Tags (comma separated)", input("tags", (r.tags || []).join(", ")))),
    h("h3", {}, "Namespaces it holds"), checks("namespaces", me.namespaces, r.namespaces),
    h("h3", {}, "Jurisdictions (none: all)"), checks("jurisdictions", me.jurisdictions, r.jurisdictions),
    httpBox, s3Box,
    h("label", { class: "field" }, "Other settings, kept as they are (JSON object)", others));
  showSections();
  const value = (key) => el.querySelector("[name='" + key + "']").value.trim();
  const number = (key) => (value(key) === "" ? undefined : Number(value(key)));
  const checked = (key) => [...el.querySelectorAll("input[name='" + key + "']:checked")].map((c) => c.value);
  return {
    el,
    read() {
      const body = { owner: value("owner"), contact: value("contact"), mode: mode.value, namespaces: checked("namespaces"),
        jurisdictions: checked("jurisdictions"), tags: value("tags") ? value("tags").split(",").map((t) => t.trim()).filter(Boolean) : [],
        slaDays: number("slaDays"), reminderHours: number("reminderHours"), maxAttempts: number("maxAttempts") };
      if (mode.value === "http") {
        body.http = { url: value("http.url"), timeoutMs: number("http.timeoutMs"), maxAttempts: number("http.maxAttempts") };
      }
      if (mode.value === "s3" && value("s3")) { body.s3 = JSON.parse(value("s3")); }
      if (value("extra")) { Object.assign(body, JSON.parse(value("extra"))); }
      return JSON.parse(JSON.stringify(body)); // drops the undefined numbers
    },
    mark(fieldPath) {
      for (const marked of el.querySelectorAll(".invalid")) { marked.classList.remove("invalid"); }
      const target = el.querySelector("[data-field='" + fieldPath + "']") || el.querySelector("[data-field='" + fieldPath.split(/[.[]/)[0] + "']");
      if (target) { target.classList.add("invalid"); target.scrollIntoView({ block: "center" }); }
    },
  };
}

// ---------------------------------------------------------------- start

$("signout").addEventListener("click", () => signOut("Signed out."));
window.addEventListener("hashchange", () => {
  const pending = pendingFlash;
  pendingFlash = null;
  flash(pending ? pending.text : "", pending ? pending.kind : "");
  route();
});
route();
