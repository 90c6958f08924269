/**
 * Prometheus text exposition (format 0.0.4), written by hand: a few counters
 * and gauges do not need prom-client. Counts what the HTTP edge can see on the
 * domain bus (unlock outcomes, door events, refused PINs) plus event-loop lag;
 * the composition root adds poll latency, outbox depth etc. through `extra`.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { DomainEvents } from "../locker/events.js";

export interface MetricFamily {
  name: string;
  help: string;
  type: "counter" | "gauge";
  samples: Array<{ labels?: Record<string, string>; value: number }>;
}

function esc(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Render metric families as Prometheus text. */
export function renderMetrics(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels =
        s.labels && Object.keys(s.labels).length
          ? `{${Object.entries(s.labels)
              .map(([k, v]) => `${k}="${esc(v)}"`)
              .join(",")}}`
          : "";
      out.push(`${f.name}${labels} ${Number.isFinite(s.value) ? s.value : 0}`);
    }
  }
  return out.join("\n") + "\n";
}

export class HttpMetrics {
  private readonly unlocks = new Map<string, number>();
  private readonly doorEvents = new Map<string, number>();
  private readonly pinFailures = new Map<string, number>();
  private readonly responses = new Map<string, number>();
  private readonly lag: IntervalHistogram;
  private readonly off: Array<() => void> = [];

  constructor(events: DomainEvents) {
    this.lag = monitorEventLoopDelay({ resolution: 10 });
    this.lag.enable();
    const onPrompt = (p: { phase: string }) => {
      if (p.phase === "open") bump(this.unlocks, "ok");
      else if (p.phase === "fault") bump(this.unlocks, "fault");
    };
    const onDoor = (d: { state: string; commanded: boolean }) => bump(this.doorEvents, `${d.state}|${d.commanded ? "commanded" : "uncommanded"}`);
    events.on("doorPrompt", onPrompt);
    events.on("door", onDoor);
    this.off.push(
      () => events.off("doorPrompt", onPrompt),
      () => events.off("door", onDoor),
    );
  }

  /** A pickup refused at this edge, by LockerError name (Locker_PickupRefused, Locker_Throttled…). */
  pinFailure(reason: string): void {
    bump(this.pinFailures, reason);
  }

  response(status: number): void {
    bump(this.responses, `${Math.floor(status / 100)}xx`);
  }

  /** Event-loop delay p99 since start, ms. */
  lagP99Ms(): number {
    return this.lag.percentile(99) / 1e6;
  }

  families(): MetricFamily[] {
    const split = (m: Map<string, number>, keys: string[]) => [...m].map(([k, value]) => ({ labels: Object.fromEntries(k.split("|").map((v, i) => [keys[i]!, v])), value }));
    return [
      { name: "lockerd_unlocks_total", help: "Door unlocks seen by the kiosk prompts, by outcome.", type: "counter", samples: split(this.unlocks, ["outcome"]) },
      {
        name: "lockerd_door_events_total",
        help: "Door state changes, by new state and whether we commanded it.",
        type: "counter",
        samples: split(this.doorEvents, ["state", "cause"]),
      },
      { name: "lockerd_pin_failures_total", help: "Pickups refused over HTTP, by reason.", type: "counter", samples: split(this.pinFailures, ["reason"]) },
      { name: "lockerd_http_responses_total", help: "Public HTTP answers by status class.", type: "counter", samples: split(this.responses, ["class"]) },
      {
        name: "lockerd_event_loop_lag_seconds",
        help: "Event-loop delay percentiles since start.",
        type: "gauge",
        samples: [50, 99, 100].map((q) => ({ labels: { quantile: q === 100 ? "1" : String(q / 100) }, value: (q === 100 ? this.lag.max : this.lag.percentile(q)) / 1e9 })),
      },
    ];
  }

  stop(): void {
    this.lag.disable();
    for (const f of this.off.splice(0)) f();
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
