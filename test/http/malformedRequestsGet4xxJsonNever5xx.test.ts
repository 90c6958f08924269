/**
 * Over a real loopback socket: hundreds of malformed requests spread over
 * every public route each get a 4xx with a JSON `{code, error, message}`,
 * never a 5xx, and the server keeps answering.
 */
import net from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/harness.js";
import { sendMalformed } from "./support/malformedRequests.js";

let t: TestApp;
let cookie = "";
beforeAll(async () => {
  t = await buildTestApp();
  await t.listen();
  const { code } = await t.staff.add("测试员");
  const r = await fetch(`${t.baseUrl}/api/staff/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
  cookie = r.headers.get("set-cookie")!.split(";")[0]!;
  t.locker.seedCase("13900001111", "752913", "ready", 4);
});
afterAll(async () => t.close());

it("answers at least 200 malformed requests over every route with a 4xx JSON message, never a 5xx", async () => {
  const { sent, failures } = await sendMalformed(t.baseUrl, cookie);
  expect(sent).toBeGreaterThanOrEqual(200);
  expect(failures).toEqual([]);
  const health = await fetch(`${t.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(t.logLines.join("\n")).not.toMatch(/"level":50/);
}, 120_000);

it("survives garbage that is not HTTP at all and keeps serving", async () => {
  const { port } = new URL(t.baseUrl);
  for (const junk of ["\x16\x03\x01\x00\xa5", "GET / HTTP/9.9\r\n\r\n", "POST /api/pickup HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n{", "\r\n\r\n\r\n"]) {
    await new Promise<void>((resolve) => {
      const s = net.connect(Number(port), "127.0.0.1", () => s.end(junk));
      s.on("data", () => {});
      s.on("close", () => resolve());
      s.on("error", () => resolve());
    });
  }
  const r = await fetch(`${t.baseUrl}/healthz`);
  expect(r.status).toBe(200);
});
