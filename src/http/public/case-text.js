// @ts-check
/**
 * What the resident's phone says about a case, shared by the drop-off page
 * (after the door opened) and the bookmarked case page /c/<token>: the four
 * steps 已存好 → 办理中 → 可以取了 → 已取走 and one title + one sentence per
 * state, by phrase key (phrases.js merges this table; voice.js speaks it).
 * Kept to ES2017 syntax like the phone pages that import it.
 */

/** @typedef {import("./phrases.js").PhraseTable} PhraseTable */

/** How many steps the progress list has (keys caseStep0 … caseStep3). */
export const CASE_STEP_COUNT = 4;

/** @type {Record<"zh-CN" | "en", PhraseTable>} */
export const CASE_TEXT = {
  "zh-CN": {
    caseStep0: "已存好",
    caseStep1: "办理中",
    caseStep2: "可以取了",
    caseStep3: "已取走",
    caseStepDone: "（已完成）",
    caseStepNow: "（现在）",
    csPendingTitle: "柜门已打开",
    csPending: (v) => `请到柜子前，把材料袋放进打开的${v.door}号门，然后关好门。`,
    csDroppedTitle: "已存好，谢谢！",
    csDropped: "材料已存入柜子，工作人员会尽快办理。",
    csWithStaffTitle: "办理中",
    csWithStaff: "工作人员已取走材料，正在办理。",
    csReturningTitle: "办理中",
    csReturning: "工作人员正在把办好的材料放回柜子。",
    csReadyTitle: "可以取了",
    csReady: (v) => `请到柜子屏幕上点“取件”，输入手机号和密码，${v.door}号门会打开。`,
    csCollectingTitle: "正在取件",
    csCollecting: "柜门已打开，请取出材料，关好门。",
    csFrozenTitle: "已锁定",
    csFrozen: "密码错误次数太多，已锁定。请联系工作人员重置密码。",
    csCollectedTitle: "已取走",
    csCollected: "材料已取走，谢谢使用。",
    csCancelledTitle: "本次存件已取消",
    csCancelled: "柜门没有被打开。如还要存件，请回到柜子前重新扫码。",
    csOtherTitle: "处理中",
    csOther: "",
    caseMatter: (v) => `${v.matter} · 手机 ${v.phone}`,
    caseHold: (v) => `请在 ${v.time} 前来取。`,
    caseUpdated: (v) => ` 最后更新：${v.time}`,
    caseLinkBad: "这个链接不对或已失效，请用存件时得到的链接，或问工作人员。",
  },
  en: {
    caseStep0: "Stored",
    caseStep1: "In progress",
    caseStep2: "Ready",
    caseStep3: "Collected",
    caseStepDone: " (done)",
    caseStepNow: " (now)",
    csPendingTitle: "The door is open",
    csPending: (v) => `Go to the locker, put the pouch into door ${v.door}, and close the door.`,
    csDroppedTitle: "Stored. Thank you!",
    csDropped: "Your papers are in the locker. Staff will handle them soon.",
    csWithStaffTitle: "In progress",
    csWithStaff: "Staff have taken your papers and are working on them.",
    csReturningTitle: "In progress",
    csReturning: "Staff are putting the result back into the locker.",
    csReadyTitle: "Ready to collect",
    csReady: (v) => `On the locker screen press Collect, type your phone number and PIN; door ${v.door} opens.`,
    csCollectingTitle: "Collecting",
    csCollecting: "The door is open. Take your papers and close the door.",
    csFrozenTitle: "Locked",
    csFrozen: "Too many wrong PINs. Ask staff to reset your PIN.",
    csCollectedTitle: "Collected",
    csCollected: "Collected. Thank you.",
    csCancelledTitle: "Drop-off cancelled",
    csCancelled: "The door was not opened. To drop off, scan the code on the locker again.",
    csOtherTitle: "In progress",
    csOther: "",
    caseMatter: (v) => `${v.matter} · phone ${v.phone}`,
    caseHold: (v) => `Please collect before ${v.time}.`,
    caseUpdated: (v) => ` Last updated: ${v.time}`,
    caseLinkBad: "This link is wrong or no longer valid. Use the link you got at drop-off, or ask staff.",
  },
};

/** @type {Record<string, [number, string]>} state → [step index (-1: before/outside the steps), phrase key stem] */
const STATES = {
  dropoff_pending: [-1, "csPending"],
  dropped_off: [0, "csDropped"],
  with_staff: [1, "csWithStaff"],
  return_pending: [1, "csReturning"],
  ready: [2, "csReady"],
  collecting: [2, "csCollecting"],
  frozen: [2, "csFrozen"],
  collected: [3, "csCollected"],
  cancelled: [-1, "csCancelled"],
};

/**
 * Where a state sits in the steps and the phrase keys of its title and sentence.
 * @param {string} state
 * @returns {{step: number, title: string, sentence: string}}
 */
export function caseKeys(state) {
  const s = STATES[state] || [-1, "csOther"];
  return { step: s[0], title: s[1] + "Title", sentence: s[1] };
}

/** No more changes to wait for. @param {string} state */
export function finished(state) {
  return state === "collected" || state === "cancelled";
}
