import { describe, expect, it } from "vitest";
import { waitFor } from "../support/waitFor.js";

describe("waitFor: the one wait-until helper", () => {
  it("resolves with the first truthy value the check returns", async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? { n } : undefined), "third poll")).resolves.toEqual({ n: 3 });
  });

  it("accepts async checks and keeps polling while they throw", async () => {
    let n = 0;
    const v = await waitFor(async () => {
      if (++n < 3) throw new Error("not yet");
      return "ready";
    }, "ready");
    expect(v).toBe("ready");
  });

  it("fails naming what it waited for, how long, and the last error", async () => {
    await expect(waitFor(() => false, "door 3 open", { timeoutMs: 50 })).rejects.toThrow(/timed out after 50 ms waiting for door 3 open$/);
    await expect(
      waitFor(
        () => {
          throw new Error("ECONNREFUSED");
        },
        "readyz",
        50,
      ),
    ).rejects.toThrow(/waiting for readyz \(last error: ECONNREFUSED\)/);
  });
});
