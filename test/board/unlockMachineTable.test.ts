import { describe, expect, it } from "vitest";
import { effectOf, initialUnlockState, nextUnlockState, unlockError, type UnlockEvent, type UnlockState } from "../../src/board/unlockMachine.js";
import { ErrorCode } from "../../src/errors/LockerError.js";

/** Run a script of events from the start; returns every state's name and the final state. */
function run(events: UnlockEvent[], maxPulses = 2): { path: string[]; final: UnlockState } {
  let s = initialUnlockState;
  const path = [`${s.name}#${s.pulses}`];
  for (const e of events) {
    s = nextUnlockState(s, e, maxPulses);
    path.push(`${s.name}#${s.pulses}`);
  }
  return { path, final: s };
}

describe("the unlock state machine never pulses twice without a query reading the lock shut", () => {
  const table: [string, UnlockEvent[], number, string[], Partial<UnlockState>][] = [
    ["acknowledged", [{ type: "reply", released: true }], 2, ["pulsing#1", "success#1"], { acknowledged: true }],
    ["reply lost, query reads released", [{ type: "replyLost" }, { type: "verified", shut: false }], 2, ["pulsing#1", "verifying#1", "success#1"], { acknowledged: false }],
    [
      "reply lost, query reads shut, second pulse acknowledged",
      [{ type: "replyLost" }, { type: "verified", shut: true }, { type: "reply", released: true }],
      2,
      ["pulsing#1", "verifying#1", "pulsing#2", "success#2"],
      { acknowledged: true },
    ],
    [
      "refused, shut, refused, shut → still shut",
      [
        { type: "reply", released: false },
        { type: "verified", shut: true },
        { type: "reply", released: false },
        { type: "verified", shut: true },
      ],
      2,
      ["pulsing#1", "verifying#1", "pulsing#2", "verifying#2", "failure#2"],
      { reason: "stillShut" },
    ],
    [
      "one pulse allowed: refused and shut → fault, no second pulse",
      [
        { type: "reply", released: false },
        { type: "verified", shut: true },
      ],
      1,
      ["pulsing#1", "verifying#1", "failure#1"],
      { reason: "stillShut" },
    ],
    [
      "reply and check both lost → outcome unknown, no second pulse",
      [{ type: "replyLost" }, { type: "verifyLost" }],
      2,
      ["pulsing#1", "verifying#1", "failure#1"],
      { reason: "outcomeUnknown" },
    ],
    [
      "refused but the query reads released (reply raced the latch)",
      [
        { type: "reply", released: false },
        { type: "verified", shut: false },
      ],
      2,
      ["pulsing#1", "verifying#1", "success#1"],
      { acknowledged: false },
    ],
  ];
  for (const [name, events, max, path, final] of table) {
    it(name, () => {
      const r = run(events, max);
      expect(r.path).toEqual(path);
      expect(r.final).toMatchObject(final);
      expect(effectOf(r.final)).toEqual({ do: "finish" });
    });
  }

  it("ignores events that do not belong to the state", () => {
    const s: UnlockState = { name: "verifying", pulses: 1, replyLost: true };
    expect(nextUnlockState(s, { type: "reply", released: true }, 2)).toBe(s);
  });

  it("maps failures to codes, naming board and channel", () => {
    expect(unlockError("stillShut", { board: 2, channel: 7, pulses: 2 })).toMatchObject({ code: ErrorCode.Board_LockFault, message: expect.stringMatching(/ch7 on board 2/) });
    expect(unlockError("outcomeUnknown", { board: 2, channel: 7, pulses: 1 })).toMatchObject({ code: ErrorCode.Board_NoReply });
  });
});
