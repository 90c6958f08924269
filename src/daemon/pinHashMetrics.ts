/** The PIN hash budget's figures for `/metrics`: how much hashing network checks got, how many were refused busy, how long the screen waited. */
import type { MetricFamily } from "../http/HttpMetrics.js";
import type { HashBudgetStats } from "../util/HashBudget.js";

export function pinHashMetrics(s: HashBudgetStats): MetricFamily[] {
  return [
    { name: "lockerd_pin_hash_network_total", help: "PIN checks from network clients hashed, since start.", type: "counter", samples: [{ value: s.networkHashed }] },
    {
      name: "lockerd_pin_hash_network_seconds_total",
      help: "Wall time the PIN hash thread spent on network checks, since start (the budget allows a quarter of the time).",
      type: "counter",
      samples: [{ value: s.networkHashMs / 1000 }],
    },
    {
      name: "lockerd_pin_hash_refused_busy_total",
      help: "Network PIN checks refused with Locker_Busy (queue full) before any hash, since start.",
      type: "counter",
      samples: [{ value: s.refusedBusy }],
    },
    { name: "lockerd_pin_hash_screen_total", help: "PIN checks typed on the locker's screen, since start.", type: "counter", samples: [{ value: s.screenChecks }] },
    {
      name: "lockerd_pin_hash_screen_wait_max_seconds",
      help: "Longest a screen PIN check waited for the hash thread (the hash already running), since start.",
      type: "gauge",
      samples: [{ value: s.screenWaitMaxMs / 1000 }],
    },
  ];
}
