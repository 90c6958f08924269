/**
 * The technician's board tools behind `lockerctl` (and the admin socket):
 * a fresh read of every board, one channel, a probe of addresses, and the
 * commissioning self-test. They go through the same bus as the door monitor.
 */
import type { BusConfig, CompartmentConfig } from "../config/LockerConfig.js";
import type { BoardReading, ChannelReading } from "./BoardClient.js";
import type { BusConnection } from "./BusConnection.js";
import { runSelftest, type SelftestReport } from "./selftest.js";

/** Result of asking one address during `probe`. */
export interface ProbeResult {
  address: number;
  found: boolean;
  /** The status reply, hex, when found. */
  replyHex?: string;
  /** Status bytes in the reply (3 on 8- and 24-channel 8A/80 boards, 4 on Kerong). */
  statusBytes?: number;
  /** Why not found (timeout, garbage seen…). */
  detail?: string;
}

export class TechnicianTools {
  constructor(
    private readonly link: BusConnection,
    private readonly bus: BusConfig,
    private readonly compartments: CompartmentConfig[],
    /** Unlock through the facade, so the door tracker knows the open was commanded. */
    private readonly unlock: (compartment: number, reason: string) => Promise<{ pulses: number; acknowledged: boolean }>,
  ) {}

  /** A fresh status read of every configured board (not the cached poll). */
  async readBoards(): Promise<BoardReading[]> {
    const client = this.link.client();
    const out: BoardReading[] = [];
    for (const b of this.bus.boards) out.push(await client.queryAll(b.address));
    return out;
  }

  /** Query one channel now. */
  query(board: number, channel: number): Promise<ChannelReading> {
    return this.link.client().query(board, channel);
  }

  /** Ask every address once for its status; a board that answers is found whatever its channel count. */
  async probe(addresses: number[], timeoutMs: number): Promise<ProbeResult[]> {
    const bus = this.link.requireBus();
    const out: ProbeResult[] = [];
    for (const address of addresses) {
      try {
        const f = await bus.request({ kind: "queryAll", board: address }, timeoutMs);
        out.push({ address, found: true, replyHex: f.bytes.toString("hex"), statusBytes: f.kind === "queryAllReply" ? f.status.length : undefined });
      } catch (e) {
        out.push({ address, found: false, detail: (e as Error).message });
      }
    }
    return out;
  }

  /** Board answers, every channel reads; with `cycle` every compartment is unlocked in turn and must read released. */
  selftest(opts: { cycle: boolean }): Promise<SelftestReport> {
    const client = () => this.link.client();
    return runSelftest(
      {
        boards: this.bus.boards.map((b) => b.address),
        compartments: this.compartments,
        queryAll: (b) => client().queryAll(b),
        query: (b, ch) => client().query(b, ch),
        unlock: (n) => this.unlock(n, "selftest --cycle"),
      },
      opts.cycle,
    );
  }
}
