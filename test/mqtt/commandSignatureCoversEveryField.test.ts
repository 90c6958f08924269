import { describe, expect, it } from "vitest";
import { canonicalCommand, signCommand, verifyCommand } from "../../src/mqtt/commandSigning.js";

const secret = "0123456789abcdef0123456789abcdef";
const cmd = { id: "cmd-00000001", ts: 1_800_000_000, compartment: 3, reason: "collect pouch" };

describe("command signature", () => {
  it("is the HMAC-SHA256 of the documented canonical form", () => {
    expect(canonicalCommand("locker-1", "open", cmd)).toBe("lockerd-cmd-v1\nlocker-1\nopen\ncmd-00000001\n1800000000\n3\ncollect pouch");
    expect(signCommand(secret, "locker-1", "open", cmd)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("verifies the right signature", () => {
    const sig = signCommand(secret, "locker-1", "open", cmd);
    expect(verifyCommand(secret, "locker-1", "open", { ...cmd, sig })).toBe(true);
  });

  it.each([
    ["another locker", { locker: "locker-2" }],
    ["another verb", { name: "disable" }],
    ["another compartment", { cmd: { compartment: 4 } }],
    ["another reason", { cmd: { reason: "x" } }],
    ["another id", { cmd: { id: "cmd-00000002" } }],
    ["another time", { cmd: { ts: cmd.ts + 1 } }],
    ["another secret", { secret: "fedcba9876543210fedcba9876543210" }],
  ])("fails when %s is used", (_label, change: { locker?: string; name?: string; cmd?: Partial<typeof cmd>; secret?: string }) => {
    const sig = signCommand(secret, "locker-1", "open", cmd);
    expect(verifyCommand(change.secret ?? secret, change.locker ?? "locker-1", change.name ?? "open", { ...cmd, ...change.cmd, sig })).toBe(false);
  });

  it("rejects a signature that is not 64 hex characters", () => {
    expect(verifyCommand(secret, "locker-1", "open", { ...cmd, sig: "zz" })).toBe(false);
    expect(verifyCommand(secret, "locker-1", "open", { ...cmd, sig: undefined as unknown as string })).toBe(false);
  });
});
