// Resident page /d/<token> (the kiosk's QR): opening it claims the token and
// gives the form its own session (POST /api/sessions; the address becomes
// /f/<session> so a reload keeps it). The resident chooses 存件 (form → POST
// /api/dropoff → case number, door and live status, polled) or 取件 (phone +
// PIN → POST /api/pickup; the session proves they stand at the locker).
// What is typed is kept in localStorage (never the PIN), so a lapsed session
// or a failed step loses nothing; the time left shows only when it is short.
// Kept to ES2017 (no ?? or ?.): older WeChat in-app browsers on residents' phones lack them.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const parts = location.pathname.split("/");
  const kind = parts[1]; // "d" (a fresh scan) or "f" (a form session)
  const key = decodeURIComponent(parts.pop() || "");
  let session = kind === "f" ? key : null;
  let deadline = 0; // performance.now() when the session lapses
  let lapsed = false;
  let lastSaid = "";
  let caseInfo = null;
  const DRAFT = "lockerd-dropoff-draft";
  const DRAFT_KEEP_MS = 60 * 60 * 1000;
  const SHOW_LEFT_MS = 2 * 60 * 1000;

  function saveDraft() {
    try {
      const matter = (document.querySelector('input[name="matter"]:checked') || {}).value || "";
      localStorage.setItem(DRAFT, JSON.stringify({ matter, phone: $("phone").value, name: $("name").value, note: $("note").value, consent: $("consent").checked, at: Date.now() }));
    } catch (e) { /* private mode: the fields on screen still keep it */ }
  }
  function restoreDraft() {
    let d = null;
    try { d = JSON.parse(localStorage.getItem(DRAFT) || "null"); } catch (e) { d = null; }
    if (!d || !(Date.now() - d.at < DRAFT_KEEP_MS)) return false;
    if (d.matter) { const m = document.querySelector('input[name="matter"][value="' + d.matter + '"]'); if (m) m.checked = true; }
    $("phone").value = d.phone || ""; $("name").value = d.name || ""; $("note").value = d.note || ""; $("consent").checked = !!d.consent;
    if (d.phone) $("pphone").value = d.phone;
    return !!(d.matter || d.phone || d.name || d.note);
  }
  function clearDraft() { try { localStorage.removeItem(DRAFT); } catch (e) { /* ignore */ } }

  function showLapsed(title, text) {
    lapsed = true;
    saveDraft();
    if (title) $("lapsedTitle").textContent = title;
    if (text) $("lapsedText").textContent = text;
    $("lapsed").hidden = false;
    $("timeLeft").hidden = true;
    say($("lapsedTitle").textContent + "。" + $("lapsedText").textContent);
  }
  function tick() {
    if (!deadline || lapsed || caseInfo) return;
    const left = deadline - performance.now();
    if (left <= 0) { showLapsed(); return; }
    if (left <= SHOW_LEFT_MS) {
      const s = Math.ceil(left / 1000);
      $("timeLeft").textContent = "还剩 " + Math.floor(s / 60) + " 分 " + (s % 60) + " 秒，请尽快提交。Time left: " + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      $("timeLeft").hidden = false;
    }
  }

  function say(text) {
    lastSaid = text;
    try {
      if (!("speechSynthesis" in window)) return;
      window.speechSynthesis.cancel();
      const u = new SpeechSynthesisUtterance(text);
      u.lang = "zh-CN"; u.rate = 0.9;
      window.speechSynthesis.speak(u);
    } catch (e) { /* optional */ }
  }

  function weakPin(pin, phone) {
    if (/^(\d)\1{5}$/.test(pin)) return true;
    if ("0123456789012".includes(pin) || "9876543210987".includes(pin)) return true;
    if (/^(\d\d)\1\1$/.test(pin) || /^(\d\d\d)\1$/.test(pin)) return true;
    return phone.length === 11 && phone.slice(5) === pin;
  }

  function setErr(field, msg) {
    const el = $("err-" + field);
    if (el) el.textContent = msg || "";
    const input = $(field === "pin2" ? "pin2" : field);
    if (input && input.setAttribute) input.setAttribute("aria-invalid", msg ? "true" : "false");
  }

  function validate(v) {
    let ok = true;
    const fail = (f, m) => { setErr(f, m); ok = false; };
    ["matter", "phone", "pin", "pin2", "consent", "form"].forEach((f) => setErr(f, ""));
    if (!v.matter) fail("matter", "请选择要办理的事项。");
    if (!/^1[3-9]\d{9}$/.test(v.phone)) fail("phone", "请输入11位手机号码，例如 13812345678。");
    if (!/^\d{6}$/.test(v.pin)) fail("pin", "密码要6位数字。");
    else if (weakPin(v.pin, v.phone)) fail("pin", "密码太简单，容易被猜到，请换一个（不要用重复、连续的数字或手机号后六位）。");
    if (v.pin2 !== v.pin) fail("pin2", "两次输入的密码不一样，请再输一次。");
    if (!v.consent) fail("consent", "请先勾选同意隐私说明。");
    return ok;
  }

  const STATE_TEXT = {
    dropoff_pending: ["柜门已打开", (n) => `请到柜子前，把材料袋放进打开的${n}号门，然后关好门。`],
    dropped_off: ["已存好，谢谢！", () => "材料已存入，工作人员会尽快办理。办好后会通知您来取。"],
    with_staff: ["工作人员正在办理", () => "办好后会通知您来取。"],
    return_pending: ["工作人员正在放回", () => "办好后会通知您来取。"],
    ready: ["已办好，可以取件", () => "请到柜子屏幕上点“取件”，输入手机号和密码。"],
    collected: ["已取件", () => "谢谢使用。"],
    cancelled: ["本次存件已取消", () => "柜门没有被打开。如还要存件，请回到柜子前重新扫码。"],
  };

  function renderStatus(c) {
    const t = STATE_TEXT[c.state] || ["处理中", () => ""];
    const n = c.compartment !== undefined ? c.compartment : caseInfo.compartment;
    $("caseLine").textContent = `办件号 ${c.number}`;
    $("doorLine").textContent = c.state === "dropoff_pending" ? `${n}号门` : "";
    $("stateLine").textContent = t[0];
    $("stepLine").textContent = t[1](n);
    document.body.dataset.caseState = c.state;
    return t[0] + "。" + t[1](n);
  }

  async function poll() {
    try {
      const r = await fetch("/api/cases/" + encodeURIComponent(caseInfo.caseId));
      if (r.ok) {
        const c = await r.json();
        if (c.state !== caseInfo.state) { caseInfo.state = c.state; say(renderStatus(c)); }
        if (c.state !== "dropoff_pending") return;
      }
    } catch (e) { /* keep trying */ }
    setTimeout(poll, 1500);
  }

  async function submit(ev) {
    ev.preventDefault();
    const matter = (document.querySelector('input[name="matter"]:checked') || {}).value;
    const v = { matter, phone: $("phone").value.trim(), pin: $("pin").value, pin2: $("pin2").value, consent: $("consent").checked };
    if (!validate(v)) { const first = document.querySelector(".err:not(:empty)"); if (first) say(first.textContent); return; }
    $("submit").disabled = true;
    $("submit").textContent = "正在开门… Opening…";
    saveDraft();
    const body = { session, matter, phone: v.phone, pin: v.pin, pinConfirm: v.pin2, consent: true };
    if ($("name").value.trim()) body.name = $("name").value.trim();
    if ($("note").value.trim()) body.note = $("note").value.trim();
    let r, data = {};
    try {
      r = await fetch("/api/dropoff", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      data = await r.json();
    } catch (e) { r = { ok: false, status: 0 }; }
    $("submit").disabled = false;
    $("submit").textContent = "开门存件 Open a door";
    if (!r.ok) {
      // Session lapsed or the link is spent: keep every field, say what to do.
      if (r.status === 410 || data.code === 331) { showLapsed(); return; }
      const field = data.field === "pinConfirm" ? "pin2" : data.field;
      const msg = (data.message || "网络不通，请再试一次。").split(" Invalid")[0];
      if (field && $("err-" + field)) setErr(field, msg); else setErr("form", msg);
      if (data.code === 305) setErr("pin", msg);
      say(msg);
      return;
    }
    clearDraft();
    caseInfo = { caseId: data.caseId, caseNumber: data.caseNumber, compartment: data.compartment, state: "dropoff_pending" };
    $("timeLeft").hidden = true;
    $("form").hidden = true;
    $("status").hidden = false;
    say(renderStatus({ number: data.caseNumber, state: "dropoff_pending", compartment: data.compartment }));
    setTimeout(poll, 1500);
  }

  async function pickup(ev) {
    ev.preventDefault();
    ["pphone", "ppin", "pickup"].forEach((f) => setErr(f, ""));
    const phone = $("pphone").value.trim();
    const pin = $("ppin").value;
    if (!/^1[3-9]\d{9}$/.test(phone)) { setErr("pphone", "请输入11位手机号码。"); say("请输入11位手机号码。"); return; }
    if (!/^\d{6}$/.test(pin)) { setErr("ppin", "密码是6位数字。"); say("密码是6位数字。"); return; }
    $("pickupSubmit").disabled = true;
    let r, data = {};
    try {
      r = await fetch("/api/pickup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ session, phone, pin }) });
      data = await r.json();
    } catch (e) { r = { ok: false, status: 0 }; }
    $("pickupSubmit").disabled = false;
    if (!r.ok) {
      if (r.status === 410 || data.code === 331) { showLapsed("取件时间已过", "请回到柜子前，重新扫一扫屏幕上的二维码，再点“取件”。"); return; }
      const msg = (data.message || "网络不通，请再试一次。").split(" Invalid")[0];
      setErr(data.field === "phone" ? "pphone" : data.field === "pin" ? "ppin" : "pickup", msg);
      say(msg);
      return;
    }
    const doors = data.opened.map((o) => o.compartment).join("、");
    $("pickup").hidden = true;
    $("opened").hidden = false;
    $("openedDoor").textContent = doors + "号门";
    document.body.dataset.opened = doors;
    say(doors + "号门已打开。请取出材料，然后关好柜门。");
  }

  function choose(which) {
    $("choice").hidden = true;
    $(which === "pickup" ? "pickup" : "form").hidden = false;
    document.body.dataset.mode = which;
    lastSaid = which === "pickup" ? "请输入手机号和6位密码，然后点开门取件。" : "请选择办理的事项，填写手机号，设一个6位密码，然后点开门存件。";
  }

  /** Claim the scanned link for a form session, or pick the session up again after a reload. */
  async function openSession() {
    const r = kind === "f"
      ? await fetch("/api/sessions/" + encodeURIComponent(key))
      : await fetch("/api/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: key }) });
    const data = await r.json();
    if (!r.ok) return { ok: false, data };
    session = data.session;
    deadline = performance.now() + data.remainingMs;
    if (kind === "d" && history.replaceState) history.replaceState(null, "", "/f/" + encodeURIComponent(session));
    return { ok: true, data };
  }

  document.addEventListener("DOMContentLoaded", async () => {
    $("speak").addEventListener("click", () => say(lastSaid));
    let info, opened;
    try {
      const r = await fetch("/api/form-info");
      info = await r.json();
      opened = await openSession();
    } catch (e) { $("loading").textContent = "网络不通，请刷新页面。"; return; }
    $("displayName").textContent = info.displayName;
    const box = $("matters");
    info.matters.forEach((m, i) => {
      const l = document.createElement("label");
      l.className = "opt";
      const inp = document.createElement("input");
      inp.type = "radio"; inp.name = "matter"; inp.value = m.id; inp.id = "m" + i;
      l.appendChild(inp);
      l.appendChild(document.createTextNode(" " + (m.label["zh-CN"] || m.id) + (m.label.en ? " · " + m.label.en : "")));
      box.appendChild(l);
    });
    $("form").addEventListener("submit", submit);
    $("pickup").addEventListener("submit", pickup);
    $("chooseDropoff").addEventListener("click", () => choose("dropoff"));
    $("choosePickup").addEventListener("click", () => choose("pickup"));
    ["phone", "name", "note", "consent"].forEach((id) => $(id).addEventListener("change", saveDraft));
    $("matters").addEventListener("change", saveDraft);
    const hadDraft = restoreDraft();
    $("loading").hidden = true;
    document.body.dataset.ready = "1";
    if (!opened.ok) {
      // A spent or expired link, or a lapsed session: say what to do; a draft stays on screen.
      const code = opened.data.code;
      if (code === 331) showLapsed();
      else showLapsed("这个二维码已经用过或过期了", "为了安全，每个二维码只能用一次。请回到柜子前，用微信重新扫一扫屏幕上的二维码。");
      if (hadDraft) $("form").hidden = false;
      return;
    }
    if (hadDraft) choose("dropoff");
    else { $("choice").hidden = false; lastSaid = "要存件，点存件；要取件，点取件。"; }
    setInterval(tick, 1000);
  });
})();
