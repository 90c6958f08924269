import type { Actor } from "./LockerApi.js";

/** The daemon itself, for timers and door rules in the audit trail. */
export const SYSTEM: Actor = { kind: "system", id: "lockerd", via: "core" };
