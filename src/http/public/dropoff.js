// Resident drop-off page /d/<token>: form → POST /api/dropoff → case number,
// door and live status (polled; WeChat's browser handles fetch everywhere).
// Kept to ES2017 (no ?? or ?.): older WeChat in-app browsers on residents' phones lack them.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const token = decodeURIComponent(location.pathname.split("/").pop() || "");
  let lastSaid = "";
  let caseInfo = null;

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

  function renderStatus(c) {
    const t = window.lockerdCaseText.of(c.state, c.compartment !== undefined ? c.compartment : caseInfo.compartment);
    const n = c.compartment !== undefined ? c.compartment : caseInfo.compartment;
    $("caseLine").textContent = `办件号 ${c.number}`;
    $("doorLine").textContent = c.state === "dropoff_pending" ? `${n}号门` : "";
    $("stateLine").textContent = t.title;
    $("stepLine").textContent = t.sentence;
    document.body.dataset.caseState = c.state;
    return t.title + "。" + t.sentence;
  }

  async function poll() {
    try {
      const r = await fetch("/api/cases/" + encodeURIComponent(caseInfo.caseId));
      if (r.ok) {
        const c = await r.json();
        if (c.state !== caseInfo.state) { caseInfo.state = c.state; say(renderStatus(c)); }
        // The page keeps following the case (its address is the bookmarkable case link now).
        if (window.lockerdCaseText.finished(c.state)) return;
        if (c.state !== "dropoff_pending") { setTimeout(poll, 3000); return; }
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
    const body = { token, matter, phone: v.phone, pin: v.pin, pinConfirm: v.pin2, consent: true };
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
      if (r.status === 410) { location.reload(); return; }
      const field = data.field === "pinConfirm" ? "pin2" : data.field;
      const msg = (data.message || "网络不通，请再试一次。").split(" Invalid")[0];
      if (field && $("err-" + field)) setErr(field, msg); else setErr("form", msg);
      if (data.code === 305) setErr("pin", msg);
      say(msg);
      return;
    }
    caseInfo = { caseId: data.caseId, caseNumber: data.caseNumber, compartment: data.compartment, state: "dropoff_pending" };
    if (data.caseLink) { try { history.replaceState(null, "", new URL(data.caseLink).pathname); } catch (e) { /* old browser: the link is shown below */ } $("caseLink").textContent = data.caseLink; }
    if (data.notice) $("noticeLine").textContent = data.notice;
    $("form").hidden = true;
    $("status").hidden = false;
    say(renderStatus({ number: data.caseNumber, state: "dropoff_pending", compartment: data.compartment }));
    setTimeout(poll, 1500);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    $("speak").addEventListener("click", () => say(lastSaid));
    let info;
    try {
      const r = await fetch("/api/dropoff/" + encodeURIComponent(token));
      if (!r.ok) { location.reload(); return; }
      info = await r.json();
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
    $("loading").hidden = true;
    $("form").hidden = false;
    document.body.dataset.ready = "1";
    lastSaid = "请选择办理的事项，填写手机号，设一个6位密码，然后点开门存件。";
  });
})();
