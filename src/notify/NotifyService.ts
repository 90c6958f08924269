/**
 * Notifications as a daemon module: one ChannelWorker per configured channel
 * (`notify.channels`), all reading the same SQLite outbox as MQTT through
 * their own cursors, woken by `outboxAppended`. Per channel a backlog alarm:
 * raised once above `notify.backlogAlarm` (logged, audited, and an `alarm`
 * event in the outbox so MQTT and the other channels tell staff), cleared at
 * half of it. The constructor only reads config and secrets; `start()` starts
 * the loops; `stop()` ends them.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { LockerConfig, NotifyChannelConfig } from "../config/LockerConfig.js";
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import type { LockerApi } from "../locker/LockerApi.js";
import type { DomainEvents, LockerEvent } from "../locker/events.js";
import type { CaseRepo } from "../store/CaseRepo.js";
import type { NotifyCursorRepo } from "../store/NotifyCursorRepo.js";
import type { Outbox } from "../store/Outbox.js";
import type { Clock } from "../util/clock.js";
import type { BuildContext, ChannelKind } from "./ChannelKind.js";
import { loadChannelSecrets } from "./channelSecrets.js";
import { ChannelWorker, type ChannelStatus, type ChannelTiming, type TestResult } from "./ChannelWorker.js";
import { ROBOT_PER_MINUTE } from "./checkNotifyConfig.js";
import { dingtalkRobot } from "./dingtalkRobot.js";
import { webhookKind } from "./webhook.js";
import { wecomRobot } from "./wecomRobot.js";

export interface NotifyServiceDeps {
  config: LockerConfig;
  events: DomainEvents;
  cursors: NotifyCursorRepo;
  /** To append the backlog alarm (so MQTT and the other channels carry it). */
  outbox: Pick<Outbox, "append">;
  /** Full phone lookup for webhooks with includePhone. */
  cases: Pick<CaseRepo, "get">;
  locker: Pick<LockerApi, "recordAudit">;
  clock: Clock;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Tests: shorter rate windows and penalties. */
  timing?: Partial<ChannelTiming>;
}

export interface NotifyChannelStatus extends ChannelStatus {
  backlogAlarm: boolean;
}

function kindOf(ch: NotifyChannelConfig): ChannelKind {
  if (ch.kind === "wecom-robot") return wecomRobot;
  if (ch.kind === "dingtalk-robot") return dingtalkRobot;
  return webhookKind(ch.includePhone === true);
}

export class NotifyService {
  private readonly workers: ChannelWorker[] = [];
  private readonly alarmed = new Set<string>();
  private readonly log: Logger;
  private readonly onAppended = () => this.workers.forEach((w) => w.wake());

  constructor(private readonly d: NotifyServiceDeps) {
    this.log = d.log.child({ ns: "notify" });
    const n = d.config.notify;
    const matterLabels = new Map(d.config.matters.map((m) => [m.id, m.label["zh-CN"]]));
    const context = (): BuildContext => ({
      timeZone: d.config.timeZone,
      matterLabels,
      displayName: d.config.displayName,
      lockerId: d.config.lockerId,
      nowMs: d.clock.wallMs(),
      fullPhone: (caseId) => d.cases.get(caseId)?.phone ?? undefined,
    });
    for (const ch of n.channels) {
      const robot = ch.kind !== "webhook";
      const perWindow = ch.perMinute ?? (robot ? ROBOT_PER_MINUTE : 600);
      this.workers.push(
        new ChannelWorker({
          channel: ch,
          kind: kindOf(ch),
          secrets: loadChannelSecrets(ch, d.env),
          cursors: d.cursors,
          timing: { timeoutMs: n.timeoutMs, retryMinMs: n.retryMinMs, retryMaxMs: n.retryMaxMs, perWindow, windowMs: 60_000, ...d.timing },
          context,
          clock: d.clock,
          log: this.log,
          onBacklog: (b) => this.checkBacklog(ch, b),
        }),
      );
    }
  }

  start(): void {
    if (this.workers.length === 0) {
      this.log.debug("no notification channels configured");
      return;
    }
    this.d.events.on("outboxAppended", this.onAppended);
    for (const w of this.workers) w.start();
    this.log.info({ channels: this.d.config.notify.channels.map((c) => `${c.id} (${c.kind})`) }, "notification channels started");
  }

  async stop(): Promise<void> {
    this.d.events.off("outboxAppended", this.onAppended);
    await Promise.all(this.workers.map((w) => w.stop()));
  }

  status(): NotifyChannelStatus[] {
    return this.workers.map((w) => ({ ...w.status(), backlogAlarm: this.alarmed.has(w.id) }));
  }

  /** Send a test message on channel `id` (lockerctl notify test). */
  async test(id: string): Promise<TestResult> {
    const w = this.workers.find((x) => x.id === id);
    if (!w) {
      const known = this.workers.map((x) => x.id).join(", ") || "none configured";
      throw new LockerError(`no notify channel "${id}" (channels: ${known})`, ErrorCode.Notify_UnknownChannel, { channel: id });
    }
    return w.sendTest();
  }

  private checkBacklog(ch: NotifyChannelConfig, backlog: number): void {
    const limit = this.d.config.notify.backlogAlarm;
    if (backlog > limit && !this.alarmed.has(ch.id)) {
      this.alarmed.add(ch.id);
      this.log.warn({ channel: ch.id, backlog, limit }, "notify channel backlog above the alarm limit");
      const reason = `${backlog} events wait for notify channel ${ch.id} (limit ${limit})`;
      this.d.locker.recordAudit({ kind: "system", id: "notify", via: "notify" }, "alarm.notify-backlog", "failed", { reason, detail: { channel: ch.id, backlog, limit } });
      const alarm: LockerEvent = {
        id: randomUUID(),
        type: "alarm",
        kind: "outbox-backlog",
        time: new Date(this.d.clock.wallMs()).toISOString(),
        clockTrusted: this.d.clock.wallClockTrusted(),
        lockerId: this.d.config.lockerId,
        message: `通知通道 ${ch.id} 积压 ${backlog} 条，正在重试`,
        detail: { channel: ch.id, backlog, limit },
      };
      this.d.outbox.append(alarm);
      this.d.events.emit("outboxAppended", alarm);
    } else if (backlog <= limit / 2 && this.alarmed.has(ch.id)) {
      this.alarmed.delete(ch.id);
      this.log.info({ channel: ch.id, backlog }, "notify channel backlog back to normal");
    }
  }
}
