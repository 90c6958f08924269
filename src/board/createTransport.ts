/** Build a fresh single-use transport from the bus's `transport` setting. */
import { ErrorCode, LockerError } from "../errors/LockerError.js";
import { SerialTransport, type SerialPortClass } from "./SerialTransport.js";
import { TcpTransport, parseTcpUrl } from "./TcpTransport.js";
import type { Transport } from "./Transport.js";

export interface TransportSpec {
  /** A serial device path or `tcp://host:port`. */
  transport: string;
  baudRate: number;
  /** Serial port class for tests (`SerialPortMock`); default the real one. */
  portClass?: SerialPortClass;
}

export function createTransport(spec: TransportSpec): Transport {
  const t = spec.transport.trim();
  if (t.startsWith("tcp:")) {
    const tcp = parseTcpUrl(t);
    if (!tcp) throw new LockerError(`bad transport "${t}": write tcp://host:port, e.g. tcp://192.168.1.50:4001`, ErrorCode.Config_Invalid);
    return new TcpTransport(tcp);
  }
  if (t === "" || t === "sim") throw new LockerError(`transport "${t}" is not a device: give a serial device path or tcp://host:port`, ErrorCode.Config_Invalid);
  return new SerialTransport({ path: t, baudRate: spec.baudRate, portClass: spec.portClass });
}
