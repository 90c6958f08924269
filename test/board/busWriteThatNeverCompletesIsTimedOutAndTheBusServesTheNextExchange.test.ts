/**
 * Issue 10, must-show 4: a write the transport never reports done (stuck
 * driver, hardware flow control) must not hold the half-duplex bus until the
 * watchdog. The fake transport is the one part that cannot be made to stall
 * on demand with a real pty; the bus, codec and decoder are the real ones.
 */
import { describe, expect, it } from "vitest";
import { EventEmitter } from "node:events";
import { BoardBus } from "../../src/board/BoardBus.js";
import type { Transport, TransportEvents } from "../../src/board/Transport.js";
import { Codec8A80 } from "../../src/protocol/Codec8A80.js";
import { ErrorCode } from "../../src/errors/LockerError.js";

/** The first `stuck` writes never complete and reach nobody; later ones are answered like a board would. */
class StallingTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description = "stalling fake";
  writes = 0;
  flushes = 0;
  constructor(private stuck: number) {
    super();
  }
  async open() {}
  async close() {}
  async flush() {
    this.flushes++;
  }
  write(bytes: Buffer): Promise<void> {
    this.writes++;
    if (this.stuck-- > 0) return new Promise(() => undefined);
    // query-all of board 1 → 3 status bytes, channel 2 input closed
    if (bytes.equals(Buffer.from("80010033b2", "hex"))) setImmediate(() => this.emit("data", Buffer.from("800100000233b0", "hex")));
    return Promise.resolve();
  }
}

describe("BoardBus with a write that never completes", () => {
  it("a bus write that never completes is timed out and the bus goes on serving the next exchange", async () => {
    const t = new StallingTransport(1);
    const bus = new BoardBus(t, Codec8A80, { settleMs: 10, interFrameGapMs: 0 });
    const started = performance.now();
    const first = bus.request({ kind: "queryAll", board: 1 }, 150);
    // queued behind the stuck one: it must get its turn once the stuck exchange timed out
    const second = bus.request({ kind: "queryAll", board: 1 }, 150);
    await expect(first).rejects.toMatchObject({ code: ErrorCode.Board_NoReply, context: { stage: "write", board: 1 } });
    expect(performance.now() - started).toBeLessThan(1000);
    const reply = await second;
    expect(reply.kind).toBe("queryAllReply");
    expect(reply.bytes.toString("hex")).toBe("800100000233b0");
    expect(t.writes).toBe(2);
    expect(t.flushes).toBeGreaterThanOrEqual(1); // recovery dropped whatever was pending
    // and the bus keeps serving
    expect((await bus.request({ kind: "queryAll", board: 1 }, 150)).kind).toBe("queryAllReply");
  });
});
