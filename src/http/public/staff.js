// @ts-check
/**
 * Staff page: sign in with a staff code, then cases by state, doors, alarms
 * and the audit log, with the actions staff take. Reasons are typed inline
 * (no pop-ups). Decides by error code (api.js).
 */
import { api, Code } from "./api.js";
import { $, all, button, el, input } from "./dom.js";

/** @typedef {import("./api.js").ApiResult<unknown>} Result */

const STATES = [["", "全部 all"], ["dropped_off", "已存入 dropped off"], ["with_staff", "办理中 with staff"], ["ready", "待取 ready"], ["frozen", "已冻结 frozen"], ["collected", "已取 collected"], ["cancelled", "已取消 cancelled"]];
/** @type {Record<string, string>} */
const STATE_NAME = {};
STATES.forEach(([s, label]) => { if (s) STATE_NAME[s] = label; });
let filter = "dropped_off";

/** "2026-01-02 03:04:05" from an ISO time. @param {string | undefined} iso */
const when = (iso) => (iso || "").replace("T", " ").slice(0, 19);

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
}
/** @param {string} name */
function showApp(name) {
  $("signin").hidden = true;
  $("app").hidden = false;
  $("who").textContent = "已登录 Signed in: " + name;
  document.body.dataset.signedIn = "1";
}

/** @param {HTMLElement} tr @param {Array<string | number | undefined>} values */
function cells(tr, values) {
  values.forEach((v) => tr.appendChild(el("td", v === undefined ? "" : v)));
}

async function load() {
  const [cases, doors, alarms] = await Promise.all([api.staffCases(filter), api.staffCompartments(), api.staffAlarms()]);
  if (!cases.ok) {
    if (cases.error.code === Code.Unauthorized) showSignin();
    return;
  }
  const tb = $("cases");
  tb.textContent = "";
  for (const c of cases.data) {
    const tr = el("tr");
    cells(tr, [c.number, STATE_NAME[c.state] || c.state, c.matter, c.phone, c.compartment === undefined ? "-" : c.compartment, when(c.updatedAt)]);
    const td = el("td");
    if (c.state === "dropped_off") td.appendChild(button(`取走 collect ${c.number}`, () => act(() => api.staffCollect(c.id), `${c.number}: 门已打开 door open`)));
    if (c.state === "with_staff") td.appendChild(button(`放回 return ${c.number}`, () => act(() => api.staffReturn(c.id), `${c.number}: 门已打开 door open`)));
    if (c.state === "ready" || c.state === "frozen") {
      const inp = el("input", null, { type: "text", inputmode: "numeric", maxlength: "6", placeholder: "6位新密码", "aria-label": `新密码 new PIN ${c.number}` });
      td.appendChild(inp);
      td.appendChild(button("重置密码 reset PIN", () => act(() => api.staffResetPin(c.id, inp.value), `${c.number}: 密码已重置 PIN reset`)));
    }
    tr.appendChild(td);
    tb.appendChild(tr);
  }
  if (!cases.data.length) {
    const tr = el("tr");
    tr.appendChild(el("td", "没有办件 none", { colspan: "7" }));
    tb.appendChild(tr);
  }

  const db = $("doors");
  db.textContent = "";
  for (const d of doors.ok ? doors.data : []) {
    const tr = el("tr");
    cells(tr, [d.number, d.status + (d.faultReason ? " (" + d.faultReason + ")" : ""), d.door, d.caseNumber || "-"]);
    const reason = el("input", null, { type: "text", maxlength: "200", placeholder: "开门或停用的原因", "aria-label": `原因 reason, door ${d.number}` });
    const rtd = el("td");
    rtd.appendChild(reason);
    tr.appendChild(rtd);
    const td = el("td");
    td.appendChild(button(`开门 open ${d.number}`, () => act(() => api.staffOpen(d.number, reason.value), `${d.number}号门已打开 door open`)));
    if (d.status === "disabled") td.appendChild(button(`启用 enable ${d.number}`, () => act(() => api.staffEnable(d.number), `${d.number}号门已启用 enabled`)));
    else td.appendChild(button(`停用 disable ${d.number}`, () => act(() => api.staffDisable(d.number, reason.value), `${d.number}号门已停用 disabled`)));
    tr.appendChild(td);
    db.appendChild(tr);
  }

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
  document.body.dataset.loaded = String(Date.now());
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
    showApp(r.data.name);
    void load();
  });
  $("signout").addEventListener("click", async () => {
    await api.staffSignOut();
    showSignin();
  });
  $("refresh").addEventListener("click", () => void load());
  const me = await api.staffSession();
  if (me.ok) {
    showApp(me.data.name);
    void load();
  } else showSignin();
  document.body.dataset.ready = "1";
}

void start();
