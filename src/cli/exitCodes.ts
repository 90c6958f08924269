/** lockerctl exit codes: scripts and the technician's shell rely on them. */
export const ExitCode = {
  /** Everything asked for was done and every check passed. */
  Ok: 0,
  /** The command ran but a check failed (selftest, config check, mqtt-check). */
  CheckFailed: 1,
  /** Bad usage, bad arguments or an invalid config file. */
  Usage: 2,
  /** The lock board (or the daemon's board) could not be reached. */
  BoardUnreachable: 3,
  /** The daemon is not running / its admin socket is not there, or refused the request. */
  DaemonUnavailable: 4,
  /** The request was refused by the locker's rules (e.g. compartment disabled). */
  Refused: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
