import { describe, expect, it } from "vitest";
import { EventEmitter } from "node:events";
import { BoardBus } from "../../src/board/BoardBus.js";
import type { Transport, TransportEvents } from "../../src/board/Transport.js";
import { Codec8A80 } from "../../src/protocol/Codec8A80.js";

/** Pure-code fake: the board answers at once, but the OS reports the write done only 60 ms later. */
class SlowWriteTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description = "fake";
  async open() {}
  async flush() {}
  async close() {}
  write(bytes: Buffer): Promise<void> {
    const reply = bytes[0] === 0x80 && bytes[2] === 0 ? Buffer.from("80010000ff334d", "hex") : Buffer.alloc(0);
    setImmediate(() => this.emit("data", reply));
    return new Promise((r) => setTimeout(r, 60));
  }
}

describe("BoardBus arms its timeout only for an exchange still waiting", () => {
  it("a late write callback of a finished exchange does not time out the next one", async () => {
    const bus = new BoardBus(new SlowWriteTransport(), Codec8A80, { settleMs: 0, interFrameGapMs: 0 });
    // back-to-back exchanges for 300 ms: stale timers of finished exchanges fire while later ones wait
    const end = performance.now() + 300;
    let n = 0;
    while (performance.now() < end) {
      expect((await bus.request({ kind: "queryAll", board: 1 }, 40)).kind).toBe("queryAllReply");
      n++;
    }
    expect(n).toBeGreaterThan(10);
  });
});
