// @ts-check
/**
 * Staff page: sign in with a staff code, then the work. The default view
 * lists every open case with its next action in the same row (take out a
 * pouch, put a result back, reset a PIN), matters by their Chinese label,
 * times in the locker's zone and marked (UTC+8), the full phone only on
 * demand (the server audits who looked); actions on a door wait while that
 * door is open. The
 * page reloads by itself when anything changes (/api/staff/events). Reasons
 * are typed inline (no pop-ups). Decides by error code (api.js).
 */
import { api, Code } from "./api.js";
import { $, all, button, el, input, replaceChildren } from "./dom.js";
import { DEFAULT_ZONE, localTime } from "./local-time.js";
import { OPEN_STATES, STATE_NAME, STATES } from "./staff-states.js";
import { keepTyped } from "./staff-typed.js";

/** @typedef {import("./api.js").ApiResult<unknown>} Result */
/** @typedef {import("./api.js").CaseView} CaseView */
/** @typedef {import("./api.js").Compartment} Compartment */

/** A change seen on the live stream reloads after this quiet time (changes come in bursts), ms. */
const RELOAD_AFTER_MS = 250;
/** Without the live stream, reload this often, ms. */
const FALLBACK_RELOAD_MS = 30_000;

let filter = "todo";
/** Audit page: null = the newest; else the seq the page starts below. @type {number | null} */
let auditBefore = null;
/** Audit rows a page (the server's page size). */
const AUDIT_PAGE = 50;
/** @type {Record<string, string>} matter id → Chinese label */
let matterLabel = {};
/** @type {EventSource | undefined} */
let live;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let reloadTimer;

/** The locker's zone (GET /api/staff/session), so a laptop in another zone shows the locker's hours. */
let zone = DEFAULT_ZONE;

/** Date and time in the locker's zone, marked, e.g. "2026-11-29 15:53 UTC+8". @param {string | undefined} iso */
function when(iso) {
  return localTime(iso, zone);
}

/**
 * The phone cell: masked, with a button for the full number (to call the
 * resident); the server audits each look under this staff member's name.
 * @param {CaseView} c
 */
function phoneCell(c) {
  const td = el("td", (c.phone || "") + " ");
  td.appendChild(
    button(`显示号码 show ${c.number}`, async () => {
      const r = await api.staffCasePhone(c.id);
      if (!r.ok) {
        if (r.error.code === Code.Unauthorized) return showSignin();
        $("msg").textContent = r.error.message || "操作失败 failed";
        return;
      }
      replaceChildren(td, [el("a", r.data.phone, { href: "tel:" + r.data.phone, "data-full-phone": c.number })]);
    }),
  );
  return td;
}

/** Run an action, then say how it went and reload. @param {() => Promise<Result>} call @param {string} done */
async function act(call, done) {
  $("msg").textContent = "";
  $("ok").textContent = "";
  const r = await call();
  if (!r.ok) {
    if (r.error.code === Code.Unauthorized) return showSignin();
    $("msg").textContent = r.error.message || "操作失败 failed";
    return;
  }
  $("ok").textContent = done;
  await load();
}

function showSignin() {
  $("app").hidden = true;
  $("signin").hidden = false;
  $("who").textContent = "Staff";
  document.body.dataset.signedIn = "0";
  if (live) live.close();
  live = undefined;
}
/** @param {{name: string, timeZone?: string}} who */
async function showApp(who) {
  const name = who.name;
  if (who.timeZone) zone = who.timeZone;
  $("signin").hidden = true;
  $("app").hidden = false;
  $("who").textContent = "已登录 Signed in: " + name;
  document.body.dataset.signedIn = "1";
  const m = await api.staffMatters();
  if (m.ok) matterLabel = Object.fromEntries(m.data.map((x) => [x.id, x.label["zh-CN"] || x.id]));
  follow();
  await load();
}

/** Reload whenever the daemon says something changed. */
function follow() {
  if (live) return;
  live = new EventSource("/api/staff/events");
  live.addEventListener("open", () => {
    document.body.dataset.live = "1";
    $("liveState").textContent = "● 实时更新 live";
  });
  live.addEventListener("changed", () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => void load(), RELOAD_AFTER_MS);
  });
  live.addEventListener("error", () => {
    document.body.dataset.live = "0";
    $("liveState").textContent = "○ 连接中断，点刷新 reconnecting";
  });
}

/** @param {HTMLElement} tr @param {Array<string | number | undefined>} values */
function cells(tr, values) {
  values.forEach((v) => tr.appendChild(el("td", v === undefined ? "" : v)));
}

/**
 * The next action for a case, in its own cell: a button, or why there is none.
 * @param {CaseView} c
 * @param {Set<number>} openDoors
 */
function nextAction(c, openDoors) {
  const td = el("td", null, { class: "next" });
  const doorOpen = c.compartment !== undefined && openDoors.has(c.compartment);
  if (doorOpen || c.state === "dropoff_pending" || c.state === "return_pending" || c.state === "collecting") {
    td.appendChild(el("span", `${c.compartment}号门开着，关门后再操作 door open`, { class: "waiting" }));
  }
  /** @param {HTMLButtonElement} b */
  const add = (b) => {
    b.disabled = doorOpen;
    td.appendChild(b);
  };
  if (c.state === "dropped_off") add(button(`取走 collect ${c.number}`, () => act(() => api.staffCollect(c.id), `${c.number}: 门已打开 door open`), "primary-action"));
  if (c.state === "with_staff") add(button(`放回 return ${c.number}`, () => act(() => api.staffReturn(c.id), `${c.number}: 门已打开 door open`), "primary-action"));
  if (c.state === "ready") td.appendChild(el("span", "等居民来取 waiting for the resident", { class: "waiting" }));
  if (c.state === "ready" || c.state === "frozen") {
    const inp = el("input", null, { type: "text", inputmode: "numeric", maxlength: "6", placeholder: "6位新密码", "aria-label": `新密码 new PIN ${c.number}` });
    td.appendChild(inp);
    add(button("重置密码 reset PIN", () => act(() => api.staffResetPin(c.id, inp.value), `${c.number}: 密码已重置 PIN reset`)));
  }
  return td;
}

async function load() {
  const [cases, doors, alarms] = await Promise.all([api.staffCases(filter === "todo" ? "" : filter), api.staffCompartments(), api.staffAlarms(auditBefore)]);
  if (!cases.ok) {
    if (cases.error.code === Code.Unauthorized) showSignin();
    return;
  }
  const typed = keepTyped();
  const openDoors = new Set((doors.ok ? doors.data : []).filter((d) => d.door === "open").map((d) => d.number));
  const list = filter === "todo" ? cases.data.filter((c) => OPEN_STATES.indexOf(c.state) >= 0) : cases.data;
  const tb = $("cases");
  tb.textContent = "";
  for (const c of list) {
    const tr = el("tr", null, { "data-case": c.number });
    tr.appendChild(el("th", c.number, { scope: "row" }));
    tr.appendChild(nextAction(c, openDoors));
    cells(tr, [STATE_NAME[c.state] || c.state, matterLabel[c.matter] || c.matter]);
    tr.appendChild(phoneCell(c));
    cells(tr, [c.compartment === undefined ? "-" : c.compartment, when(c.updatedAt)]);
    tb.appendChild(tr);
  }
  if (!list.length) {
    const tr = el("tr");
    tr.appendChild(el("td", "没有办件 none", { colspan: "7" }));
    tb.appendChild(tr);
  }
  renderDoors(doors.ok ? doors.data : []);
  typed();
  const al = $("alarms");
  al.textContent = "";
  const log = alarms.ok ? alarms.data : { alarms: [], audit: [] };
  for (const a of log.alarms) al.appendChild(el("li", `⚠ ${when(a.time)} ${a.kind || ""} ${a.compartment ? a.compartment + "号门 " : ""}${a.message || ""}`));
  if (!al.children.length) al.appendChild(el("li", "没有告警 no alarms"));
  const au = $("audit");
  au.textContent = "";
  for (const a of log.audit) {
    const tr = el("tr");
    cells(tr, [when(a.time), a.actorName || a.actorId, a.action, a.outcome, a.compartment, a.reason || ""]);
    au.appendChild(tr);
  }
  // Newest first, 50 a page: "older" pages back from the smallest seq shown.
  const older = /** @type {HTMLButtonElement} */ ($("auditOlder"));
  const last = log.audit[log.audit.length - 1];
  older.dataset.before = last ? String(last.seq) : "";
  older.disabled = log.audit.length < AUDIT_PAGE;
  /** @type {HTMLButtonElement} */ ($("auditNewest")).disabled = auditBefore === null;
  document.body.dataset.loaded = String(Date.now());
}

/** @param {Compartment[]} doors */
function renderDoors(doors) {
  const db = $("doors");
  db.textContent = "";
  for (const d of doors) {
    const tr = el("tr", null, { "data-door": String(d.number) });
    const open = d.door === "open";
    // occupied: only from boards with item sensors (Kerong infrared); absent otherwise, then nothing is shown
    const inside = d.occupied === true ? " · 有物品 item inside" : d.occupied === false ? " · 空 empty" : "";
    cells(tr, [
      d.number,
      d.status + (d.faultReason ? " (" + d.faultReason + ")" : ""),
      (open ? "开着 open" : d.door === "closed" ? "关着 closed" : d.door) + inside,
      d.caseNumber || "-",
    ]);
    const reason = el("input", null, { type: "text", maxlength: "200", placeholder: "开门或停用的原因", "aria-label": `原因 reason, door ${d.number}` });
    const rtd = el("td");
    rtd.appendChild(reason);
    tr.appendChild(rtd);
    const td = el("td");
    const buttons = [button(`开门 open ${d.number}`, () => act(() => api.staffOpen(d.number, reason.value), `${d.number}号门已打开 door open`))];
    if (d.status === "disabled") buttons.push(button(`启用 enable ${d.number}`, () => act(() => api.staffEnable(d.number), `${d.number}号门已启用 enabled`)));
    else buttons.push(button(`停用 disable ${d.number}`, () => act(() => api.staffDisable(d.number, reason.value), `${d.number}号门已停用 disabled`)));
    buttons.forEach((b) => {
      b.disabled = open;
      td.appendChild(b);
    });
    tr.appendChild(td);
    db.appendChild(tr);
  }
}

async function start() {
  const tabs = $("tabs");
  for (const [s, label] of STATES) {
    const b = button(label, () => {
      filter = s;
      all("button", tabs).forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
      void load();
    });
    b.setAttribute("aria-pressed", String(s === filter));
    b.dataset.state = s;
    tabs.appendChild(b);
  }
  $("signin").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await api.staffSignIn(input("code").value.trim());
    input("code").value = "";
    if (!r.ok) {
      $("signinErr").textContent = r.error.message || "登录失败";
      return;
    }
    $("signinErr").textContent = "";
    // The session answer carries the locker's zone (the sign-in answer does not).
    const me = await api.staffSession();
    await showApp(me.ok ? me.data : r.data);
  });
  $("signout").addEventListener("click", async () => {
    await api.staffSignOut();
    showSignin();
  });
  $("refresh").addEventListener("click", () => void load());
  $("auditOlder").addEventListener("click", () => {
    const before = Number($("auditOlder").dataset.before);
    auditBefore = before > 0 ? before : null;
    void load();
  });
  $("auditNewest").addEventListener("click", () => {
    auditBefore = null;
    void load();
  });
  setInterval(() => {
    if (document.body.dataset.signedIn === "1" && document.body.dataset.live !== "1") void load();
  }, FALLBACK_RELOAD_MS);
  const me = await api.staffSession();
  if (me.ok) await showApp(me.data);
  else showSignin();
  document.body.dataset.ready = "1";
}

void start();
