import { describe, expect, it } from "vitest";
import { ALL_CASE_STATES, CASE_TRANSITIONS, nextCaseState, type CaseTransition } from "../../src/locker/caseMachine.js";
import { ALL_COMPARTMENT_STATUSES, COMPARTMENT_TRANSITIONS, nextCompartmentStatus, type CompartmentTransition } from "../../src/locker/compartmentMachine.js";
import { ErrorCode, isLockerError } from "../../src/errors/LockerError.js";
import type { CaseState, CompartmentStatus } from "../../src/locker/events.js";

const LEGAL_CASE: [CaseState, CaseTransition, CaseState][] = [
  ["dropoff_pending", "dropoffCompleted", "dropped_off"],
  ["dropoff_pending", "dropoffCancelled", "cancelled"],
  ["dropped_off", "staffCollected", "with_staff"],
  ["ready", "staffCollected", "with_staff"],
  ["frozen", "staffCollected", "with_staff"],
  ["with_staff", "returnStarted", "return_pending"],
  ["return_pending", "returnCompleted", "ready"],
  ["return_pending", "returnAborted", "with_staff"],
  ["ready", "pickupStarted", "collecting"],
  ["collecting", "pickupCompleted", "collected"],
  ["collecting", "pickupAborted", "ready"],
  ["ready", "pinCapReached", "frozen"],
  ["frozen", "pinReset", "ready"],
];

const LEGAL_COMPARTMENT: [CompartmentStatus, CompartmentTransition, CompartmentStatus][] = [
  ["free", "reserve", "reserved"],
  ["reserved", "fill", "holding"],
  ["holding", "empty", "free"],
  ["reserved", "release", "free"],
  ["free", "fault", "faulty"],
  ["reserved", "fault", "faulty"],
  ["faulty", "repair", "free"],
  ["free", "disable", "disabled"],
  ["faulty", "disable", "disabled"],
  ["disabled", "enable", "free"],
];

describe("case lifecycle", () => {
  it.each(LEGAL_CASE)("%s --%s--> %s", (from, t, to) => {
    expect(nextCaseState(from, t)).toBe(to);
  });

  const transitions = Object.keys(CASE_TRANSITIONS) as CaseTransition[];
  const illegal = ALL_CASE_STATES.flatMap((s) => transitions.filter((t) => !LEGAL_CASE.some(([f, tt]) => f === s && tt === t)).map((t) => [s, t] as const));

  it("the table above is the whole machine", () => {
    expect(LEGAL_CASE.length + illegal.length).toBe(ALL_CASE_STATES.length * transitions.length);
    for (const t of transitions) for (const f of CASE_TRANSITIONS[t].from) expect(LEGAL_CASE.some(([a, b]) => a === f && b === t)).toBe(true);
  });

  it.each(illegal)("%s refuses %s", (from, t) => {
    let err: unknown;
    try {
      nextCaseState(from, t);
    } catch (e) {
      err = e;
    }
    expect(isLockerError(err, ErrorCode.Locker_IllegalTransition)).toBe(true);
  });

  it("closed cases take no step at all", () => {
    for (const s of ["collected", "cancelled"] as const) for (const t of transitions) expect(() => nextCaseState(s, t)).toThrow(/cannot take the step/);
  });
});

describe("compartment status", () => {
  it.each(LEGAL_COMPARTMENT)("%s --%s--> %s", (from, t, to) => {
    expect(nextCompartmentStatus(from, t)).toBe(to);
  });

  const transitions = Object.keys(COMPARTMENT_TRANSITIONS) as CompartmentTransition[];
  const illegal = ALL_COMPARTMENT_STATUSES.flatMap((s) => transitions.filter((t) => !LEGAL_COMPARTMENT.some(([f, tt]) => f === s && tt === t)).map((t) => [s, t] as const));

  it("the table above is the whole machine", () => {
    expect(LEGAL_COMPARTMENT.length + illegal.length).toBe(ALL_COMPARTMENT_STATUSES.length * transitions.length);
  });

  it.each(illegal)("%s refuses %s", (from, t) => {
    expect(() => nextCompartmentStatus(from, t)).toThrow(expect.objectContaining({ code: ErrorCode.Locker_IllegalTransition }));
  });
});
