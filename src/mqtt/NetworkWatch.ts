/**
 * Tells when the machine's network addresses change (cable back in, Wi-Fi
 * rejoined, DHCP lease renewed with a new address). The MQTT client then
 * retries at once instead of sleeping out its backoff, and drops a connection
 * whose local address is gone (it can only be half-open).
 * Polls `os.networkInterfaces()` (cheap; no netlink dependency).
 */
import os from "node:os";

/** Sorted "iface address" pairs of the external interfaces. */
export function networkSignature(ifaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string {
  const out: string[] = [];
  for (const [name, list] of Object.entries(ifaces)) for (const i of list ?? []) if (!i.internal) out.push(`${name} ${i.address}`);
  return out.sort().join(",");
}

/** Whether `address` is still one of this machine's addresses (loopback included). */
export function hasLocalAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/, "");
  return Object.values(os.networkInterfaces()).some((list) => (list ?? []).some((i) => i.address === plain));
}

export class NetworkWatch {
  private last = networkSignature();
  private timer?: NodeJS.Timeout;

  constructor(private readonly onChange: () => void) {}

  /** Poll every `intervalMs` (2 s: a reconnect within ~2 s of the network coming back). */
  start(intervalMs = 2_000): void {
    this.timer = setInterval(() => {
      const now = networkSignature();
      if (now === this.last) return;
      this.last = now;
      this.onChange();
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
