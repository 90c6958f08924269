// Kiosk screen logic: plain JS, no framework. Screens are <section
// data-screen>; the server pushes door prompts, QR rotations, compartment
// changes and board state over server-sent events (/kiosk/events).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const TEXT = window.KIOSK_TEXT;
  const K = {
    lang: "zh-CN", screen: "idle", lastSaid: "", rows: 2, columns: 3, idleMs: 60000,
    compartments: [], boardOnline: true, entry: "phone", phone: "", pin: "", code: "",
    prompt: null, nags: {}, staffName: null, idleTimer: null, doneTimer: null, sayRender: null,
  };
  const T = () => TEXT[K.lang] || TEXT["zh-CN"];
  window.kiosk = K;

  function say(text) {
    K.lastSaid = text;
    $("live").textContent = text;
    try {
      if (!("speechSynthesis" in window)) return;
      window.speechSynthesis.cancel();
      const u = new SpeechSynthesisUtterance(text);
      u.lang = K.lang; u.rate = 0.85;
      window.speechSynthesis.speak(u);
    } catch (e) { /* speech is a help, never a blocker */ }
  }

  function show(name, render) {
    K.screen = name;
    K.sayRender = render || null;
    document.querySelectorAll(".screen").forEach((s) => { s.hidden = s.dataset.screen !== name; });
    document.body.dataset.screen = name;
    if (render) render();
    armIdle();
  }

  function applyLang(lang) {
    K.lang = TEXT[lang] ? lang : "zh-CN";
    document.documentElement.lang = K.lang;
    document.querySelectorAll("[data-t]").forEach((el) => {
      const v = T()[el.dataset.t];
      if (typeof v === "string") el.textContent = v;
    });
    document.querySelectorAll(".lang").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === K.lang)));
    if (K.sayRender) K.sayRender();
  }

  // ---- idle timeout: any touch restarts it; it brings the QR screen back.
  function armIdle() {
    clearTimeout(K.idleTimer);
    if (K.screen === "idle" || K.screen === "offline") return;
    const wait = K.screen === "door" ? K.idleMs * 3 : K.idleMs;
    K.idleTimer = setTimeout(() => {
      if (K.staffName) staffSignOut();
      goIdle();
    }, wait);
  }
  ["pointerdown", "keydown"].forEach((ev) => document.addEventListener(ev, armIdle, { passive: true }));

  function goIdle() {
    K.phone = ""; K.pin = ""; K.code = "";
    if (!K.boardOnline) return showOffline();
    show("idle", () => say(T().sayIdle));
  }
  function showOffline() {
    show("offline", () => say(T().offlineTitle + "。" + T().offlineText));
  }

  // ---- the locker's front, doors placed by row/column; the open door is lit and labelled.
  function renderFront(openNo) {
    const front = $("front");
    front.textContent = "";
    front.style.gridTemplateColumns = `repeat(${K.columns}, 1fr)`;
    front.style.gridTemplateRows = `repeat(${K.rows}, 1fr)`;
    for (const c of K.compartments) {
      const d = document.createElement("div");
      d.className = "door-cell" + (c.number === openNo ? " lit" : "");
      d.style.gridRow = String(c.row);
      d.style.gridColumn = String(c.column);
      const num = document.createElement("span");
      num.className = "door-no";
      num.textContent = String(c.number);
      d.appendChild(num);
      if (c.number === openNo) {
        const here = document.createElement("span");
        here.className = "door-here";
        here.textContent = T().opened;
        d.appendChild(here);
      }
      front.appendChild(d);
    }
    front.setAttribute("aria-label", openNo ? T().doorOpen(openNo) : "locker");
  }

  // ---- door prompts pushed by the daemon
  function onPrompt(p) {
    K.prompt = p;
    clearTimeout(K.doneTimer);
    const n = p.compartment;
    // The core says "please-close" once when it sees the door open (the
    // resident is busy at it: keep "door N is open") and again each time the
    // door stays open too long (then ask plainly to close it).
    if (p.phase === "open") K.nags[n] = 0;
    else if (p.phase === "please-close") K.nags[n] = (K.nags[n] || 0) + 1;
    // occupancy (boards with item sensors): closed on an empty drop-off (opened again) / with something left behind
    const occ = p.phase === "put-pouch-in" ? [T().putPouchIn(n), T().putPouchInText(n)] : p.phase === "left-behind" ? [T().leftBehind(n), T().leftBehindText(n)] : null;
    if (p.phase === "open" || p.phase === "please-close" || occ) {
      const closing = occ !== null || (p.phase === "please-close" && K.nags[n] > 1);
      show("door", () => {
        const head = occ ? occ[0] : closing ? T().pleaseClose(n) : T().doorOpen(n);
        const act = occ ? occ[1] : closing ? T().pleaseCloseText : p.purpose === "dropoff" ? T().doorPut(n) : p.purpose === "pickup" ? T().doorTake(n) : T().doorStaff(n);
        $("doorHeadline").textContent = head;
        $("doorAction").textContent = act;
        $("doorCase").textContent = p.caseNumber ? T().caseNo(p.caseNumber) : "";
        document.querySelector('[data-screen="door"]').classList.toggle("closing", closing);
        renderFront(n);
        say(head + "。" + act);
      });
    } else if (p.phase === "closed") {
      delete K.nags[n];
      show("done", () => {
        const t = p.purpose === "dropoff" ? T().thanksDrop : p.purpose === "pickup" ? T().thanksPick : T().thanksStaff;
        $("doneText").textContent = t;
        say(T().thanks + "。" + t);
      });
      K.doneTimer = setTimeout(() => (K.staffName ? showStaff() : goIdle()), 8000);
    } else if (p.phase === "cancelled") {
      notice(T().cancelled, T().cancelledText);
    } else if (p.phase === "fault") {
      notice(T().fault, T().faultText);
    }
  }

  function notice(head, text) {
    show("notice", () => {
      $("notice-h").textContent = head;
      $("noticeText").textContent = text;
      say(head + "。" + text);
    });
  }

  // ---- keypad entry: phone, then PIN; or the staff code
  function renderEntry() {
    const t = T();
    const title = K.entry === "phone" ? t.phoneTitle : K.entry === "pin" ? t.pinTitle : t.staffCodeTitle;
    $("entry-h").textContent = title;
    $("entryOkText").textContent = K.entry === "phone" ? t.next : t.open;
    let shown;
    if (K.entry === "phone") shown = K.phone.replace(/^(\d{3})(\d{0,4})(\d{0,4}).*/, (m, a, b, c) => [a, b, c].filter(Boolean).join(" ")) || "";
    else {
      const v = K.entry === "pin" ? K.pin : K.code, len = K.entry === "pin" ? 6 : 8;
      shown = "●".repeat(v.length) + "○".repeat(len - v.length);
    }
    $("entryValue").textContent = shown || "\u00a0";
  }
  function entryMsg(text) {
    const m = $("entryMsg");
    m.hidden = !text;
    m.textContent = text || "";
    if (text) say(text);
  }
  function startEntry(mode) {
    K.entry = mode;
    if (mode !== "pin") { K.phone = mode === "phone" ? "" : K.phone; }
    K.pin = ""; K.code = "";
    show("entry", () => {
      renderEntry();
      say(mode === "phone" ? T().sayPhone : mode === "pin" ? T().sayPin : T().sayStaff);
    });
    entryMsg("");
  }
  function press(key) {
    const field = K.entry === "phone" ? "phone" : K.entry === "pin" ? "pin" : "code";
    const max = field === "phone" ? 11 : field === "pin" ? 6 : 8;
    if (key === "del") K[field] = K[field].slice(0, -1);
    else if (key === "clear") K[field] = "";
    else if (K[field].length < max) K[field] += key;
    $("entryMsg").hidden = true;
    renderEntry();
  }

  async function post(url, body) {
    const res = body === null
      ? await fetch(url, { method: "DELETE", credentials: "same-origin", headers: { "x-lockerd-screen": "kiosk" } })
      : await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-lockerd-screen": "kiosk" }, body: JSON.stringify(body), credentials: "same-origin" });
    let data = {};
    try { data = await res.json(); } catch (e) { /* empty */ }
    return { status: res.status, data };
  }

  async function entryOk() {
    const t = T();
    if (K.entry === "phone") {
      if (!/^1[3-9]\d{9}$/.test(K.phone)) return entryMsg(t.phoneBad);
      return startEntry("pin");
    }
    if (K.entry === "pin") {
      if (!/^\d{6}$/.test(K.pin)) return entryMsg(t.pinBad);
      const pin = K.pin;
      K.pin = "";
      show("wait", () => say(t.opening));
      const r = await post("/kiosk/pickup", { phone: K.phone, pin }).catch(() => ({ status: 0, data: {} }));
      if (r.status === 200 && r.data.opened && r.data.opened.length) {
        const o = r.data.opened[0];
        if (K.screen === "wait") onPrompt({ compartment: o.compartment, purpose: "pickup", caseNumber: o.caseNumber, phase: "open" });
        return;
      }
      K.entry = "pin";
      show("entry", () => renderEntry());
      if (r.status === 429) entryMsg(t.lockout(r.data.retryAfterS || 60));
      else if (r.status === 423) entryMsg(t.frozen);
      else if (r.status === 403 || r.status === 200) entryMsg(t.wrongPin);
      else if (r.status === 409) entryMsg(t.busy);
      else if (r.status === 503) notice(t.fault, t.faultText);
      else entryMsg(t.error);
      return;
    }
    if (!/^\d{8}$/.test(K.code)) return entryMsg(t.codeBad);
    const r = await post("/api/staff/session", { code: K.code }).catch(() => ({ status: 0, data: {} }));
    K.code = "";
    renderEntry();
    if (r.status === 200) { K.staffName = r.data.name; return showStaff(); }
    entryMsg(r.status === 429 ? t.lockout(r.data.retryAfterS || 60) : r.data.message || t.error);
  }

  // ---- staff mode on the kiosk
  async function showStaff() {
    show("staff", () => { $("staffName").textContent = K.staffName || ""; say(T().staffTitle); });
    const [a, b] = await Promise.all(["dropped_off", "with_staff"].map((s) => fetch("/api/staff/cases?state=" + s, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : []))));
    const list = $("staffCases");
    list.textContent = "";
    const cases = [...a.map((c) => ({ c, act: "collect" })), ...b.map((c) => ({ c, act: "return" }))];
    if (!cases.length) { const p = document.createElement("p"); p.className = "instruction"; p.textContent = T().noCases; list.appendChild(p); }
    for (const { c, act } of cases) {
      const btn = document.createElement("button");
      btn.type = "button"; btn.className = "nav-btn";
      btn.textContent = act === "collect" ? T().collectCase(c.number, c.compartment) : T().returnCase(c.number);
      btn.addEventListener("click", () => staffAction(`/api/staff/cases/${encodeURIComponent(c.id)}/${act}`, {}));
      list.appendChild(btn);
    }
    const doors = $("staffDoors");
    doors.textContent = "";
    for (const c of K.compartments) {
      const btn = document.createElement("button");
      btn.type = "button"; btn.className = "nav-btn";
      btn.textContent = T().openDoor(c.number);
      btn.addEventListener("click", () => staffAction(`/api/staff/compartments/${c.number}/open`, { reason: T().staffReason }));
      doors.appendChild(btn);
    }
  }
  async function staffAction(url, body) {
    const r = await post(url, body).catch(() => ({ status: 0, data: {} }));
    const m = $("staffMsg");
    if (r.status === 200) { m.hidden = true; return; }
    if (r.status === 401) { K.staffName = null; return goIdle(); }
    m.hidden = false;
    m.textContent = r.data.message || T().error;
    say(m.textContent);
  }
  async function staffSignOut() {
    K.staffName = null;
    await post("/api/staff/session", null).catch(() => {});
  }

  // ---- live updates
  function applyState(s) {
    K.rows = s.rows; K.columns = s.columns; K.idleMs = s.idleTimeoutMs; K.compartments = s.compartments;
    $("displayName").textContent = s.displayName;
    if (s.qr) $("qr").innerHTML = s.qr.svg;
    else $("qr").textContent = T().qrPaused;
    setBoard(s.boardOnline);
  }
  function setBoard(online) {
    const was = K.boardOnline;
    K.boardOnline = online;
    if (!online && K.screen !== "staff") showOffline();
    else if (online && (!was || K.screen === "offline")) goIdle();
  }
  function connect() {
    const es = new EventSource("/kiosk/events");
    es.addEventListener("prompt", (e) => onPrompt(JSON.parse(e.data)));
    es.addEventListener("qr", (e) => { $("qr").innerHTML = JSON.parse(e.data).svg; });
    es.addEventListener("compartments", (e) => { K.compartments = JSON.parse(e.data); if (K.screen === "door" && K.prompt) renderFront(K.prompt.compartment); });
    es.addEventListener("board", (e) => setBoard(JSON.parse(e.data).online));
    es.addEventListener("open", () => {
      document.body.dataset.live = "1";
      fetch("/kiosk/state").then((r) => r.json()).then(applyState).catch(() => {});
    });
    es.addEventListener("error", () => { document.body.dataset.live = "0"; });
  }

  document.addEventListener("DOMContentLoaded", async () => {
    document.querySelectorAll(".key").forEach((b) => b.addEventListener("click", () => press(b.dataset.key)));
    document.querySelectorAll(".lang").forEach((b) => b.addEventListener("click", () => applyLang(b.dataset.lang)));
    $("speak").addEventListener("click", () => say(K.lastSaid));
    $("collect").addEventListener("click", () => startEntry("phone"));
    $("staffEnter").addEventListener("click", () => startEntry("staff"));
    $("entryOk").addEventListener("click", entryOk);
    $("entryBack").addEventListener("click", () => (K.entry === "pin" ? startEntry("phone") : goIdle()));
    $("noticeOk").addEventListener("click", goIdle);
    $("staffExit").addEventListener("click", async () => { await staffSignOut(); goIdle(); });
    try {
      const s = await (await fetch("/kiosk/state")).json();
      applyLang(s.defaultLanguage);
      applyState(s);
    } catch (e) { applyLang("zh-CN"); }
    if (K.boardOnline) goIdle();
    connect();
    document.body.dataset.ready = "1";
  });
})();
