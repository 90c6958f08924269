import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import pino from "pino";
import { openDatabase } from "../../src/store/openDatabase.js";
import { AuditLog } from "../../src/store/AuditLog.js";
import { Outbox } from "../../src/store/Outbox.js";

describe("audit trail and outbox", () => {
  const db = openDatabase(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-audit-")), "l.sqlite"), pino({ level: "silent" }));
  const audit = new AuditLog(db);

  it("audit rows can be appended and read but never changed or deleted, not even with raw SQL", () => {
    const seq = audit.append(new Date().toISOString(), { kind: "staff", id: "s1", via: "staff-page" }, "staff-open", "ok", { compartment: 2, reason: "check" });
    expect(audit.query({})).toMatchObject([{ seq, action: "staff-open", compartment: 2, outcome: "ok" }]);
    expect(() => db.prepare("UPDATE audit SET outcome = 'failed'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit").run()).toThrow(/append-only/);
    expect(audit.query({}).length).toBe(1);
  });

  it("the outbox hands out unsent events in order and forgets none when marked", () => {
    const ob = new Outbox(db);
    const ev = (i: number) => ({ id: `e${i}`, type: "alarm" as const, time: new Date().toISOString(), clockTrusted: true, lockerId: "t" });
    for (let i = 0; i < 5; i++) ob.append(ev(i));
    const p = ob.pending(3);
    expect(p.map((e) => e.event.id)).toEqual(["e0", "e1", "e2"]);
    ob.markSent(p[0]!.seq);
    expect(ob.depth()).toBe(4);
    expect(ob.pending(10).map((e) => e.event.id)).toEqual(["e1", "e2", "e3", "e4"]);
    expect(ob.all().length).toBe(5);
  });
});
