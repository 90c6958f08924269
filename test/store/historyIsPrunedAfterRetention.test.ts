/**
 * Issue 9, item 11: delivered outbox rows, expired QR-token nonces and old
 * remote-command ids are pruned after their retention; unsent rows, dead
 * letters, cases and the audit trail are kept; rows a notify channel has not
 * passed yet are kept. Real SQLite with every migration.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/store/openDatabase.js";
import { pruneHistory } from "../../src/store/Retention.js";
import { createLogger } from "../../src/util/logger.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-29T12:00:00Z");
let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-retention-"));
  db = openDatabase(path.join(dir, "lockerd.sqlite"), createLogger({ level: "silent", pretty: false }));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const iso = (ms: number) => new Date(ms).toISOString();
function outboxRow(id: string, sentAgoDays: number | null, dead = false) {
  db.prepare("INSERT INTO outbox (id, type, event, created_at, sent_at, dead_at) VALUES (?, 'alarm', '{}', ?, ?, ?)").run(
    id,
    iso(NOW - 60 * DAY),
    sentAgoDays === null ? null : iso(NOW - sentAgoDays * DAY),
    dead ? iso(NOW - 50 * DAY) : null,
  );
}
const ids = (sql: string) => (db.prepare(sql).all() as Array<{ id: string }>).map((r) => r.id);

describe("history retention", () => {
  it("prunes delivered events after 30 days, expired token nonces after a day and command ids after two", () => {
    outboxRow("sent-40d", 40);
    outboxRow("sent-10d", 10);
    outboxRow("unsent-old", null);
    outboxRow("dead-old", null, true);
    const token = db.prepare("INSERT INTO qr_token_used (nonce, expires_ms, used_at) VALUES (?, ?, ?)");
    token.run("expired-2d", NOW - 2 * DAY, iso(NOW - 2 * DAY));
    token.run("expired-1h", NOW - 3_600_000, iso(NOW - 3_600_000));
    const cmd = db.prepare("INSERT INTO mqtt_command (id, name, received_ms) VALUES (?, 'open', ?)");
    cmd.run("cmd-3d", NOW - 3 * DAY);
    cmd.run("cmd-1h", NOW - 3_600_000);
    db.prepare("INSERT INTO audit (time, actor_kind, actor_id, via, action, outcome) VALUES (?, 'system', 'x', 'core', 'old', 'ok')").run(iso(NOW - 400 * DAY));

    expect(pruneHistory(db, NOW)).toEqual({ outbox: 1, tokens: 1, commands: 1 });
    expect(ids("SELECT id FROM outbox ORDER BY seq")).toEqual(["sent-10d", "unsent-old", "dead-old"]);
    expect((db.prepare("SELECT nonce AS id FROM qr_token_used").all() as Array<{ id: string }>).map((r) => r.id)).toEqual(["expired-1h"]);
    expect(ids("SELECT id FROM mqtt_command")).toEqual(["cmd-1h"]);
    expect((db.prepare("SELECT count(*) AS n FROM audit").get() as { n: number }).n).toBe(1);
    expect(pruneHistory(db, NOW)).toEqual({ outbox: 0, tokens: 0, commands: 0 });
  });

  it("keeps delivered rows a notify channel has not passed yet", () => {
    // The notify migration's table (004-notify), as NotifyCursorRepo writes it: the webhook has passed seq 1 only.
    outboxRow("a", 40);
    outboxRow("b", 40);
    db.prepare("INSERT INTO notify_cursor (channel, seq, created_at) VALUES ('webhook', 1, ?)").run(new Date(NOW).toISOString());
    expect(pruneHistory(db, NOW).outbox).toBe(1);
    expect(ids("SELECT id FROM outbox")).toEqual(["b"]);
  });
});
