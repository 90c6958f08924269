import type { Migration } from "../Migration.js";
import { m001_core } from "./001-core.js";
import { m002_mqtt } from "./002-mqtt.js";
import { m003_staff } from "./003-staff.js";
import { m004_notify } from "./004-notify.js";
import { m005_outbox_dead_letter } from "./005-outbox-dead-letter.js";
import { m006_staff_scrypt_shape } from "./006-staff-scrypt-shape.js";

/** Every schema step, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001_core, m002_mqtt, m003_staff, m004_notify, m005_outbox_dead_letter, m006_staff_scrypt_shape];
