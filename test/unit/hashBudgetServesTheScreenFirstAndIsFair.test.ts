
describe("HashBudget network rate", () => {
  it("gives network checks at most networkPerSecond hashes a second, while the screen never waits for a token", async () => {
    const b = new HashBudget(100, 10);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => b.run("network", `c${i}`, async () => i)));
    const networkMs = performance.now() - t0;
    // 10 from the full bucket at once, then 10 more at 10/s: about a second.
    expect(networkMs).toBeGreaterThan(800);
    const s0 = performance.now();
    await b.run("screen", "kiosk", async () => 1);
    expect(performance.now() - s0).toBeLessThan(200);
  });
});
