/**
 * Reference client for the back-office API over MQTT: what a mini-program
 * backend does, in one small file a backend developer can read and port.
 * It signs a request (MQTT_CONTRACT.md, "Back-office API"), publishes it on
 * `<prefix>/<lockerId>/cmd/<verb>`, and waits for the one answer: with MQTT 5
 * on its own response topic under `cmd-result` with correlation data, with
 * MQTT 3.1.1 (the demo's embedded broker) on `cmd-result`, matched by id.
 *
 *   npm run backoffice -- dropoff --q '<scanned link>' --matter other --phone 13700001234 --pin 582914
 *   npm run backoffice -- case-status --case <caseId>
 *   npm run backoffice -- pickup --q '<link scanned at the locker>' --phone 13700001234 --pin 582914
 *
 * Prints the answer (JSON, one line). Exit codes: 0 ok, 1 refused or error,
 * 2 bad usage, 3 no answer (broker unreachable, locker offline, timeout).
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import mqtt from "mqtt";
import { signRequest, type BackOfficeRequest } from "../src/mqtt/backOffice/requestSigning.js";
import type { CommandResult } from "../src/mqtt/topics.js";

export interface Target {
  url: string;
  lockerId: string;
  prefix: string;
  secret: string;
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  /** PEM CA for mqtts:// */
  ca?: Buffer;
  timeoutMs: number;
}

/** A signed request for `verb` with `args` (fresh id, ts = now unless given). */
export function signedRequest(
  t: Pick<Target, "secret" | "lockerId">,
  verb: string,
  args: Record<string, unknown>,
  over: Partial<Pick<BackOfficeRequest, "id" | "ts">> = {},
): BackOfficeRequest {
  const body = { id: over.id ?? `req-${randomUUID()}`, ts: over.ts ?? Math.floor(Date.now() / 1000), args };
  return { ...body, sig: signRequest(t.secret, t.lockerId, verb, body) };
}

/**
 * Publish `payload` (a request object, or raw text to test refusals) on
 * `cmd/<verb>` and resolve with the answer to it. Rejects with `NoAnswer` on timeout.
 */
export async function sendRequest(t: Target, verb: string, payload: BackOfficeRequest | string): Promise<CommandResult> {
  const base = `${t.prefix}/${t.lockerId}`;
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  const id = typeof payload === "string" ? undefined : payload.id;
  const client = await mqtt.connectAsync(t.url, {
    protocolVersion: t.protocolVersion,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: t.timeoutMs,
    ...(t.username ? { username: t.username, password: t.password } : {}),
    ...(t.ca ? { ca: t.ca } : {}),
  });
  try {
    const correlation = randomBytes(16);
    // MQTT 5: a private response topic under cmd-result; 3.1.1: everyone's answers on cmd-result.
    const replyTopic = t.protocolVersion === 5 ? `${base}/cmd-result/${randomUUID()}` : `${base}/cmd-result`;
    const answer = new Promise<CommandResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new NoAnswer(`no answer on ${replyTopic} within ${t.timeoutMs} ms (is the locker online?)`)), t.timeoutMs);
      client.on("message", (topic, buf, packet) => {
        if (topic !== replyTopic) return;
        const mine = t.protocolVersion === 5 ? packet.properties?.correlationData?.equals(correlation) : undefined;
        let r: CommandResult;
        try {
          r = JSON.parse(buf.toString("utf8")) as CommandResult;
        } catch {
          return;
        }
        if (mine === false || (mine === undefined && (id === undefined || r.id !== id))) return;
        clearTimeout(timer);
        resolve(r);
      });
    });
    await client.subscribeAsync(replyTopic, { qos: 1 });
    await client.publishAsync(`${base}/cmd/${verb}`, text, {
      qos: 1,
      retain: false,
      ...(t.protocolVersion === 5 ? { properties: { responseTopic: replyTopic, correlationData: correlation, contentType: "application/json" } } : {}),
    });
    return await answer;
  } finally {
    await client.endAsync();
  }
}

export class NoAnswer extends Error {}

function int(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("a whole number");
  return Number(v);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command("backoffice")
    .description("Reference client for lockerd's back-office API over MQTT (see src/mqtt/MQTT_CONTRACT.md)")
    .option("--url <url>", "broker URL", "mqtt://127.0.0.1:1883")
    .option("--locker <id>", "lockerId", "demo-locker")
    .option("--prefix <prefix>", "topic prefix", "lockers")
    .option("--secret-file <file>", "the locker's command secret file", "data/mqtt-command-secret")
    .option("--mqtt-version <n>", "4 (MQTT 3.1.1, the demo's embedded broker) or 5 (response topic + correlation data)", "4")
    .option("--username <name>", "broker user name (password from $MQTT_PASSWORD)")
    .option("--ca <file>", "PEM CA of the broker (mqtts://)")
    .option("--timeout-ms <ms>", "how long to wait for the answer", int, 15_000)
    .exitOverride()
    .showHelpAfterError();
  let verb = "";
  let args: Record<string, unknown> = {};
  const client = (o: { client?: string }) => (o.client ? { client: o.client } : {});
  program
    .command("dropoff")
    .description("start a drop-off with the link the resident scanned (opens a door)")
    .requiredOption("--q <link>", "the scanned kiosk link, as WeChat passed it")
    .requiredOption("--matter <id>", "matter id")
    .requiredOption("--phone <phone>", "11-digit mobile")
    .requiredOption("--pin <pin>", "6-digit PIN")
    .option("--pin-confirm <pin>", "the PIN typed a second time")
    .option("--name <name>", "resident's name")
    .option("--note <note>", "note for staff")
    .option("--scancode-time <s>", "WeChat scancode_time, unix seconds", int)
    .option("--client <id>", "who the resident is to your backend (hashed openid)")
    .action((o) => {
      verb = "dropoff";
      args = {
        q: o.q,
        matter: o.matter,
        phone: o.phone,
        pin: o.pin,
        consent: true,
        ...(o.pinConfirm ? { pinConfirm: o.pinConfirm } : {}),
        ...(o.name ? { name: o.name } : {}),
        ...(o.note ? { note: o.note } : {}),
        ...(o.scancodeTime !== undefined ? { scancode_time: o.scancodeTime } : {}),
        ...client(o),
      };
    });
  program
    .command("case-status")
    .description("where a case stands")
    .requiredOption("--case <id>", "caseId from the dropoff answer")
    .action((o) => {
      verb = "case-status";
      args = { caseId: o.case };
    });
  program
    .command("pickup")
    .description("pickup by a resident at the locker: needs the link they just scanned from its screen")
    .requiredOption("--q <link>", "the kiosk link scanned at the locker (proof of presence)")
    .requiredOption("--phone <phone>", "11-digit mobile")
    .requiredOption("--pin <pin>", "6-digit PIN")
    .option("--client <id>", "who the resident is to your backend (hashed openid)")
    .action((o) => {
      verb = "pickup";
      args = { q: o.q, phone: o.phone, pin: o.pin, ...client(o) };
    });
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const g = program.opts<{ url: string; locker: string; prefix: string; secretFile: string; mqttVersion: string; username?: string; ca?: string; timeoutMs: number }>();
  if (g.mqttVersion !== "4" && g.mqttVersion !== "5") {
    process.stderr.write("--mqtt-version must be 4 or 5\n");
    return 2;
  }
  let secret: string;
  try {
    secret = fs.readFileSync(g.secretFile, "utf8").trim();
  } catch (err) {
    process.stderr.write(`cannot read the command secret: ${(err as Error).message}\n(the locker creates it at first start: <dataDir>/mqtt-command-secret)\n`);
    return 2;
  }
  const target: Target = {
    url: g.url,
    lockerId: g.locker,
    prefix: g.prefix,
    secret,
    protocolVersion: g.mqttVersion === "5" ? 5 : 4,
    timeoutMs: g.timeoutMs,
    ...(g.username ? { username: g.username, password: process.env.MQTT_PASSWORD ?? "" } : {}),
    ...(g.ca ? { ca: fs.readFileSync(g.ca) } : {}),
  };
  try {
    const answer = await sendRequest(target, verb, signedRequest(target, verb, args));
    process.stdout.write(JSON.stringify(answer) + "\n");
    return answer.status === "ok" ? 0 : 1;
  } catch (err) {
    process.stderr.write(`${err instanceof NoAnswer ? "" : "cannot reach the broker: "}${(err as Error).message}\n`);
    return 3;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
