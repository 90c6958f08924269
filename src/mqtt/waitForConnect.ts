/** Waiting for an MQTT client's next `connect` event, with a deadline. */
import type { MqttClient } from "mqtt";

/**
 * Resolve on `client`'s next `connect` (on the following turn, so the
 * client's own connect handlers have run), or reject after `timeoutMs` ms.
 * `url` names the broker in the error.
 */
export function waitForConnect(client: MqttClient, url: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      client.off("connect", ok);
      reject(new Error(`no MQTT connection to ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    const ok = () => {
      clearTimeout(t);
      setImmediate(resolve);
    };
    client.once("connect", ok);
  });
}
