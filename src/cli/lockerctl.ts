#!/usr/bin/env node
/**
 * lockerctl: the technician's CLI. Talks to the running daemon over its local
 * admin socket; hardware commands with --port talk to the board directly.
 */
import { buildProgram } from "./program.js";

await buildProgram().parseAsync(process.argv);
