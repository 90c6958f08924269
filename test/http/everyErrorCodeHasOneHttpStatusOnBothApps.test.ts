import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeRange, ErrorCode, LockerError } from "../../src/errors/LockerError.js";
import { buildAdminApp } from "../../src/http/buildAdminApp.js";
import { toHttpError } from "../../src/http/httpErrors.js";
import { HTTP_STATUS, httpStatusFor } from "../../src/http/httpStatus.js";

/** Every numeric member of the enum (TypeScript enums also map names back). */
const CODES = Object.values(ErrorCode).filter((v): v is ErrorCode => typeof v === "number");

describe("one error-code → HTTP status table", () => {
  it("has a status for every ErrorCode, and nothing else", () => {
    expect(CODES.length).toBeGreaterThan(30);
    for (const code of CODES) expect(HTTP_STATUS[code], ErrorCode[code]).toBeGreaterThanOrEqual(400);
    expect(Object.keys(HTTP_STATUS).map(Number).sort()).toEqual([...CODES].sort());
  });

  it("answers 4xx only for what the client can change, 503 when the locker cannot act (a disk refusing writes too), 500 for our broken storage", () => {
    for (const code of CODES) {
      const name = ErrorCode[code];
      const s = httpStatusFor(code);
      const range = codeRange(code);
      expect(range, name).not.toBe("unknown");
      if (range === "frame" || range === "board" || range === "config") expect(s, name).toBe(503);
      else if (code === ErrorCode.Store_Unwritable) expect(s, name).toBe(503);
      else if (range === "store") expect(s, name).toBe(500);
      else if (code === ErrorCode.Locker_ClockUnsynced) expect(s, name).toBe(503);
      else expect(s >= 400 && s < 500, `${name} → ${s}`).toBe(true);
    }
    // The two tables that used to exist disagreed here (public 409, admin 400): a busy door is worth a retry.
    expect(httpStatusFor(ErrorCode.Locker_Busy)).toBe(409);
    expect(httpStatusFor(ErrorCode.Locker_CompartmentUnavailable)).toBe(409);
  });

  it("the public app's answers use the table for every code, with a message for a person", () => {
    for (const code of CODES) {
      const { status, body } = toHttpError(new LockerError(`core says ${code}`, code));
      expect(status, ErrorCode[code]).toBe(HTTP_STATUS[code]);
      expect(body).toMatchObject({ code, error: ErrorCode[code] });
      expect(body.message.length).toBeGreaterThan(0);
      // A 5xx never shows the core's own (English, internal) text to a resident.
      if (status >= 500) expect(body.message).not.toContain("core says");
    }
  });

  describe("the admin socket", () => {
    let dir: string;
    let app: FastifyInstance;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-status-"));
      const thrower: FastifyPluginAsync = async (a) => {
        a.get<{ Params: { code: string } }>("/admin/throw/:code", async (req) => {
          throw new LockerError("thrown by the test", Number(req.params.code) as ErrorCode, { why: "test" });
        });
      };
      app = await buildAdminApp({ socketPath: path.join(dir, "admin.sock"), log: pino({ level: "silent" }), routes: [thrower] });
    });
    afterAll(async () => {
      await app?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("answers every code with the same status as the public app, and the code in the body", async () => {
      for (const code of CODES) {
        const r = await app.inject({ url: `/admin/throw/${code}` });
        expect(r.statusCode, ErrorCode[code]).toBe(toHttpError(new LockerError("x", code)).status);
        expect(r.json()).toMatchObject({ code, error: ErrorCode[code], context: { why: "test" } });
      }
    });
  });
});
