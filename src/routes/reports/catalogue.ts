/**
 * The reports a county organisation department files, in the order the index lists them. `slug` is the
 * page (`/reports/<slug>`, `.xlsx`, `?print=1`) and the API twin (`/api/v1/reports/<slug>`); `key` names the
 * strings under `reports.catalogue.<key>`; `period` reports compare two dates instead of taking one.
 */
export const REPORTS = [
  { slug: 'establishment', key: 'establishment', period: false },
  { slug: 'leadership', key: 'leadership', period: false },
  { slug: 'cross-type', key: 'crossType', period: false },
  { slug: 'secondments', key: 'secondments', period: false },
  { slug: 'eligibility', key: 'eligibility', period: false },
  { slug: 'workforce', key: 'workforce', period: false },
  { slug: 'changes', key: 'changes', period: true },
  { slug: 'publicity-probation', key: 'promotionCalendar', period: false },
] as const;

export type ReportSlug = (typeof REPORTS)[number]['slug'];
export type ReportKey = (typeof REPORTS)[number]['key'];
