/**
 * At least 200 malformed requests spread over every public route (bad JSON,
 * wrong types, extra fields, oversize bodies, wrong content types, bad params
 * and queries, unknown routes, staff routes with and without a session), and
 * a runner that lists every answer that is not a 4xx JSON message.
 */
export interface Bad {
  method: string;
  path: string;
  body?: string;
  type?: string;
  auth?: boolean;
  accept?: string;
}

const JSON_BODIES = [
  "{",
  "[]",
  "null",
  "42",
  '"text"',
  '{"a":',
  "{}",
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{}}}',
  JSON.stringify({ phone: 13812345678, pin: 123456 }),
  JSON.stringify({ phone: "abc", pin: "12" }),
  JSON.stringify({ phone: "13812345678", pin: "86420９" }),
  JSON.stringify({ phone: "13812345678", pin: "864209", extra: true }),
  JSON.stringify({ phone: ["13812345678"], pin: ["864209"] }),
  JSON.stringify({ phone: "1".repeat(5000), pin: "864209" }),
  "\u0000\u0001\u0002",
  '{"phone":"\\ud800"}',
];

export function malformedRequests(): Bad[] {
  const out: Bad[] = [];
  const posts: Array<{ path: string; auth?: boolean }> = [
    { path: "/api/dropoff" },
    { path: "/api/pickup" },
    { path: "/kiosk/pickup" },
    { path: "/api/staff/session" },
    { path: "/api/staff/cases/case1/collect", auth: true },
    { path: "/api/staff/cases/case1/return", auth: true },
    { path: "/api/staff/cases/case1/reset-pin", auth: true },
    { path: "/api/staff/compartments/2/open", auth: true },
    { path: "/api/staff/compartments/2/disable", auth: true },
    { path: "/api/staff/compartments/2/enable", auth: true },
  ];
  for (const p of posts) {
    // `{}` is a valid body for enable (the reason is optional there).
    for (const body of JSON_BODIES.filter((b) => !(b === "{}" && p.path.endsWith("/enable"))))
      out.push({ method: "POST", path: p.path, body, type: "application/json", auth: p.auth });
    out.push({ method: "POST", path: p.path, body: "phone=1&pin=2", type: "application/x-www-form-urlencoded", auth: p.auth });
    out.push({ method: "POST", path: p.path, body: "x".repeat(40_000), type: "application/json", auth: p.auth });
    out.push({ method: "POST", path: p.path, body: "<xml/>", type: "text/xml", auth: p.auth });
  }
  // Staff routes without a session.
  for (const p of posts.filter((x) => x.auth)) out.push({ method: "POST", path: p.path, body: "{}", type: "application/json" });
  for (const path of ["/api/staff/cases", "/api/staff/alarms", "/api/staff/compartments", "/api/staff/session"]) out.push({ method: "GET", path });
  // Bad params and queries.
  const ids = ["..%2F..%2Fetc%2Fpasswd", "%00", "a".repeat(300), "case1;drop", "%E2%80%AE", "'or'1'='1", "case%20one"];
  for (const id of ids) {
    out.push({ method: "GET", path: `/api/cases/${id}` });
    out.push({ method: "GET", path: `/api/dropoff/${id}` });
    out.push({ method: "GET", path: `/d/${id}`, accept: "application/json" });
    out.push({ method: "POST", path: `/api/staff/cases/${id}/collect`, body: "{}", type: "application/json", auth: true });
    out.push({ method: "GET", path: `/assets/${id}` });
  }
  for (const n of ["0", "100", "-1", "1.5", "abc", "1e3", "%20"]) {
    out.push({ method: "POST", path: `/api/staff/compartments/${n}/open`, body: JSON.stringify({ reason: "check" }), type: "application/json", auth: true });
    out.push({ method: "POST", path: `/api/staff/compartments/${n}/enable`, body: "{}", type: "application/json", auth: true });
  }
  for (const q of ["state=bogus", "limit=0", "limit=9999", "limit=abc", "state=ready&state=frozen&x=1", "other=1"])
    out.push({ method: "GET", path: `/api/staff/cases?${q}`, auth: true });
  out.push({ method: "POST", path: "/api/staff/compartments/2/open", body: JSON.stringify({ reason: "" }), type: "application/json", auth: true });
  out.push({ method: "POST", path: "/api/staff/cases/case1/reset-pin", body: JSON.stringify({ newPin: "12345" }), type: "application/json", auth: true });
  // Unknown routes and wrong methods.
  for (const [m, p] of [
    ["DELETE", "/api/dropoff"],
    ["PUT", "/api/pickup"],
    ["GET", "/api/pickup"],
    ["PATCH", "/kiosk"],
    ["GET", "/nope"],
    ["GET", "/api"],
    ["POST", "/healthz"],
    ["GET", "/assets/../package.json"],
  ] as const)
    out.push({ method: m, path: p });
  return out;
}

/** Send them all; returns one line per request that did not get a 4xx JSON `{code, message}`. */
export async function sendMalformed(baseUrl: string, staffCookie: string): Promise<{ sent: number; failures: string[] }> {
  const all = malformedRequests();
  const failures: string[] = [];
  for (const c of all) {
    const headers: Record<string, string> = {};
    if (c.type) headers["content-type"] = c.type;
    if (c.auth) headers.cookie = staffCookie;
    if (c.accept) headers.accept = c.accept;
    const r = await fetch(baseUrl + c.path, { method: c.method, headers, ...(c.body !== undefined ? { body: c.body } : {}) });
    const text = await r.text();
    let json: { code?: unknown; message?: unknown } = {};
    try {
      json = JSON.parse(text);
    } catch {
      /* reported below */
    }
    if (r.status < 400 || r.status >= 500 || typeof json.code !== "number" || typeof json.message !== "string" || !json.message)
      failures.push(`${c.method} ${c.path} ${c.body?.slice(0, 40) ?? ""} → ${r.status} ${text.slice(0, 120)}`);
  }
  return { sent: all.length, failures };
}
