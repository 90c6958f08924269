// Times for people on the pages: in the locker's zone (config timeZone, sent
// by the server) and marked, e.g. "2026-11-29 20:14 UTC+8". Kept to ES2017
// for older WeChat in-app browsers. Exposes window.lockerdTime(iso, zone).
"use strict";
(function () {
  function localTime(iso, zone) {
    var ms = Date.parse(iso);
    if (!iso || isNaN(ms)) return iso || "";
    try {
      var f = new Intl.DateTimeFormat("en-CA", { timeZone: zone || "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "shortOffset" });
      var p = {};
      f.formatToParts(ms).forEach(function (x) { p[x.type] = x.value; });
      var mark = !p.timeZoneName || p.timeZoneName === "GMT" || p.timeZoneName === "GMT+0" ? "UTC" : p.timeZoneName.replace("GMT", "UTC");
      return p.year + "-" + p.month + "-" + p.day + " " + p.hour + ":" + p.minute + " " + mark;
    } catch (e) {
      return iso.replace("T", " ").slice(0, 16) + " UTC";
    }
  }
  window.lockerdTime = localTime;
})();
