/**
 * OutboxRelay rules (pure, with a scripted publish): entries go out oldest
 * first; an entry is marked sent only once its publish resolved (PUBACK);
 * a failed publish stops the batch so nothing after it is marked, and the
 * next wake resends from the failed one; appends during a drain are picked
 * up without another wake.
 */
import { describe, expect, it } from "vitest";
import { DomainEvents, type OutboxEntry } from "../../src/locker/events.js";
import { OutboxRelay } from "../../src/mqtt/OutboxRelay.js";
import { MemoryOutbox, testLog } from "./helpers/fakes.js";

function rig(publish: (e: OutboxEntry) => Promise<void>, window = 4) {
  const outbox = new MemoryOutbox(new DomainEvents());
  const relay = new OutboxRelay({ outbox, publish, connected: () => true, log: testLog(), window });
  return { outbox, relay };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe("outbox relay", () => {
  it("publishes in order and marks each entry only after its ack", async () => {
    const acks: Array<() => void> = [];
    const order: number[] = [];
    const { outbox, relay } = rig((e) => {
      order.push(e.seq);
      return new Promise<void>((resolve) => acks.push(resolve));
    });
    for (let i = 0; i < 3; i++) outbox.append({ type: "dropoff" });
    relay.wake();
    await settle();
    expect(order).toEqual([1, 2, 3]);
    expect(outbox.sentOrder).toEqual([]);
    acks[1]!(); // a later ack first: must not mark anything before entry 1 is acked
    await settle();
    expect(outbox.sentOrder).toEqual([]);
    acks[0]!();
    await settle();
    expect(outbox.sentOrder).toEqual([1, 2]);
    acks[2]!();
    await settle();
    expect(outbox.sentOrder).toEqual([1, 2, 3]);
  });

  it("stops at a failed publish and resends from it on the next wake", async () => {
    let fail = true;
    const published: number[] = [];
    const { outbox, relay } = rig(async (e) => {
      published.push(e.seq);
      if (e.seq === 2 && fail) throw new Error("connection lost");
    });
    for (let i = 0; i < 4; i++) outbox.append({ type: "alarm", kind: "tamper" });
    relay.wake();
    await settle();
    expect(outbox.sentOrder).toEqual([1]);
    expect(outbox.depth()).toBe(3);
    fail = false;
    relay.wake();
    await settle();
    expect(outbox.sentOrder).toEqual([1, 2, 3, 4]);
    expect(published.slice(4)).toEqual([2, 3, 4]);
  });

  it("picks up entries appended while a drain is running", async () => {
    let outboxRef: MemoryOutbox | undefined;
    let appended = false;
    const { outbox, relay } = rig(async () => {
      if (!appended) {
        appended = true;
        outboxRef!.append({ type: "ready" }); // arrives mid-drain; its wake() only flags "again"
        relay.wake();
      }
    });
    outboxRef = outbox;
    outbox.append({ type: "dropoff" });
    relay.wake();
    await settle();
    expect(outbox.sentOrder).toEqual([1, 2]);
  });

  it("publishes nothing while disconnected", async () => {
    const outbox = new MemoryOutbox(new DomainEvents());
    let calls = 0;
    const relay = new OutboxRelay({ outbox, publish: async () => void calls++, connected: () => false, log: testLog() });
    outbox.append({ type: "dropoff" });
    relay.wake();
    await settle();
    expect(calls).toBe(0);
    expect(outbox.depth()).toBe(1);
  });
});
