/**
 * The audit trail as the staff page and lockerctl read it: newest first, one
 * page at a time (AuditLog.page). The daemon passes the store's pager; a core
 * without one (the HTTP test double) is paged in memory from `locker.audit`.
 */
import type { LockerApi } from "../locker/LockerApi.js";
import type { AuditPager } from "../store/AuditLog.js";

/** `pager` when given, else newest-first pages built from `locker.audit` (small trails only). */
export function auditPagerOf(locker: LockerApi, pager?: AuditPager): AuditPager {
  if (pager) return pager;
  return (f) =>
    locker
      .audit({
        ...(f.sinceSeq !== undefined ? { sinceSeq: f.sinceSeq } : {}),
        ...(f.sinceTime ? { sinceTime: f.sinceTime } : {}),
        ...(f.caseId ? { caseId: f.caseId } : {}),
        limit: 10_000,
      })
      .filter((e) => f.beforeSeq === undefined || e.seq < f.beforeSeq)
      .reverse()
      .slice(0, f.limit ?? 200);
}
