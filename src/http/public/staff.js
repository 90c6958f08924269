// Staff page: sign in with a staff code, then cases by state, doors, alarms
// and the audit log, with the actions staff take. Reasons are typed inline
// (no pop-ups).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const STATES = [["", "全部 all"], ["dropped_off", "已存入 dropped off"], ["with_staff", "办理中 with staff"], ["ready", "待取 ready"], ["frozen", "已冻结 frozen"], ["collected", "已取 collected"], ["cancelled", "已取消 cancelled"]];
  const STATE_NAME = Object.fromEntries(STATES.filter((s) => s[0]));
  let filter = "dropped_off";
  /** Audit page: null = newest; else the seq the page starts below. */
  let auditBefore = null;

  async function api(method, url, body) {
    const r = await fetch(url, { method, credentials: "same-origin", headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
    let data = null;
    try { data = await r.json(); } catch (e) { /* none */ }
    if (r.status === 401 && !url.endsWith("/session")) showSignin();
    return { ok: r.ok, status: r.status, data };
  }
  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    return e;
  }
  function button(label, fn) {
    const b = el("button", label, { type: "button" });
    b.addEventListener("click", fn);
    return b;
  }
  async function act(method, url, body, done) {
    $("msg").textContent = ""; $("ok").textContent = "";
    const r = await api(method, url, body);
    if (!r.ok) { $("msg").textContent = (r.data && r.data.message) || "操作失败 failed"; return; }
    $("ok").textContent = done;
    await load();
  }

  function showSignin() { $("app").hidden = true; $("signin").hidden = false; $("who").textContent = "Staff"; document.body.dataset.signedIn = "0"; }
  function showApp(name) { $("signin").hidden = true; $("app").hidden = false; $("who").textContent = "已登录 Signed in: " + name; document.body.dataset.signedIn = "1"; }

  async function load() {
    const [cases, doors, alarms] = await Promise.all([
      api("GET", "/api/staff/cases" + (filter ? "?state=" + filter : "")),
      api("GET", "/api/staff/compartments"),
      api("GET", "/api/staff/alarms" + (auditBefore ? "?before=" + auditBefore : "")),
    ]);
    if (!cases.ok) return;
    const tb = $("cases");
    tb.textContent = "";
    for (const c of cases.data) {
      const tr = el("tr");
      [c.number, STATE_NAME[c.state] || c.state, c.matter, c.phone, c.compartment ?? "-", (c.updatedAt || "").replace("T", " ").slice(0, 19)].forEach((v) => tr.appendChild(el("td", v)));
      const td = el("td");
      if (c.state === "dropped_off") td.appendChild(button(`取走 collect ${c.number}`, () => act("POST", `/api/staff/cases/${c.id}/collect`, {}, `${c.number}: 门已打开 door open`)));
      if (c.state === "with_staff") td.appendChild(button(`放回 return ${c.number}`, () => act("POST", `/api/staff/cases/${c.id}/return`, {}, `${c.number}: 门已打开 door open`)));
      if (c.state === "ready" || c.state === "frozen") {
        const inp = el("input", null, { type: "text", inputmode: "numeric", maxlength: "6", placeholder: "6位新密码", "aria-label": `新密码 new PIN ${c.number}` });
        td.appendChild(inp);
        td.appendChild(button(`重置密码 reset PIN`, () => act("POST", `/api/staff/cases/${c.id}/reset-pin`, { newPin: inp.value }, `${c.number}: 密码已重置 PIN reset`)));
      }
      tr.appendChild(td);
      tb.appendChild(tr);
    }
    if (!cases.data.length) { const tr = el("tr"); tr.appendChild(el("td", "没有办件 none", { colspan: "7" })); tb.appendChild(tr); }

    const db = $("doors");
    db.textContent = "";
    for (const d of doors.data || []) {
      const tr = el("tr");
      [d.number, d.status + (d.faultReason ? " (" + d.faultReason + ")" : ""), d.door, d.caseNumber || "-"].forEach((v) => tr.appendChild(el("td", v)));
      const reason = el("input", null, { type: "text", maxlength: "200", placeholder: "开门或停用的原因", "aria-label": `原因 reason, door ${d.number}` });
      const rtd = el("td"); rtd.appendChild(reason); tr.appendChild(rtd);
      const td = el("td");
      td.appendChild(button(`开门 open ${d.number}`, () => act("POST", `/api/staff/compartments/${d.number}/open`, { reason: reason.value }, `${d.number}号门已打开 door open`)));
      if (d.status === "disabled") td.appendChild(button(`启用 enable ${d.number}`, () => act("POST", `/api/staff/compartments/${d.number}/enable`, {}, `${d.number}号门已启用 enabled`)));
      else td.appendChild(button(`停用 disable ${d.number}`, () => act("POST", `/api/staff/compartments/${d.number}/disable`, { reason: reason.value }, `${d.number}号门已停用 disabled`)));
      tr.appendChild(td);
      db.appendChild(tr);
    }

    const al = $("alarms");
    al.textContent = "";
    for (const a of (alarms.data && alarms.data.alarms) || []) al.appendChild(el("li", `⚠ ${a.time.replace("T", " ").slice(0, 19)} ${a.kind || ""} ${a.compartment ? a.compartment + "号门 " : ""}${a.message || ""}`));
    if (!al.children.length) al.appendChild(el("li", "没有告警 no alarms"));
    const au = $("audit");
    au.textContent = "";
    for (const a of (alarms.data && alarms.data.audit) || []) {
      const tr = el("tr");
      [a.time.replace("T", " ").slice(0, 19), a.actorName || a.actorId, a.action, a.outcome, a.compartment ?? "", a.reason || ""].forEach((v) => tr.appendChild(el("td", v)));
      au.appendChild(tr);
    }
    // Newest first, 50 a page: "older" pages back from the smallest seq shown.
    const shown = (alarms.data && alarms.data.audit) || [];
    $("auditOlder").dataset.before = shown.length ? String(shown[shown.length - 1].seq) : "";
    $("auditOlder").disabled = shown.length < 50;
    $("auditNewest").disabled = !auditBefore;
    document.body.dataset.loaded = String(Date.now());
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const tabs = $("tabs");
    for (const [s, label] of STATES) {
      const b = button(label, () => { filter = s; tabs.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", String(x === b))); load(); });
      b.setAttribute("aria-pressed", String(s === filter));
      b.dataset.state = s;
      tabs.appendChild(b);
    }
    $("signin").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const r = await api("POST", "/api/staff/session", { code: $("code").value.trim() });
      $("code").value = "";
      if (!r.ok) { $("signinErr").textContent = (r.data && r.data.message) || "登录失败"; return; }
      $("signinErr").textContent = "";
      showApp(r.data.name);
      load();
    });
    $("signout").addEventListener("click", async () => { await api("DELETE", "/api/staff/session"); showSignin(); });
    $("refresh").addEventListener("click", load);
    $("auditOlder").addEventListener("click", () => { auditBefore = $("auditOlder").dataset.before || null; load(); });
    $("auditNewest").addEventListener("click", () => { auditBefore = null; load(); });
    const me = await api("GET", "/api/staff/session");
    if (me.ok) { showApp(me.data.name); load(); } else showSignin();
    document.body.dataset.ready = "1";
  });
})();
