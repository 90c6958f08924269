/**
 * The embedded default: a 6-compartment locker (2 rows × 3 columns) on one
 * 8A/80 board at address 1, run against the built-in simulator, with an
 * embedded MQTT broker and the kiosk on 127.0.0.1. `npm start` runs this.
 */
import type { LockerConfig } from "./LockerConfig.js";

export function defaultConfig(): LockerConfig {
  const compartments = [1, 2, 3, 4, 5, 6].map((n) => ({
    number: n,
    board: 1,
    channel: n,
    size: (n <= 3 ? "M" : "L") as "M" | "L",
    row: n <= 3 ? 1 : 2,
    column: ((n - 1) % 3) + 1,
  }));
  return {
    lockerId: "demo-locker",
    displayName: "社区服务中心 错时办柜",
    dataDir: "./data",
    publicBaseUrl: "http://127.0.0.1:8080",
    helpPhone: "",
    bus: {
      protocol: "8a80",
      transport: "sim",
      baudRate: 9600,
      boards: [{ address: 1, channels: 8, feedback: "closedWhenLocked", statusByteOrder: "lastByteFirstChannels" }],
      timeouts: {
        unlockReplyMs: 2000,
        queryReplyMs: 400,
        unlockVerifyMs: 1500,
        pollIntervalMs: 200,
        settleMs: 50,
        interFrameGapMs: 5,
        offlineAfterFailedPolls: 3,
      },
      attempts: { query: 2, unlock: 2 },
      reconnect: { minDelayMs: 250, maxDelayMs: 10_000 },
    },
    compartments,
    matters: [
      { id: "residence-permit", label: { "zh-CN": "居住证办理", "zh-TW": "居住證辦理", en: "Residence permit" }, icon: "id-card" },
      { id: "social-insurance", label: { "zh-CN": "社保医保", "zh-TW": "社保醫保", en: "Social & medical insurance" }, icon: "insurance" },
      { id: "elderly-allowance", label: { "zh-CN": "高龄补贴", "zh-TW": "高齡補貼", en: "Elderly allowance" }, icon: "elderly" },
      { id: "certificate", label: { "zh-CN": "证明开具", "zh-TW": "證明開具", en: "Certificates" }, icon: "certificate" },
      { id: "other", label: { "zh-CN": "其他事项", "zh-TW": "其他事項", en: "Other" }, icon: "document" },
    ],
    rules: {
      tokenTtlMs: 120_000,
      qrRotateMs: 60_000,
      doorOpenTimeoutMs: 60_000,
      doorLeftOpenMs: 90_000,
      holdDays: 7,
      overdueRepeatMs: 86_400_000,
      privacyPurgeDays: 30,
      formSessionMs: 900_000,
      presenceMs: 300_000,
    },
    pins: {
      freeAttempts: 3,
      baseLockoutMs: 60_000,
      maxLockoutMs: 3_600_000,
      freezeAfterFailures: 10,
      burstThreshold: 20,
      burstWindowMs: 60_000,
      globalBurstThreshold: 100,
      scryptCost: 16_384,
    },
    mqtt: {
      url: "embedded",
      embeddedHost: "127.0.0.1",
      embeddedPort: 1883,
      embeddedUsers: [],
      embeddedAnonymous: "read",
      prefix: "lockers",
      reconnectPeriodMs: 1000,
      reconnectMaxMs: 5_000,
      protocolVersion: 5,
      commands: { windowSeconds: 120, maxOpensPerHour: 10, refusalsAuditedPerMinute: 30 },
      backlogAlarm: 100,
      homeAssistant: { enabled: false, discoveryPrefix: "homeassistant" },
    },
    notify: { channels: [], timeoutMs: 10_000, retryMinMs: 2000, retryMaxMs: 300_000, backlogAlarm: 100 },
    timeZone: "Asia/Shanghai",
    http: {
      host: "127.0.0.1",
      port: 8080,
      adminSocket: "./data/admin.sock",
      rateLimitPerMinute: 300,
      trustProxy: false,
      kioskPort: 8088,
    },
    kiosk: { rows: 2, columns: 3, idleTimeoutMs: 60_000, defaultLanguage: "zh-CN", voice: { volume: 80 } },
    simulator: { controlPort: 8081, openAfterMs: 1500, closeAfterMs: 6000 },
    log: { level: "info", pretty: process.stdout.isTTY === true },
  };
}
