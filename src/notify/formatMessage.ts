/**
 * Pure: locker events → short Chinese lines for staff in a group chat, e.g.
 * "【存件】A01 居住证办理 · 3号门 · 138****5678 · 20:14". Times are in the
 * locker's zone, the zone marked once per message. No I/O here; the robot
 * request builders wrap these lines in each service's markdown.
 */
import type { AlarmKind, LockerEvent, LockerEventType } from "../locker/events.js";
import { localClock, localDay, zoneMark } from "../util/localTime.js";

export interface MessageContext {
  timeZone: string;
  /** Matter id → label shown to people (zh-CN). */
  matterLabels: ReadonlyMap<string, string>;
  /** Locker name for the heading, e.g. "社区服务中心 错时办柜". */
  displayName: string;
  /** Send time, ms: times on another local day get their date. */
  nowMs: number;
}

const TAG: Record<LockerEventType, string> = {
  dropoff: "存件",
  ready: "已放回 待取",
  collected: "已取走",
  cancelled: "存件取消",
  overdue: "逾期未取",
  alarm: "告警",
};

const ALARM: Record<AlarmKind, string> = {
  "door-left-open": "门未关",
  tamper: "异常开门",
  "lock-fault": "锁故障",
  "board-offline": "控制板离线",
  "board-online": "控制板恢复",
  "pin-burst": "密码尝试过多",
  "case-frozen": "办件已冻结",
  "no-free-compartment": "没有空柜格",
  "outbox-backlog": "通知积压",
  "item-left-behind": "柜内有遗留物品",
  "unexpected-item": "空柜格里有物品",
  "database-lost": "数据库文件丢失",
  "outbox-dead-letter": "事件无法发送已搁置",
  "storage-full": "存储空间已满或无法写入，柜子暂停服务",
  "storage-ok": "存储恢复正常",
};

/** The tag in 【】 of one event: 存件, 告警·门未关, … */
export function eventTag(e: LockerEvent): string {
  if (e.type === "alarm") return `告警·${(e.kind && ALARM[e.kind]) ?? e.kind ?? "未知"}`;
  return TAG[e.type] ?? e.type;
}

/** One line for one event. */
export function eventLine(e: LockerEvent, ctx: MessageContext): string {
  const parts: string[] = [];
  const head = [e.caseNumber, e.matter ? (ctx.matterLabels.get(e.matter) ?? e.matter) : undefined].filter(Boolean).join(" ");
  if (head) parts.push(head);
  if (e.compartment !== undefined) parts.push(`${e.compartment}号门`);
  if (e.phone) parts.push(e.phone);
  if (e.type === "overdue") {
    const days = Number((e.detail as { holdDays?: unknown } | undefined)?.holdDays);
    if (Number.isFinite(days)) parts.push(`已放${days}天以上`);
  }
  if ((e.type === "alarm" || e.type === "cancelled") && e.message) parts.push(e.message);
  parts.push(when(e, ctx));
  return `【${eventTag(e)}】${parts.join(" · ")}`;
}

function when(e: LockerEvent, ctx: MessageContext): string {
  const clock = localClock(e.time, ctx.timeZone);
  const sameDay = localDay(e.time, ctx.timeZone) === localDay(ctx.nowMs, ctx.timeZone);
  const t = sameDay ? clock : `${localDay(e.time, ctx.timeZone)} ${clock}`;
  return e.clockTrusted === false ? `${t}（时钟未校准）` : t;
}

/** Short title: "存件 A01" for one event, "3条通知" for a batch. */
export function messageTitle(events: readonly LockerEvent[]): string {
  if (events.length === 1) return [eventTag(events[0]!), events[0]!.caseNumber].filter(Boolean).join(" ");
  return `${events.length}条通知`;
}

/** The footer that marks the zone once: "11月29日 · 时间为 UTC+8（Asia/Shanghai）". */
export function zoneFooter(ctx: MessageContext): string {
  return `${localDay(ctx.nowMs, ctx.timeZone)} · 时间为 ${zoneMark(ctx.nowMs, ctx.timeZone)}（${ctx.timeZone}）`;
}
