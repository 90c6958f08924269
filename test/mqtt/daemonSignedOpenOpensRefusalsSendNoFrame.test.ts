/**
 * Must-show 3 on the real daemon over the board simulator: a valid signed
 * open opens the door and answers ok; a bad signature, a stale timestamp, a
 * replayed id, an unknown compartment and an open over the cap are each
 * refused with a reason, are in the audit trail, and the simulator received
 * no unlock frame for any of them.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import mqtt from "mqtt";
import { describe, expect } from "vitest";
import { signCommand } from "../../src/mqtt/commandSigning.js";
import { mqttValidators } from "../../src/mqtt/schemas.js";
import type { CommandResult, SignedCommand } from "../../src/mqtt/topics.js";
import { waitFor } from "../support/waitFor.js";
import { lockerTest, TEST_OFFICE } from "../support/harness.js";
import { unlockFrames } from "./helpers/daemonDriving.js";
import { subscribe } from "./helpers/subscriber.js";

const v = mqttValidators();

describe("signed commands on the real daemon", () => {
  lockerTest(
    "valid open opens the door; every refusal is answered, audited, and puts no frame on the line",
    {
      config: { mqtt: { commands: { windowSeconds: 120, maxOpensPerHour: 1 } } },
      testBody: async (h) => {
        const base = `lockers/${h.config.lockerId}`;
        const secret = fs.readFileSync(path.join(h.config.dataDir, "mqtt-command-secret"), "utf8").trim();
        const results = await subscribe(h.mqttUrl, `${base}/cmd-result`, 4);
        const pub = await mqtt.connectAsync(h.mqttUrl, { protocolVersion: 4, ...TEST_OFFICE });
        try {
          await waitFor(() => h.daemon.mqtt.status().connected, "daemon connected", 20_000);
          const sign = (name: string, f: Partial<SignedCommand>, key = secret): SignedCommand => {
            const body = { id: `cmd-${randomUUID()}`, ts: Math.floor(Date.now() / 1000), ...f };
            return { ...body, sig: signCommand(key, h.config.lockerId, name, body) } as SignedCommand;
          };
          const send = async (cmd: SignedCommand): Promise<CommandResult> => {
            const seen = results.messages.length;
            await pub.publishAsync(`${base}/cmd/open`, JSON.stringify(cmd), { qos: 1 });
            const got = await results.waitFor((m) => m.slice(seen).some((x) => JSON.parse(x.payload).id === cmd.id), 20_000);
            const r = JSON.parse(got.slice(seen).find((x) => JSON.parse(x.payload).id === cmd.id)!.payload) as CommandResult;
            expect(v["cmd-result"](r), v.errorsText(v["cmd-result"])).toBe(true);
            return r;
          };

          const framesBefore = unlockFrames(h);
          const good = sign("open", { compartment: 4, reason: "back office: collect pouch" });
          expect(await send(good)).toMatchObject({ id: good.id, status: "ok", data: { compartment: 4 } });
          await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === 4)?.door === "open", "door 4 open", 15_000);
          expect(unlockFrames(h)).toBeGreaterThan(framesBefore);
          h.sim.board(1).closeDoor(4);
          await waitFor(() => h.daemon.locker.compartments().find((c) => c.number === 4)?.door === "closed", "door 4 closed", 15_000);

          const frames = unlockFrames(h);
          const refusals: Array<[string, SignedCommand]> = [
            ["bad-signature", sign("open", { compartment: 2, reason: "r" }, "a-wrong-secret-a-wrong-secret-000")],
            ["stale-timestamp", sign("open", { compartment: 2, reason: "r", ts: Math.floor(Date.now() / 1000) - 3600 })],
            ["replayed-id", good],
            ["unknown-compartment", sign("open", { compartment: 42, reason: "r" })],
            ["open-cap-reached", sign("open", { compartment: 2, reason: "second open this hour (cap 1)" })],
          ];
          for (const [reason, cmd] of refusals) {
            const r = await send(cmd);
            expect(r, reason).toMatchObject({ id: cmd.id, status: "refused", reason });
            expect(r.message).toBeTruthy();
          }
          // Give a wrongly sent frame time to show up on the simulator before asserting none came.
          await new Promise((r) => setTimeout(r, 500));
          expect(unlockFrames(h)).toBe(frames);
          const audit = h.daemon.locker.audit({ limit: 1000 }).filter((a) => a.via === "mqtt" && a.outcome === "refused");
          for (const [reason, cmd] of refusals) {
            expect(
              audit.some((a) => a.actorId === cmd.id && (a.reason ?? "").startsWith(reason)),
              `audit for ${reason}`,
            ).toBe(true);
          }
        } finally {
          await pub.endAsync();
          await results.close();
        }
      },
    },
    90_000,
  );
});
