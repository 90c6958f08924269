// @ts-check
/** How the staff page names and groups case states (Chinese first, English after). */

/** Cases still needing someone (the default "to do" view). */
export const OPEN_STATES = ["dropoff_pending", "dropped_off", "with_staff", "return_pending", "ready", "collecting", "frozen"];
/** The staff page's filter tabs: [state, label]. */
export const STATES = [
  ["todo", "待办 to do"],
  ["", "全部 all"],
  ["dropped_off", "已存入 dropped off"],
  ["with_staff", "办理中 with staff"],
  ["ready", "待取 ready"],
  ["frozen", "已冻结 frozen"],
  ["collected", "已取 collected"],
  ["cancelled", "已取消 cancelled"],
];
/** @type {Record<string, string>} */
export const STATE_NAME = {
  dropoff_pending: "正在存入 door open",
  dropped_off: "已存入 dropped off",
  with_staff: "办理中 with staff",
  return_pending: "正在放回 door open",
  ready: "待取 ready",
  collecting: "正在取件 door open",
  frozen: "已冻结 frozen",
  collected: "已取 collected",
  cancelled: "已取消 cancelled",
};
