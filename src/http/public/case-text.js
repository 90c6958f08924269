// What the resident's phone says about a case, shared by the drop-off page
// and the bookmarked case page: the four steps 已存好 → 办理中 → 可以取了 →
// 已取走 and one title + one sentence per state. ES2017 (old WeChat browsers).
"use strict";
(function () {
  var STEPS = ["已存好", "办理中", "可以取了", "已取走"];
  // state → [step index (-1: before/outside the steps), title, sentence(door)]
  var TEXT = {
    dropoff_pending: [-1, "柜门已打开", function (n) { return "请把材料袋放进打开的" + n + "号门，然后关好门。"; }],
    dropped_off: [0, "已存好，谢谢！", function () { return "材料已存入柜子，工作人员会尽快办理。"; }],
    with_staff: [1, "办理中", function () { return "工作人员已取走材料，正在办理。"; }],
    return_pending: [1, "办理中", function () { return "工作人员正在把办好的材料放回柜子。"; }],
    ready: [2, "可以取了", function (n) { return "请到柜子屏幕上点“取件”，输入手机号和密码，" + n + "号门会打开。"; }],
    collecting: [2, "正在取件", function () { return "柜门已打开，请取出材料，关好门。"; }],
    frozen: [2, "已锁定", function () { return "密码错误次数太多，已锁定。请联系工作人员重置密码。"; }],
    collected: [3, "已取走", function () { return "材料已取走，谢谢使用。"; }],
    cancelled: [-1, "本次存件已取消", function () { return "柜门没有被打开。如还要存件，请回到柜子前重新扫码。"; }],
  };
  window.lockerdCaseText = {
    steps: STEPS,
    /** {step, title, sentence} for a state; n = door number. */
    of: function (state, n) {
      var t = TEXT[state] || [-1, "处理中", function () { return ""; }];
      return { step: t[0], title: t[1], sentence: t[2](n) };
    },
    /** No more changes to wait for. */
    finished: function (state) { return state === "collected" || state === "cancelled"; },
  };
})();
