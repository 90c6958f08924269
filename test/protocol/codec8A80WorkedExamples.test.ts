import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Codec8A80, xorBcc, statusBytes } from "../../src/protocol/Codec8A80.js";
import type { BoardFrame, BoardRequest } from "../../src/protocol/BoardCodec.js";

const hexBytes = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const fixture = JSON.parse(readFileSync(new URL("../../hardware/fixtures/protocol-8a80-examples.json", import.meta.url), "utf8")) as {
  examples: { name: string; tx?: string; rx?: string; request: BoardRequest; reply?: Record<string, unknown> }[];
};

describe("protocol 8A/80 reproduces every worked example of reference A.5", () => {
  for (const ex of fixture.examples) {
    if (ex.tx) it(`encodes: ${ex.name}`, () => expect(Codec8A80.encode(ex.request).toString("hex")).toBe(hexBytes(ex.tx!).toString("hex")));
    if (ex.rx && ex.reply)
      it(`decodes: ${ex.name}`, () => {
        const r = Codec8A80.scan(hexBytes(ex.rx!), ex.request);
        expect(r.type).toBe("frame");
        if (r.type !== "frame") return;
        expect(r.skip).toBe(0);
        expect(r.length).toBe(hexBytes(ex.rx!).length);
        const f = r.frame;
        expect(f.kind).toBe(ex.reply!.kind);
        expect(Codec8A80.answers(ex.request, f)).toBe(true);
        if (f.kind === "queryAllReply") {
          expect(f.status.toString("hex")).toBe(hexBytes(ex.reply!.status as string).toString("hex"));
          const levels = Codec8A80.channelLevels(f, 8, "lastByteFirstChannels");
          expect(levels.flatMap((c, i) => (c ? [i + 1] : []))).toEqual(ex.reply!.closedChannels);
        } else if (f.kind !== "hostFrame") {
          expect({ board: f.board, channel: f.channel, feedbackClosed: f.feedbackClosed }).toEqual({
            board: ex.reply!.board,
            channel: ex.reply!.channel,
            feedbackClosed: ex.reply!.feedbackClosed,
          });
        }
      });
  }

  it("computes the BCC as the XOR of every byte before it (8A^01^01^11 = 9B)", () => {
    expect(xorBcc(Uint8Array.from([0x8a, 0x01, 0x01, 0x11]))).toBe(0x9b);
  });

  it("pins the three frames named in the issue", () => {
    const all = Codec8A80.scan(hexBytes("80 01 00 00 00 33 B2"), { kind: "queryAll", board: 1 });
    expect(all).toMatchObject({ type: "frame", length: 7, frame: { kind: "queryAllReply", board: 1 } });
    const door2 = Codec8A80.scan(hexBytes("80 01 00 00 02 33 B0"), { kind: "queryAll", board: 1 });
    if (door2.type !== "frame" || door2.frame.kind !== "queryAllReply") throw new Error("no frame");
    expect(Codec8A80.channelLevels(door2.frame, 8, "lastByteFirstChannels")).toEqual([false, true, false, false, false, false, false, false]);
    const ack = Codec8A80.scan(hexBytes("8A 01 01 00 8A"), { kind: "unlock", board: 1, channel: 1 });
    expect(ack).toMatchObject({ type: "frame", frame: { kind: "unlockReply", board: 1, channel: 1, feedbackClosed: false } });
  });
});

describe("protocol 8A/80 parses by structure, not by an expected length", () => {
  it("reads 3, 4 and 7 status bytes alike and honours the byte order", () => {
    for (const n of [3, 4, 7]) {
      const levels = Array.from({ length: n * 8 }, (_, i) => i === 0 || i === n * 8 - 1);
      for (const order of ["lastByteFirstChannels", "firstByteFirstChannels"] as const) {
        const status = statusBytes(levels, n, order);
        const frame = Buffer.from([0x80, 0x05, ...status, 0x33, 0]);
        frame[frame.length - 1] = xorBcc(frame, 0, frame.length - 1);
        const r = Codec8A80.scan(frame, { kind: "queryAll", board: 5 });
        if (r.type !== "frame" || r.frame.kind !== "queryAllReply") throw new Error(`no frame for n=${n}`);
        expect(r.length).toBe(n + 4);
        expect(Codec8A80.channelLevels(r.frame, n * 8, order)).toEqual(levels);
      }
    }
    // ch 1–8 in the byte just before 33 by default
    expect(statusBytes([true], 3, "lastByteFirstChannels").toString("hex")).toBe("000001");
    expect(statusBytes([true], 3, "firstByteFirstChannels").toString("hex")).toBe("010000");
  });

  it("recognises an unsolicited 82 push as a door event, never as a reply", () => {
    const push = Buffer.from([0x82, 0x01, 0x03, 0x00, 0]);
    push[4] = xorBcc(push, 0, 4);
    const r = Codec8A80.scan(push, { kind: "queryAll", board: 1 });
    expect(r).toMatchObject({ type: "frame", frame: { kind: "doorEvent", board: 1, channel: 3, feedbackClosed: false } });
    if (r.type === "frame") expect(Codec8A80.answers({ kind: "queryAll", board: 1 }, r.frame)).toBe(false);
  });

  it("recognises our own query frames coming back as host frames (echo)", () => {
    for (const req of [
      { kind: "queryAll", board: 1 },
      { kind: "query", board: 1, channel: 1 },
    ] as BoardRequest[]) {
      const r = Codec8A80.scan(Codec8A80.encode(req), req);
      expect(r).toMatchObject({ type: "frame", frame: { kind: "hostFrame", request: req } });
    }
  });

  it("reads the unlock echo as 'input still closed', the same bytes as the refusal reply", () => {
    const req: BoardRequest = { kind: "unlock", board: 1, channel: 1 };
    const r = Codec8A80.scan(Codec8A80.encode(req), req);
    const f = r.type === "frame" ? (r.frame as BoardFrame) : undefined;
    expect(f).toMatchObject({ kind: "unlockReply", feedbackClosed: true });
  });

  it("rejects addresses outside 1–31 with a clear message", () => {
    expect(() => Codec8A80.encode({ kind: "unlock", board: 0, channel: 1 })).toThrow(/board address 0 out of range 1–31/);
    expect(() => Codec8A80.encode({ kind: "query", board: 1, channel: 0 })).toThrow(/channel 0/);
  });

  it("decodes the host side the simulator receives", () => {
    const r = Codec8A80.scanHost(Buffer.from("ff00" + "8a01031199", "hex"));
    expect(r).toMatchObject({ type: "frame", skip: 2, frame: { kind: "hostFrame", request: { kind: "unlock", board: 1, channel: 3 } } });
  });
});
