/**
 * The one test harness: builds lockerd's stack as deep as a test needs, with
 * real parts below that depth (temp SQLite files, real sockets, the board
 * simulator on a real transport) and every log line captured.
 *
 * | depth      | what is real                                                             | result      |
 * |------------|--------------------------------------------------------------------------|-------------|
 * | "bus"      | simulator on pty/tcp + BoardBus + BoardClient                            | ClientRig   |
 * | "core"     | LockerService + SQLite over the DoorHardware you pass (e.g. FakeDoorHardware) | CoreHarness |
 * | "hardware" | "core" + LockerHardware + simulator on a pty (socat) or tcp              | Stack       |
 * | "daemon"   | the whole composition root (Daemon): simulator, aedes, HTTP, admin socket | LockerHarness |
 * | "http"     | the public fastify app over a LockerApi double (FakeLocker) + staff SQLite | TestApp     |
 * | "mqtt"     | MqttService over doubles + SQLite, against a real broker you pass        | ServiceRig  |
 *
 *   const h = await startHarness({ depth: "daemon", config: { rules: { doorLeftOpenMs: 10_000 } } });
 *   try { ... } finally { await stopHarness(h); }
 *
 * or, for a vitest case that always stops it: `harnessTest(name, { depth: "daemon", ... }, async (h) => {...})`.
 * A real child process (lockerd, lockerctl, the simulator CLI) is the point of
 * a test: use `./processes.js` instead. Waiting: `./waitFor.js`. Tools a suite
 * needs (socat, mosquitto, chromium…): `./tools.js`.
 */
import { it } from "vitest";
import type { LockerConfig } from "../../src/config/LockerConfig.js";
import type { StartSimulatorOptions } from "../../hardware/simulator/startSimulator.js";
import type { BusConfig } from "../../src/config/LockerConfig.js";
import type { TestBroker } from "../mqtt/helpers/brokers.js";
import { clientRig, type ClientRig } from "./depth/bus.js";
import { buildCore, type CoreHarness, type CoreOptions } from "./depth/core.js";
import { startLocker, type LockerHarness, type LockerHarnessOptions } from "./depth/daemon.js";
import { startStack, type HardwareOptions, type Stack } from "./depth/hardware.js";
import { buildTestApp, type TestApp } from "./depth/http.js";
import { startService, type MqttOptions, type ServiceRig } from "./depth/mqtt.js";

export type HarnessOptions =
  | { depth: "bus"; transport: "pty" | "tcp"; simulator?: Partial<StartSimulatorOptions>; timeouts?: Partial<BusConfig["timeouts"]> }
  | ({ depth: "core" } & CoreOptions)
  | ({ depth: "hardware" } & HardwareOptions)
  | ({ depth: "daemon" } & LockerHarnessOptions)
  | { depth: "http"; config?: (c: LockerConfig) => void }
  | ({ depth: "mqtt"; broker: Pick<TestBroker, "url" | "protocolVersion"> } & MqttOptions);

interface Results {
  bus: ClientRig;
  core: CoreHarness;
  hardware: Stack;
  daemon: LockerHarness;
  http: TestApp;
  mqtt: ServiceRig;
}

export type Harness = Results[keyof Results];
export type HarnessFor<D extends HarnessOptions["depth"]> = Results[D];

/** Build the stack to `opts.depth` (see the table above). */
export async function startHarness<O extends HarnessOptions>(opts: O): Promise<HarnessFor<O["depth"]>> {
  const o = opts as HarnessOptions;
  switch (o.depth) {
    case "bus":
      return (await clientRig(o.transport, o.simulator, o.timeouts)) as HarnessFor<O["depth"]>;
    case "core":
      return buildCore(o) as HarnessFor<O["depth"]>;
    case "hardware":
      return (await startStack(o)) as HarnessFor<O["depth"]>;
    case "daemon":
      return (await startLocker(o)) as HarnessFor<O["depth"]>;
    case "http":
      return (await buildTestApp(o.config)) as HarnessFor<O["depth"]>;
    case "mqtt":
      return (await startService(o.broker, o)) as HarnessFor<O["depth"]>;
  }
}

/** Stop whatever `startHarness` built and remove its temp files. */
export async function stopHarness(h: Harness): Promise<void> {
  if ("stopAll" in h) return h.stopAll();
  if ("daemon" in h) return h.stop();
  if ("service" in h) return h.close();
  return (h as ClientRig | TestApp | ServiceRig).close();
}

/** A vitest case with a fresh harness; it is stopped whatever the outcome. */
export function harnessTest<O extends HarnessOptions>(name: string, opts: O, body: (h: HarnessFor<O["depth"]>) => Promise<void>, timeoutMs = 60_000): void {
  it(
    name,
    async () => {
      const h = await startHarness(opts);
      try {
        await body(h);
      } finally {
        await stopHarness(h as Harness);
      }
    },
    timeoutMs,
  );
}

/** The daemon-depth case most story tests use (the old `lockerTest` shape). */
export function lockerTest(
  name: string,
  spec: { config?: LockerHarnessOptions["config"]; transport?: "tcp" | "pty"; debug?: boolean; testBody: (h: LockerHarness) => Promise<void> },
  timeoutMs = 60_000,
): void {
  harnessTest(name, { depth: "daemon", config: spec.config, transport: spec.transport, debug: spec.debug }, spec.testBody, timeoutMs);
}

export { buildCore, clientRig, startLocker, startService, startStack, buildTestApp };
export type { ClientRig, CoreHarness, LockerHarness, ServiceRig, Stack, TestApp };
export { RESIDENT, STAFF, coreTestConfig } from "./depth/core.js";
export { COMMANDED_WINDOW_MS, PULSE_MS, findSecrets } from "./depth/hardware.js";
export { testBus } from "./depth/bus.js";
export { TEST_OFFICE, testConfigOverrides } from "./depth/daemon.js";
export { waitFor } from "./waitFor.js";
export { requireTool } from "./tools.js";
