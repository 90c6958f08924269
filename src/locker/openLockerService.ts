/**
 * The factory the composition root (src/daemon/Daemon.ts) calls for the
 * locker core: it does the I/O the constructors must not — read (or create)
 * the device secret, register the configured compartments in the database,
 * seal pre-pepper PIN hashes with the device pepper —
 * and hands back a `LockerService` ready for `start()`.
 */
import path from "node:path";
import { loadOrCreateDeviceSecret } from "./deviceSecret.js";
import { LockerService, type LockerServiceDeps } from "./LockerService.js";
import { sealLegacyPinHashes } from "../store/legacyPinHashes.js";
import { sealPinHash } from "./pins.js";

export interface OpenLockerServiceDeps extends Omit<LockerServiceDeps, "secret"> {
  /** Device secret file; default `<dataDir>/device-secret`. */
  secretFile?: string;
}

/** Load the device secret and register the compartments, then build the service (not started). */
export function openLockerService(deps: OpenLockerServiceDeps): LockerService {
  const { secretFile, ...rest } = deps;
  const secret = loadOrCreateDeviceSecret(secretFile ?? path.join(deps.config.dataDir, "device-secret"));
  const service = new LockerService({ ...rest, secret });
  // PIN hashes stored before the device pepper existed are sealed with it once (no PIN needed).
  const pepper = deps.pepper;
  if (pepper) {
    const sealed = sealLegacyPinHashes(deps.db, (stored) => sealPinHash(stored, pepper));
    if (sealed > 0) deps.log.info({ sealed }, "sealed existing PIN hashes with the device pepper");
  }
  // A free row for every configured compartment that has none yet (rows of removed compartments stay).
  service.ledger.commit((tx) =>
    tx.compartments.ensure(
      deps.config.compartments.map((c) => c.number),
      tx.nowIso,
    ),
  );
  return service;
}
