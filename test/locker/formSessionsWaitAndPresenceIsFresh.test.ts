/**
 * Form sessions and proof of presence, on a clock under test control:
 * opening the link claims the token (single use, the kiosk QR rotates); the
 * form lives rules.formSessionMs while the proof of presence lives only
 * rules.presenceMs after the kiosk minted the token; a back office's link is
 * a proof while fresh and unused; refusals are audited once a minute per
 * client and never reach the PIN check.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { ErrorCode } from "../../src/errors/LockerError.js";
import { DomainEvents } from "../../src/locker/events.js";
import { FormSessions } from "../../src/locker/FormSessions.js";
import type { Actor } from "../../src/locker/LockerApi.js";
import { PresenceGate } from "../../src/locker/PresenceGate.js";
import { QrLink } from "../../src/locker/QrLink.js";
import { QrTokens } from "../../src/locker/QrTokens.js";
import { loadOrCreateDeviceSecret } from "../../src/locker/deviceSecret.js";
import { openDatabase } from "../../src/store/openDatabase.js";
import { QrTokenRepo } from "../../src/store/QrTokenRepo.js";
import { ManualClock } from "../../src/util/clock.js";

const MIN = 60_000;

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-session-"));
  const db = openDatabase(path.join(dir, "l.sqlite"), pino({ level: "silent" }));
  const config = defaultConfig();
  config.lockerId = "locker-a";
  const clock = new ManualClock();
  const tokens = new QrTokens(new QrTokenRepo(db), loadOrCreateDeviceSecret(path.join(dir, "device-secret")), "locker-a", clock, config.rules.tokenTtlMs);
  const qr = new QrLink(tokens, config, clock, new DomainEvents());
  const sessions = new FormSessions(qr, config, clock);
  const audits: Array<{ actor: Actor; reason: string; detail: Record<string, unknown> }> = [];
  const gate = new PresenceGate(
    sessions,
    qr,
    clock,
    (actor, reason, detail) => audits.push({ actor, reason, detail }),
    () => {},
  );
  return { config, clock, qr, tokens, sessions, gate, audits };
}

const WEB: Actor = { kind: "resident", id: "web", via: "web", client: "10.0.0.7" };

describe("form sessions", () => {
  it("claim the scanned token, rotate the kiosk's QR, and last formSessionMs (15 min) while the token itself lasts 2", () => {
    const { qr, tokens, sessions, clock, config } = setup();
    const link = qr.current();
    const s = sessions.open(link.url);
    expect(s.remainingMs).toBe(config.rules.formSessionMs);
    expect(() => tokens.verify(link.token)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenUsed }));
    expect(qr.current().token).not.toBe(link.token);
    expect(() => sessions.open(link.url)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_TokenUsed }));

    clock.advance(5 * MIN);
    expect(sessions.get(s.session).remainingMs).toBe(10 * MIN);
    expect(() => tokens.verify(qr.current().token)).not.toThrow();
    clock.advance(10 * MIN - 1);
    expect(() => sessions.requireLive(s.session)).not.toThrow();
    clock.advance(2);
    expect(() => sessions.requireLive(s.session)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_FormSessionExpired }));
    expect(() => sessions.get("no-such-session-id")).toThrow(expect.objectContaining({ code: ErrorCode.Locker_FormSessionExpired }));
  });
});

describe("proof of presence", () => {
  it("a session proves presence for presenceMs after the kiosk minted its token, then no more (the form still lives)", () => {
    const { qr, sessions, gate, clock, config } = setup();
    const s = sessions.open(qr.current().url);
    expect(s.presenceRemainingMs).toBe(config.rules.presenceMs);
    expect(() => gate.admit(WEB, { kind: "session", session: s.session })).not.toThrow();
    clock.advance(config.rules.presenceMs + 1);
    expect(() => gate.admit(WEB, { kind: "session", session: s.session })).toThrow(expect.objectContaining({ code: ErrorCode.Locker_PresenceRequired }));
    expect(() => sessions.requireLive(s.session)).not.toThrow();
  });

  it("phone + PIN alone are refused unless the actor is the kiosk; refusals are audited once a minute per client", () => {
    const { gate, audits, clock } = setup();
    expect(() => gate.admit({ ...WEB, via: "kiosk" }, undefined)).not.toThrow();
    expect(() => gate.admit(WEB, { kind: "kiosk" })).not.toThrow();
    for (let i = 0; i < 5; i++) expect(() => gate.admit(WEB, undefined)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_PresenceRequired }));
    expect(() => gate.admit({ ...WEB, client: "10.0.0.8" }, undefined)).toThrow();
    expect(audits.map((a) => a.actor.client)).toEqual(["10.0.0.7", "10.0.0.8"]);
    expect(audits[0]).toMatchObject({ reason: expect.stringMatching(/^no proof of presence/), detail: { presence: "none" } });
    clock.advance(60_001);
    expect(() => gate.admit(WEB, undefined)).toThrow();
    expect(audits).toHaveLength(3);
  });

  it("a back office's link proves presence while fresh and unused; once a door opened it is used up and the QR rotates", () => {
    const { qr, gate, clock, config } = setup();
    const link = qr.current();
    const used = gate.admit({ ...WEB, via: "backoffice" }, { kind: "link", link: link.url });
    used();
    expect(qr.current().token).not.toBe(link.token);
    expect(() => gate.admit({ ...WEB, via: "backoffice" }, { kind: "link", link: link.url })).toThrow(
      expect.objectContaining({ code: ErrorCode.Locker_PresenceRequired, message: expect.stringMatching(/already used/) }),
    );
    const stale = qr.current();
    clock.advance(config.rules.tokenTtlMs + 1);
    expect(() => gate.admit({ ...WEB, via: "backoffice" }, { kind: "link", link: stale.url })).toThrow(expect.objectContaining({ code: ErrorCode.Locker_PresenceRequired }));
    expect(() => gate.admit({ ...WEB, via: "backoffice" }, { kind: "link", link: "https://x.example/d/not.a.token.at-all" })).toThrow(
      expect.objectContaining({ code: ErrorCode.Locker_PresenceRequired }),
    );
  });
});
