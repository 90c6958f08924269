import http from "node:http";
import { afterEach, beforeEach, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/harness.js";

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => t.close());

it("sends security headers on pages, API answers and errors", async () => {
  for (const url of ["/kiosk", "/api/cases/none", "/staff", "/healthz"]) {
    const r = await t.app.inject({ url });
    expect(r.headers["content-security-policy"]).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["referrer-policy"]).toBe("no-referrer");
    expect(r.headers["x-frame-options"]).toBe("DENY");
  }
});

it("reports readiness from the health dependency and says what is wrong", async () => {
  expect((await t.app.inject({ url: "/readyz" })).json()).toMatchObject({ ready: true, mqtt: { ok: true, detail: "connected" } });
  t.health.mqtt.connected = false;
  t.health.mqtt.queueing = true;
  t.health.mqtt.outboxDepth = 7;
  const q = await t.app.inject({ url: "/readyz" });
  expect(q.statusCode).toBe(200);
  expect(q.json().mqtt.detail).toBe("queueing (7 waiting)");
  t.health.mqtt.outboxDepth = 150;
  t.health.mqtt.backlogAlarm = true;
  const backlog = await t.app.inject({ url: "/readyz" });
  expect(backlog.json().mqtt.detail).toBe("queueing (150 waiting); backlog alarm: 150 events waiting");
  expect((await t.app.inject({ url: "/metrics" })).body).toMatch(/^lockerd_outbox_backlog_alarm 1$/m);
  t.health.mqtt.backlogAlarm = false;
  t.health.board.online = false;
  const down = await t.app.inject({ url: "/readyz" });
  expect(down.statusCode).toBe(503);
  expect(down.json()).toMatchObject({ ready: false, board: { ok: false, detail: "lock board not answering" } });
  expect((await t.app.inject({ url: "/healthz" })).statusCode).toBe(200);
});

it("exposes Prometheus metrics: unlocks by outcome, door events, outbox depth, poll latency, event-loop lag", async () => {
  t.events.emit("doorPrompt", { compartment: 2, purpose: "pickup", phase: "open" });
  t.events.emit("doorPrompt", { compartment: 3, purpose: "pickup", phase: "fault" });
  t.events.emit("door", { compartment: 2, board: 1, channel: 2, state: "open", previous: "closed", commanded: true, atMonotonicMs: 1, atWallMs: 1 });
  t.health.mqtt.outboxDepth = 4;
  const r = await t.app.inject({ url: "/metrics" });
  expect(r.headers["content-type"]).toMatch(/text\/plain; version=0.0.4/);
  expect(r.body).toMatch(/^lockerd_unlocks_total\{outcome="ok"\} 1$/m);
  expect(r.body).toMatch(/^lockerd_unlocks_total\{outcome="fault"\} 1$/m);
  expect(r.body).toMatch(/^lockerd_door_events_total\{state="open",cause="commanded"\} 1$/m);
  expect(r.body).toMatch(/^lockerd_outbox_depth 4$/m);
  expect(r.body).toMatch(/^lockerd_poll_latency_seconds 0.012$/m);
  expect(r.body).toMatch(/^lockerd_event_loop_lag_seconds\{quantile="0.99"\} [0-9.e-]+$/m);
});

it("serves an OpenAPI document covering the JSON API", async () => {
  const doc = (await t.app.inject({ url: "/openapi.json" })).json();
  expect(doc.openapi).toMatch(/^3\./);
  for (const p of ["/api/dropoff", "/api/cases/{id}", "/api/pickup", "/kiosk/pickup", "/api/staff/session", "/api/staff/cases/{id}/collect", "/readyz", "/metrics"])
    expect(Object.keys(doc.paths)).toContain(p);
  expect(doc.paths["/api/dropoff"].post.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
});

it("rate-limits a client per minute with a JSON 429", async () => {
  await t.close();
  t = await buildTestApp((c) => (c.http.rateLimitPerMinute = 5));
  const codes: number[] = [];
  // A different phone each time, so only the HTTP rate limit can refuse.
  for (let i = 0; i < 5; i++) codes.push((await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone: `1380000000${i}`, pin: "111111" } })).statusCode);
  expect(codes.slice(0, 5).every((c) => c === 403)).toBe(true);
  const r = await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone: "13800000009", pin: "111111" } });
  expect(r.statusCode).toBe(429);
  expect(r.json()).toMatchObject({ code: 311, error: "Locker_Throttled" });
  expect(r.json().message).toMatch(/秒后再试/);
  // Another client is not affected.
  expect((await t.app.inject({ method: "POST", url: "/api/pickup", payload: { phone: "13800000008", pin: "111111" }, remoteAddress: "10.1.1.1" })).statusCode).toBe(403);
});

it("streams door prompts, QR rotations and board state to the kiosk over server-sent events", async () => {
  const base = await t.listenKiosk();
  const got: string[] = [];
  const req = http.get(`${base}/kiosk/events`);
  const res = await new Promise<http.IncomingMessage>((r) => req.on("response", r));
  expect(res.headers["content-type"]).toMatch(/text\/event-stream/);
  res.setEncoding("utf8");
  res.on("data", (c: string) => got.push(c));
  await waitUntil(() => got.join("").includes("retry:"));
  t.events.emit("doorPrompt", { compartment: 3, purpose: "dropoff", caseNumber: "A7", phase: "open" });
  t.events.emit("boardOffline", { reason: "no reply" });
  t.locker.rotate();
  await waitUntil(() => got.join("").includes("event: qr"));
  const text = got.join("");
  expect(text).toContain('event: prompt\ndata: {"compartment":3,"purpose":"dropoff","caseNumber":"A7","phase":"open"}');
  expect(text).toContain('event: board\ndata: {"online":false,"reason":"no reply"}');
  expect(text).toMatch(/event: qr\ndata: \{"url":"http:\/\/127.0.0.1:8080\/d\/tok\d+abcdef","svg":"<svg/);
  // Screens beyond the cap are refused with a JSON 429 instead of piling up.
  const extra: http.ClientRequest[] = [];
  for (let i = 1; i < 16; i++) {
    const r = http.get(`${base}/kiosk/events`);
    extra.push(r);
    await new Promise((ok) => r.on("response", ok));
  }
  const over = await fetch(`${base}/kiosk/events`);
  expect(over.status).toBe(429);
  expect((await over.json()).code).toBe(311);
  for (const r of [req, ...extra]) r.destroy();
});

async function waitUntil(f: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
