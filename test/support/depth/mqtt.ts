/** Depth "mqtt": an MqttService over the test doubles (memory outbox, recording locker), a real SQLite file and a real broker. */
import { DomainEvents } from "../../../src/locker/events.js";
import { MqttService } from "../../../src/mqtt/MqttService.js";
import type { LockerConfig } from "../../../src/config/LockerConfig.js";
import { type ManualClock, systemClock, type Clock } from "../../../src/util/clock.js";
import type { TestBroker } from "../../mqtt/helpers/brokers.js";
import { MemoryOutbox, recordingLocker, tempStore, testConfig, testLog } from "../../mqtt/helpers/fakes.js";

export interface ServiceRig {
  svc: MqttService;
  config: LockerConfig;
  events: DomainEvents;
  outbox: MemoryOutbox;
  locker: ReturnType<typeof recordingLocker>;
  store: ReturnType<typeof tempStore>;
  clock: Clock;
  /** `<prefix>/<lockerId>` */
  base: string;
  close(): Promise<void>;
}

export interface MqttOptions {
  mqtt?: Partial<LockerConfig["mqtt"]>;
  clock?: Clock | ManualClock;
  /** Another locker id (two lockers on one broker). */
  lockerId?: string;
  /** Wait for the first connection (default true). */
  connect?: boolean;
}

export async function startService(broker: Pick<TestBroker, "url" | "protocolVersion">, opts: MqttOptions = {}): Promise<ServiceRig> {
  const store = tempStore();
  const config = testConfig(broker.url, store.dir, { protocolVersion: broker.protocolVersion, ...opts.mqtt });
  if (opts.lockerId) config.lockerId = opts.lockerId;
  const events = new DomainEvents();
  const outbox = new MemoryOutbox(events);
  const locker = recordingLocker(config.compartments.map((c) => c.number));
  const clock = opts.clock ?? systemClock;
  const svc = new MqttService({ config, version: "0.1.0-test", events, outbox, locker, db: store.db, log: testLog(), clock });
  await svc.start();
  if (opts.connect !== false) await svc.whenConnected(20_000);
  return {
    svc,
    config,
    events,
    outbox,
    locker,
    store,
    clock,
    base: svc.topics.base,
    async close() {
      await svc.stop();
      store.close();
    },
  };
}
