import { describe, expect, it } from "vitest";
import { loadConfig, type DeepPartial } from "../../src/config/loadConfig.js";
import type { LockerConfig, CompartmentConfig } from "../../src/config/LockerConfig.js";
import type { LockerError } from "../../src/errors/LockerError.js";

function problemsOf(overrides: DeepPartial<LockerConfig>): string[] {
  try {
    loadConfig({ env: {}, overrides });
    return [];
  } catch (e) {
    return (e as LockerError).context.problems as string[];
  }
}

const doors = (board: number): CompartmentConfig[] => [1, 2, 3, 4, 5, 6].map((n) => ({ number: n, board, channel: n, size: "M", row: n <= 3 ? 1 : 2, column: ((n - 1) % 3) + 1 }));
const board = (address: number, channels = 8) => ({ address, channels, feedback: "closedWhenLocked" as const, statusByteOrder: "lastByteFirstChannels" as const });

describe("bus.protocol kerong", () => {
  it("defaults the line speed to 19200 baud (8A/80 keeps 9600); an explicit baudRate wins", () => {
    expect(loadConfig({ env: {} }).bus.baudRate).toBe(9600);
    expect(loadConfig({ env: {}, overrides: { bus: { protocol: "kerong" } } }).bus.baudRate).toBe(19200);
    expect(loadConfig({ env: {}, overrides: { bus: { protocol: "kerong", baudRate: 9600 } } }).bus.baudRate).toBe(9600);
    expect(loadConfig({ env: { LOCKERD_BUS__PROTOCOL: "kerong" } }).bus).toMatchObject({ protocol: "kerong", baudRate: 19200 });
  });

  it("takes board id 0 and refuses ids past 15 and more than 16 locks; 8A/80 still refuses address 0", () => {
    expect(problemsOf({ bus: { protocol: "kerong", boards: [board(0)] }, compartments: doors(0) })).toEqual([]);
    expect(problemsOf({ bus: { protocol: "kerong", boards: [board(16, 24)] }, compartments: doors(16) })).toEqual([
      "bus.boards[0].address 16 is out of range: Kerong board ids are 0-15",
      "bus.boards[0].channels must be <= 16 on a Kerong board (got 24)",
    ]);
    expect(problemsOf({ bus: { boards: [board(0)] }, compartments: doors(0) })).toEqual(["bus.boards[0].address 0 is out of range: 8A/80 DIP addresses are 1-31"]);
  });

  it("refuses a protocol lockerd does not speak, naming the ones it does", () => {
    expect(problemsOf({ bus: { protocol: "wkly" as "kerong" } }).join("\n")).toMatch(/bus\.protocol.*8a80.*kerong/);
  });
});
