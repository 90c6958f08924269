/** JSON schemas shared by the staff API's route plugins. */
import { errorResponse } from "../httpErrors.js";

export const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  423: errorResponse,
  429: errorResponse,
  503: errorResponse,
};
export const opened = {
  type: "object",
  additionalProperties: false,
  required: ["compartment"],
  properties: { compartment: { type: "integer" }, caseId: { type: "string" }, caseNumber: { type: "string" } },
} as const;
export const ok = { type: "object", additionalProperties: false, required: ["ok"], properties: { ok: { type: "boolean" } } } as const;
