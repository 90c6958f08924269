import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { CodecKerong, encodeKerongBusStatus, encodeKerongStatus, sum8 } from "../../src/protocol/CodecKerong.js";
import { FrameDecoder } from "../../src/protocol/FrameDecoder.js";
import type { BoardFrame, BoardRequest } from "../../src/protocol/BoardCodec.js";
import { codecFor, DEFAULT_BAUD } from "../../src/protocol/index.js";

const hexBytes = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const fixture = JSON.parse(readFileSync(new URL("../../hardware/fixtures/protocol-kerong-examples.json", import.meta.url), "utf8")) as {
  examples: { name: string; tx?: string; rx?: string; request: BoardRequest; reply?: { kind: string; board: number; status: string; hookSet: number[]; itemsIn: number[] } }[];
};
const on = (levels: boolean[]) => levels.flatMap((x, i) => (x ? [i + 1] : []));

describe("Kerong KR-CU reproduces every worked example of reference B", () => {
  for (const ex of fixture.examples) {
    if (ex.tx) it(`encodes: ${ex.name}`, () => expect(CodecKerong.encode(ex.request).toString("hex")).toBe(hexBytes(ex.tx!).toString("hex")));
    if (ex.tx)
      it(`a board reads it back: ${ex.name}`, () => {
        const r = CodecKerong.scanHost(hexBytes(ex.tx!));
        expect(r).toMatchObject({ type: "frame", skip: 0, length: 5, frame: { kind: "hostFrame", request: ex.request } });
      });
    if (ex.rx && ex.reply)
      it(`decodes: ${ex.name}`, () => {
        const r = CodecKerong.scan(hexBytes(ex.rx!), ex.request);
        expect(r).toMatchObject({ type: "frame", skip: 0, length: 9 });
        if (r.type !== "frame" || r.frame.kind !== "queryAllReply") throw new Error(`not a status reply: ${JSON.stringify(r)}`);
        expect(r.frame.board).toBe(ex.reply!.board);
        expect(r.frame.status.toString("hex")).toBe(hexBytes(ex.reply!.status).toString("hex"));
        expect(CodecKerong.answers(ex.request, r.frame)).toBe(true);
        expect(on(CodecKerong.channelLevels(r.frame, 16, "lastByteFirstChannels"))).toEqual(ex.reply!.hookSet);
        expect(on(CodecKerong.itemLevels!(r.frame, 16))).toEqual(ex.reply!.itemsIn);
        // the simulator side builds the same bytes from the same bits
        const hooks = Array.from({ length: 16 }, (_, i) => ex.reply!.hookSet.includes(i + 1));
        const items = Array.from({ length: 16 }, (_, i) => ex.reply!.itemsIn.includes(i + 1));
        expect(encodeKerongStatus(ex.reply!.board, hooks, items).toString("hex")).toBe(hexBytes(ex.rx!).toString("hex"));
      });
  }

  it("sums every byte before the checksum, STX and ETX included (02+00+31+03 = 36)", () => {
    expect(sum8(Uint8Array.from([0x02, 0x00, 0x31, 0x03]))).toBe(0x36);
    // reference B.5 source error: xaleel's `02 10 30 03 3E` is wrong, the sum is 45
    expect(sum8(hexBytes("02 10 30 03"))).toBe(0x45);
    expect(CodecKerong.scanHost(hexBytes("02 10 30 03 3e"))).toEqual({ type: "incomplete", skip: 5 });
  });

  it("asks every board at once with 02 F0 32 03 27", () => {
    expect(encodeKerongBusStatus().toString("hex")).toBe("02f0320327");
  });

  it("answers a one-lock query from the status frame (the board has no per-lock query)", () => {
    expect(CodecKerong.encode({ kind: "query", board: 0, channel: 3 }).toString("hex")).toBe("0200300335");
    const req: BoardRequest = { kind: "query", board: 0, channel: 3 };
    const r = CodecKerong.scan(hexBytes("02 00 35 fb ff 01 80 03 b5"), req);
    expect(r).toMatchObject({ type: "frame", frame: { kind: "queryReply", board: 0, channel: 3, feedbackClosed: false } });
    if (r.type === "frame") expect(CodecKerong.answers(req, r.frame)).toBe(true);
    const r2 = CodecKerong.scan(hexBytes("02 00 35 fb ff 01 80 03 b5"), { kind: "query", board: 0, channel: 4 });
    expect(r2).toMatchObject({ type: "frame", frame: { kind: "queryReply", channel: 4, feedbackClosed: true } });
  });

  it("never expects a reply to an unlock, and nothing answers one", () => {
    expect(CodecKerong.unlockReplies).toBe(false);
    const status = CodecKerong.scan(hexBytes("02 00 35 ff ff 00 00 03 38"));
    if (status.type !== "frame") throw new Error("no frame");
    expect(CodecKerong.answers({ kind: "unlock", board: 0, channel: 1 }, status.frame)).toBe(false);
  });

  it("refuses ids and locks outside the board's range instead of sending wrong bytes", () => {
    expect(() => CodecKerong.encode({ kind: "unlock", board: 16, channel: 1 })).toThrow(RangeError);
    expect(() => CodecKerong.encode({ kind: "unlock", board: 0, channel: 17 })).toThrow(RangeError);
    expect(() => CodecKerong.encode({ kind: "unlock", board: 0, channel: 0 })).toThrow(RangeError);
  });

  it("resynchronises past garbage and a bad checksum, takes an echo as our own frame, and reports every discarded byte", () => {
    const frames: BoardFrame[] = [];
    const discarded: string[] = [];
    const d = new FrameDecoder(CodecKerong, { frame: (f) => frames.push(f), discard: (b) => discarded.push(b.toString("hex")) });
    d.expect = { kind: "queryAll", board: 0 };
    // garbage (stale RX, "STX=FB" in CartWise's notes), a status frame with a broken sum, our echo, then the reply split in two
    d.push(hexBytes("fb fd 99"));
    d.push(hexBytes("02 00 35 ff ff 00 00 03 39"));
    d.push(hexBytes("02 00 30 03 35 02 00 35 fb"));
    d.push(hexBytes("ff 01 80 03 b5"));
    expect(frames.map((f) => f.kind)).toEqual(["hostFrame", "queryAllReply"]);
    expect(frames[1]!.bytes.toString("hex")).toBe("020035fbff018003b5");
    expect(discarded.join("")).toBe("fbfd99" + "020035ffff00000339");
  });

  it("is picked by bus.protocol, with 19200 baud as its factory line speed", () => {
    expect(codecFor("kerong")).toBe(CodecKerong);
    expect(DEFAULT_BAUD.kerong).toBe(19200);
    expect(DEFAULT_BAUD["8a80"]).toBe(9600);
    expect(() => codecFor("wkly")).toThrow(/known: 8a80, kerong/);
  });
});
