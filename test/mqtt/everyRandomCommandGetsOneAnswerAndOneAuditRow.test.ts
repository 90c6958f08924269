/**
 * Property test on the real daemon (embedded broker, real SQLite file):
 * random JSON commands — numbers of every kind (1.5, 1e300, -0, 2^53+2,
 * 1e-300, "0x1", arrays, null, …) in every field, on every verb, some of them
 * correctly signed so they get past the signature to the later checks — each
 * get exactly one `cmd-result` and leave exactly one `mqtt.<verb>` audit row,
 * and the log never carries a stack trace or an error line.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import mqtt from "mqtt";
import { expect } from "vitest";
import { signCommand } from "../../src/mqtt/commandSigning.js";
import type { CommandResult } from "../../src/mqtt/topics.js";
import { lockerTest, TEST_OFFICE, waitFor } from "../helpers/lockerTest.js";
import { mqttValidators } from "../../src/mqtt/schemas.js";

const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 1_000_000);
const COMMANDS = 150;

/** mulberry32: a small seeded PRNG so a failing run can be replayed with PROPERTY_SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [
  0,
  -0,
  1,
  3,
  6,
  7,
  99,
  100,
  -1,
  1.5,
  0.5,
  2.0000001,
  1e300,
  -1e300,
  1e-300,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  4294967297,
  1e21,
];
const ODD = ["0x1", "1", "1e3", " 3", "3.0", "", "\u001b[2J", null, true, [3], [1, 2], { n: 3 }];

lockerTest(
  "every random command gets exactly one cmd-result and one audit row, never a stack trace",
  {
    config: {
      mqtt: {
        commands: { windowSeconds: 120, maxOpensPerHour: 3, refusalsAuditedPerMinute: 10_000 },
      },
      simulator: { openAfterMs: 0, closeAfterMs: 0 },
    },
    testBody: async (h) => {
      const r = rng(SEED);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
      const secret = fs.readFileSync(path.join(h.dir, "mqtt-command-secret"), "utf8").trim();
      const base = h.daemon.mqtt.topics.base;
      const office = await mqtt.connectAsync(h.mqttUrl, { protocolVersion: 4, ...TEST_OFFICE, reconnectPeriod: 0 });
      const results: CommandResult[] = [];
      office.on("message", (_t, p) => results.push(JSON.parse(p.toString()) as CommandResult));
      await office.subscribeAsync(`${base}/cmd-result`, { qos: 1 });
      const validate = mqttValidators();
      const auditRows = () => (h.daemon.db.prepare("SELECT count(*) AS n FROM audit WHERE action LIKE 'mqtt.%'").get() as { n: number }).n;
      const logStart = h.logLines.length;

      for (let i = 0; i < COMMANDS; i++) {
        const verb = pick(["open", "disable", "enable", "ping", "ping", "open-all", "ping"]);
        const anyValue = () => (r() < 0.6 ? pick(NUMBERS) : pick(ODD));
        const cmd: Record<string, unknown> = { id: r() < 0.9 ? `p-${randomUUID().slice(0, 12)}` : anyValue(), ts: r() < 0.5 ? Math.floor(Date.now() / 1000) : anyValue() };
        if (verb !== "ping" || r() < 0.3) cmd.compartment = r() < 0.3 ? pick([1, 2, 3, 4, 5, 6]) : anyValue();
        if (r() < 0.7) cmd.reason = r() < 0.8 ? "property test" : anyValue();
        if (r() < 0.1) cmd[pick(["extra", "__proto__x", "COMPARTMENT"])] = anyValue();
        // Sign most with the real secret: they then reach the clock, window, compartment, ledger and locker checks.
        const signable = typeof cmd.id === "string" && (typeof cmd.ts === "number" || r() < 0.5);
        cmd.sig = signable && r() < 0.8 ? signCommand(secret, h.config.lockerId, verb, cmd as never) : pick(["0".repeat(64), "nope", 5, 1.5]);
        const payload = r() < 0.05 ? pick(["not json", "[]", "null", "1e300", '"text"']) : JSON.stringify(cmd);

        const answersBefore = results.length;
        const rowsBefore = auditRows();
        await office.publishAsync(`${base}/cmd/${verb}`, payload, { qos: 1 });
        await waitFor(() => results.length > answersBefore, `the answer to command ${i} (seed ${SEED}): ${payload}`, 15_000);
        const answer = results[results.length - 1]!;
        expect(validate["cmd-result"](answer), `cmd-result schema, seed ${SEED}, ${payload}`).toBe(true);
        // The door a signed open opened may still be settling; the audit row of the command is written before the answer.
        expect(auditRows() - rowsBefore, `audit rows for ${payload} (seed ${SEED})`).toBe(1);
        // Close any door that a valid open unlocked, so later opens are not refused as busy forever.
        for (const c of h.daemon.locker.compartments()) if (c.door === "open") h.sim.board(1).closeDoor(c.number);
      }
      await new Promise((res) => setTimeout(res, 500));
      expect(results).toHaveLength(COMMANDS);
      const tail = h.logLines.slice(logStart);
      expect(
        tail.filter((l) => l.includes('"stack"')),
        `seed ${SEED}`,
      ).toEqual([]);
      expect(
        tail.filter((l) => (JSON.parse(l) as { level: number }).level >= 50),
        `seed ${SEED}`,
      ).toEqual([]);
      await office.endAsync();
    },
  },
  180_000,
);
