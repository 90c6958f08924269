import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { FrameDecoder } from "../../src/protocol/FrameDecoder.js";
import { Codec8A80 } from "../../src/protocol/Codec8A80.js";
import type { BoardFrame, BoardRequest } from "../../src/protocol/BoardCodec.js";

const h = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

function harness(expect?: BoardRequest) {
  const frames: BoardFrame[] = [];
  const discarded: string[] = [];
  const d = new FrameDecoder(Codec8A80, { frame: (f) => frames.push(f), discard: (b) => discarded.push(b.toString("hex")) });
  d.expect = expect;
  return { d, frames, discarded };
}

describe("FrameDecoder resynchronises past garbage and reports what it discards", () => {
  it("skips leading garbage (FA FD 99 99, reference A.7-5) and reports it", () => {
    const { d, frames, discarded } = harness({ kind: "queryAll", board: 1 });
    d.push(h("fa fd 99 99 80 01 00 00 02 33 b0"));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: "queryAllReply" });
    expect(discarded).toEqual(["fafd9999"]);
  });

  it("completes a reply split into single bytes the moment the last byte is in", () => {
    const { d, frames } = harness({ kind: "queryAll", board: 1 });
    const bytes = h("80 01 00 00 00 33 b2");
    for (let i = 0; i < bytes.length; i++) {
      expect(frames).toHaveLength(0);
      d.push(bytes.subarray(i, i + 1));
    }
    expect(frames).toHaveLength(1);
    expect(d.pending).toBe(0);
  });

  it("does not let a stray header byte hide the real frame behind it", () => {
    const { d, frames, discarded } = harness({ kind: "queryAll", board: 1 });
    d.push(h("80 80 01 00 00 00 33 b2"));
    expect(frames).toHaveLength(1);
    expect(discarded).toEqual(["80"]);
  });

  it("drops a frame with a bad checksum as discarded bytes", () => {
    const { d, frames, discarded } = harness({ kind: "unlock", board: 1, channel: 1 });
    d.push(h("8a 01 01 00 8b"));
    d.push(h("00 00 00 00 00 00 00 00"));
    expect(frames).toHaveLength(0);
    expect(discarded.join("")).toContain("8a0101008b");
  });

  it("parses back-to-back frames from one chunk in order", () => {
    const { d, frames } = harness();
    d.push(h("8a 01 01 00 8a 80 01 00 00 00 33 b2"));
    expect(frames.map((f) => f.kind)).toEqual(["unlockReply", "queryAllReply"]);
  });

  it("flush reports the partial frame it drops", () => {
    const { d, discarded } = harness();
    d.push(h("80 01 00"));
    d.flush();
    expect(discarded).toEqual(["800100"]);
    expect(d.pending).toBe(0);
  });
});

describe("FrameDecoder replays the line captures in hardware/fixtures", () => {
  const captures = JSON.parse(readFileSync(new URL("../../hardware/fixtures/line-captures-8a80.json", import.meta.url), "utf8")) as {
    captures: { name: string; expect?: BoardRequest; chunks: string[]; frames: string[]; discarded: string[] }[];
  };
  for (const c of captures.captures) {
    it(c.name, () => {
      const { d, frames, discarded } = harness(c.expect);
      for (const chunk of c.chunks) d.push(h(chunk));
      expect(frames.map((f) => f.bytes.toString("hex"))).toEqual(c.frames);
      expect(discarded).toEqual(c.discarded);
    });
  }
});
