/**
 * Where the one answer to a command goes. MQTT 5 requesters may name a
 * response topic and correlation data (the request/response pattern of the
 * standard, §4.10); the locker answers there, echoing the correlation data,
 * but only on a topic under its own `cmd-result` so a request can never make
 * the locker publish onto another locker's or a staff topic (and a site ACL
 * that lets the locker write `<base>/cmd-result/#` is enough). MQTT 3.1.1
 * requesters match answers by the request `id` on `cmd-result`.
 */
import type { IPublishPacket } from "mqtt";
import type { MqttTopics } from "../topics.js";

export interface ReplyRoute {
  topic: string;
  /** MQTT 5 publish properties to send with the answer (correlation data). */
  properties?: { correlationData: Buffer };
  /** Set when the requested response topic was refused (the answer then goes to `cmd-result`). */
  refusedTopic?: string;
}

/** The answer's topic and properties for a request that arrived as `packet`. */
export function replyRoute(topics: MqttTopics, packet: Pick<IPublishPacket, "properties">): ReplyRoute {
  const props = packet.properties;
  const correlation = props?.correlationData;
  const properties = correlation && correlation.length > 0 ? { correlationData: Buffer.from(correlation) } : undefined;
  const wanted = props?.responseTopic;
  const base = topics.cmdResult;
  if (wanted === undefined || wanted === "") return { topic: base, ...(properties ? { properties } : {}) };
  if (wanted === base || (wanted.startsWith(`${base}/`) && !/[+#]/.test(wanted))) return { topic: wanted, ...(properties ? { properties } : {}) };
  return { topic: base, ...(properties ? { properties } : {}), refusedTopic: wanted.slice(0, 200) };
}
