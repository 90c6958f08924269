import type { Migration } from "../Migration.js";

/**
 * Owned by B (core, issue 3): compartments, cases, the append-only audit
 * trail, the event outbox, PIN throttling and used QR tokens.
 * Times are ISO strings for people and `*_ms` wall-clock integers for rules.
 */
export const m001_core: Migration = {
  version: 1,
  name: "core",
  up(db) {
    db.exec(`
      CREATE TABLE compartment (
        number        INTEGER PRIMARY KEY,
        status        TEXT NOT NULL CHECK (status IN ('free','reserved','holding','faulty','disabled')),
        case_id       TEXT REFERENCES locker_case(id),
        fault_reason  TEXT,
        updated_at    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE locker_case (
        id            TEXT PRIMARY KEY,
        number        TEXT NOT NULL,
        state         TEXT NOT NULL,
        matter        TEXT NOT NULL,
        phone         TEXT,
        phone_masked  TEXT NOT NULL,
        name          TEXT,
        note          TEXT,
        pin_hash      TEXT,
        compartment   INTEGER,
        -- door operation in progress: dropoff | staff-collect | staff-return | pickup
        pending_op    TEXT,
        -- reserved | unlocked | opened (how far the door cycle got; used by reconciliation)
        pending_phase TEXT,
        failed_pins   INTEGER NOT NULL DEFAULT 0,
        overdue       INTEGER NOT NULL DEFAULT 0,
        overdue_last_ms INTEGER,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        ready_at      TEXT,
        ready_ms      INTEGER,
        closed_at     TEXT,
        closed_ms     INTEGER,
        purged_at     TEXT
      ) STRICT;
      CREATE INDEX locker_case_by_phone ON locker_case (phone, state);
      CREATE INDEX locker_case_by_state ON locker_case (state);
      CREATE INDEX locker_case_by_number ON locker_case (number);

      CREATE TABLE audit (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        time          TEXT NOT NULL,
        actor_kind    TEXT NOT NULL,
        actor_id      TEXT NOT NULL,
        actor_name    TEXT,
        via           TEXT NOT NULL,
        action        TEXT NOT NULL,
        case_id       TEXT,
        compartment   INTEGER,
        outcome       TEXT NOT NULL CHECK (outcome IN ('ok','refused','failed')),
        reason        TEXT,
        detail        TEXT
      ) STRICT;
      CREATE INDEX audit_by_case ON audit (case_id);
      CREATE INDEX audit_by_time ON audit (time);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

      CREATE TABLE outbox (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        id            TEXT NOT NULL UNIQUE,
        type          TEXT NOT NULL,
        event         TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        sent_at       TEXT
      ) STRICT;
      CREATE INDEX outbox_unsent ON outbox (sent_at, seq);

      -- scope: phone | case | client; key: keyed hash of the phone, case id, or client id
      CREATE TABLE pin_throttle (
        scope           TEXT NOT NULL,
        key             TEXT NOT NULL,
        failures        INTEGER NOT NULL DEFAULT 0,
        locked_until_ms INTEGER NOT NULL DEFAULT 0,
        last_failure_ms INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, key)
      ) STRICT;

      CREATE TABLE pin_failure (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        client    TEXT NOT NULL,
        at_ms     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX pin_failure_by_client ON pin_failure (client, at_ms);

      CREATE TABLE qr_token_used (
        nonce       TEXT PRIMARY KEY,
        expires_ms  INTEGER NOT NULL,
        used_at     TEXT NOT NULL,
        case_id     TEXT
      ) STRICT;

      CREATE TABLE counter (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
