/**
 * Whole numbers only, written plainly. fastify's ajv coerces strings to
 * numbers for params and query strings (and we keep that: they are always
 * text), but its coercion is JavaScript's `Number()`: "0x1", "1e0", " 1" and
 * "1.0" all became compartment 1. This hook runs before validation and
 * refuses, with a 400 naming the field, any text in an integer or number
 * field that is not plain decimal digits, and any text at all where a JSON
 * body should carry a number.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ErrorCode, LockerError } from "../errors/LockerError.js";

type Props = Record<string, { type?: string | string[] }>;

const PLAIN_INTEGER = /^-?(0|[1-9][0-9]{0,15})$/;

/** Register on an app (applies to every route registered after, in any scope). */
export function strictIntegers(app: FastifyInstance): void {
  app.addHook("preValidation", async (req: FastifyRequest) => {
    const schema = req.routeOptions.schema as { params?: { properties?: Props }; querystring?: { properties?: Props }; body?: { properties?: Props } } | undefined;
    if (!schema) return;
    check(schema.params?.properties, req.params, "path", true);
    check(schema.querystring?.properties, req.query, "query", true);
    check(schema.body?.properties, req.body, "body", false);
  });
}

function check(props: Props | undefined, values: unknown, where: string, textAllowed: boolean): void {
  if (!props || !values || typeof values !== "object") return;
  for (const [name, p] of Object.entries(props)) {
    const types = Array.isArray(p.type) ? p.type : [p.type];
    if (!types.includes("integer") && !types.includes("number")) continue;
    if (types.includes("string")) continue;
    const v = (values as Record<string, unknown>)[name];
    if (typeof v !== "string") continue;
    if (textAllowed && PLAIN_INTEGER.test(v)) continue;
    throw new LockerError(
      textAllowed ? `${where} ${name} must be a whole number written in plain digits (got "${v.slice(0, 20)}")` : `${where} field ${name} must be a JSON number, not text`,
      ErrorCode.Locker_InvalidInput,
      { field: name },
    );
  }
}
