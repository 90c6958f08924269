/**
 * The voice routes: the clip list the pages compose from (with the kiosk
 * volume from config), each clip's audio (only clip names, never other
 * files), and the kiosk's failure report, taken only from the locker's own
 * screen and logged with pino.
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { buildTestApp, type TestApp } from "./support/buildTestApp.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp((c) => (c.kiosk.voice.volume = 35));
});
afterAll(async () => t.close());

it("serves the clip list: templates of clip ids and placeholders, and the kiosk volume", async () => {
  const r = await t.app.inject({ url: "/voice/clips.json" });
  expect(r.statusCode).toBe(200);
  const body = r.json() as { kioskVolume: number; langs: Record<string, Record<string, unknown[]>> };
  expect(body.kioskVolume).toBeCloseTo(0.35);
  expect(body.langs["zh-CN"]!.doorOpen).toEqual([{ v: "door" }, "doorOpen"]);
  expect(body.langs.en!.doorPut).toEqual(["doorPut.1", { v: "door" }, "doorPut.2"]);
  expect(Object.keys(body.langs).sort()).toEqual(["en", "zh-CN", "zh-TW"]);
});

it("serves a clip's audio, and nothing that is not a clip", async () => {
  const r = await t.app.inject({ url: "/voice/zh-CN/num.3" });
  expect(r.statusCode).toBe(200);
  expect(r.headers["content-type"]).toBe("audio/ogg");
  expect(Buffer.compare(r.rawPayload, fs.readFileSync("src/http/public/voice/zh-CN/num.3.ogg"))).toBe(0);
  for (const bad of ["/voice/zh-CN/nope", "/voice/zh-CN/..%2Fclips.json", "/voice/..%2F..%2Fconfig/defaults", "/voice/zh-CN/.hidden", "/voice/xx/num.3"]) {
    const b = await t.app.inject({ url: bad });
    expect([400, 404], bad).toContain(b.statusCode);
    expect(b.json().code, bad).toBe(ErrorCode.Locker_InvalidInput);
  }
});

it("logs a failure the kiosk screen reports; refuses one from anywhere else; validates the body", async () => {
  // The locker's screen is whoever comes in on the kiosk listener (not a peer address).
  const kiosk = t.kioskUrl || (await t.listenKiosk());
  const post = (body: unknown) => fetch(`${kiosk}/kiosk/voice-failure`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const ok = await post({ clip: "zh-CN/sayIdle", reason: "NotAllowedError: play() failed", keys: ["sayIdle"] });
  expect(ok.status).toBe(204);
  const line = t.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "kiosk could not play a spoken prompt");
  expect(line).toMatchObject({ level: 40, ns: "voice", clip: "zh-CN/sayIdle", reason: "NotAllowedError: play() failed", keys: ["sayIdle"] });

  const far = await t.app.inject({ method: "POST", url: "/kiosk/voice-failure", headers: { "x-forwarded-for": "10.0.0.9" }, payload: { clip: "zh-CN/sayIdle", reason: "x" } });
  expect(far.statusCode).toBe(403);
  expect(far.json().code).toBe(ErrorCode.Locker_CommandRefused);
  const bad = await post({ clip: "x".repeat(500), reason: "x" });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { code: number }).code).toBe(ErrorCode.Locker_InvalidInput);
});
