/** A compartment's stored status as the rules see it (the door itself is observed, never stored). Row mapping: store/CompartmentRepo.ts. */
import type { CompartmentStatus } from "./events.js";

export interface Compartment {
  number: number;
  status: CompartmentStatus;
  /** The case it is reserved or holding for. */
  caseId: string | null;
  /** Why it is faulty or disabled (or a fault noted beside a held pouch). */
  faultReason: string | null;
  updatedAt: string;
}
