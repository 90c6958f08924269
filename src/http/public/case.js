// The resident's bookmarked case page /c/<token>: asks /api/case-link/<token>
// every few seconds and shows where the case is, without a reload. Spoken
// on request (browsers only speak after a tap), then on every change.
// ES2017 (older WeChat in-app browsers).
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var token = decodeURIComponent(location.pathname.split("/").pop() || "");
  var POLL_MS = 3000;
  var last = null;
  var lastSaid = "";
  var mayspeak = false;

  function say(text) {
    lastSaid = text;
    if (!mayspeakNow()) return;
    try {
      window.speechSynthesis.cancel();
      var u = new SpeechSynthesisUtterance(text);
      u.lang = "zh-CN"; u.rate = 0.9;
      window.speechSynthesis.speak(u);
    } catch (e) { /* optional */ }
  }
  function mayspeakNow() { return mayspeak && "speechSynthesis" in window; }

  function render(c) {
    var T = window.lockerdCaseText;
    var t = T.of(c.state, c.compartment !== undefined ? c.compartment : "");
    $("caseLine").textContent = "办件号 " + c.number;
    $("matterLine").textContent = c.matterLabel + " · 手机 " + c.phone;
    $("stateLine").textContent = t.title;
    $("stepLine").textContent = t.sentence;
    $("holdLine").textContent = c.holdUntil ? "请在 " + window.lockerdTime(c.holdUntil, c.timeZone) + " 前来取。" : "";
    $("noticeLine").textContent = c.notice;
    $("updatedLine").textContent = " 最后更新：" + window.lockerdTime(c.updatedAt, c.timeZone);
    var ol = $("steps");
    ol.textContent = "";
    T.steps.forEach(function (name, i) {
      var li = document.createElement("li");
      var done = i < t.step || (i === t.step && T.finished(c.state));
      li.textContent = (done ? "✓ " : i === t.step ? "▶ " : "") + name + (done ? "（已完成）" : i === t.step ? "（现在）" : "");
      if (i === t.step) li.setAttribute("aria-current", "step");
      ol.appendChild(li);
    });
    document.body.dataset.caseState = c.state;
    return "办件号 " + c.number + "。" + t.title + "。" + t.sentence;
  }

  function poll() {
    fetch("/api/case-link/" + encodeURIComponent(token), { cache: "no-store" }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (r) {
      if (!r.ok) {
        if (r.status === 404) { $("loading").hidden = true; $("error").textContent = "这个链接不对或已失效，请用存件时得到的链接，或问工作人员。"; return; }
        setTimeout(poll, POLL_MS);
        return;
      }
      var c = r.data;
      var changed = !last || last.state !== c.state || last.updatedAt !== c.updatedAt;
      if (changed) {
        var text = render(c);
        if (last) say(text); else lastSaid = text;
        last = c;
      }
      $("loading").hidden = true;
      $("case").hidden = false;
      document.body.dataset.ready = "1";
      if (!window.lockerdCaseText.finished(c.state)) setTimeout(poll, POLL_MS);
    }).catch(function () { setTimeout(poll, POLL_MS); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("speak").addEventListener("click", function () { mayspeak = true; say(lastSaid); });
    poll();
  });
})();
