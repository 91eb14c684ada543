import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { WriteResult } from '../services/establishment/results.js';
import { type FieldError, fieldError, parseForm } from './forms.js';

/** Refusal codes that are about the current state of the records (409), not about what was typed (400). */
const CONFLICTS =
  /^(quota_|slot_|leadership_total|post_not_vacant|person_has|unit_leaders_full|unit_has_people|already_corrected|above_unit_rank|featured_limit|unit_limit|holder_type_excluded|post_held|stale_version|already_decided|party_opinion_required|movement_pending|quota_approval_lapsed|case_closed|not_in_state|after_decision|publicity_running|objection_open|probation_running|case_open_for_seat|appointee_in_other_case|grade_overlap|person_has_post|opinion_exists)/;

export const isConflict = (code: string): boolean => CONFLICTS.test(code);

/** Refusal codes that say the request is visible but the action is not this user's to take (403). */
const FORBIDDEN = /^(not_your_turn|not_proposer|own_request|not_your_side)$/;

export const isForbidden = (code: string): boolean => FORBIDDEN.test(code);

/** The HTTP status of a refusal: 403 not yours, 409 about the state of the records, else the given one. */
export const refusalStatus = (code: string, otherwise: number): number =>
  isForbidden(code) ? 403 : isConflict(code) ? 409 : otherwise;

export interface FormFlow<S extends z.ZodType, R> {
  schema: S;
  /** The fields to put back into the form (strings; checkboxes '1'). */
  fields: readonly string[];
  renderForm: (
    values: Record<string, string | string[]>,
    errors: FieldError[],
    status: number,
  ) => void | Promise<void>;
  /** Label/value rows for the check-your-answers page. */
  checkRows: (
    data: z.infer<S>,
  ) => Array<{ label: string; value: string }> | Promise<Array<{ label: string; value: string }>>;
  checkTitle: string;
  commit: (data: z.infer<S>) => Promise<WriteResult<R>>;
  done: (result: R, replayed: boolean) => void;
  /** The message key and status of a refusal code; default `refusals.<code>`, 409 for conflicts. */
  refusal?: (code: string) => { key: string; status: number };
}

/** A new form key: one per rendered form, so a double submit is recognised (idempotency_keys). */
export const newFormKey = (): string => randomUUID();

export function formValues(body: unknown, fields: readonly string[]): Record<string, string | string[]> {
  const source = (body ?? {}) as Record<string, unknown>;
  const values: Record<string, string | string[]> = {};
  for (const f of fields) {
    const v = source[f];
    if (typeof v === 'string') values[f] = v.slice(0, 1000);
    else if (Array.isArray(v))
      values[f] = v.filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 200));
    else values[f] = '';
  }
  return values;
}

/**
 * Form → check your answers → commit, the GOV.UK way: the first POST validates and shows what will be
 * recorded; `confirm=1` commits; `edit=1` goes back to the form with everything kept. A refusal from the
 * service is shown on the form, beside its field.
 */
export async function runFormFlow<S extends z.ZodType, R>(
  req: Request,
  res: Response,
  flow: FormFlow<S, R>,
): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const values = formValues(body, [...flow.fields, 'formKey']);
  if (!values.formKey) values.formKey = newFormKey();
  if (body.edit === '1') return void (await flow.renderForm(values, [], 200));
  const parsed = parseForm(flow.schema, body, req);
  if (!parsed.ok) return void (await flow.renderForm(values, parsed.errors, 400));
  if (body.confirm !== '1') {
    res.render('forms/check', {
      title: flow.checkTitle,
      rows: await flow.checkRows(parsed.data),
      hidden: Object.entries(values).flatMap(([name, v]) =>
        Array.isArray(v) ? v.map((value) => ({ name, value })) : [{ name, value: v }],
      ),
      action: req.originalUrl,
    });
    return;
  }
  const result = await flow.commit(parsed.data);
  if (!result.ok) {
    const refusal = flow.refusal?.(result.code) ?? {
      key: `refusals.${result.code}`,
      status: refusalStatus(result.code, 400),
    };
    const error = fieldError(req, result.field, refusal.key, translatedVars(req, result.vars ?? {}));
    return void (await flow.renderForm(values, [error], refusal.status));
  }
  flow.done(result.value, result.replayed === true);
}

/** Refusal numbers with their codes translated (establishment types, ranks, leadership kinds). */
export function translatedVars(
  req: Request,
  vars: Record<string, string | number>,
): Record<string, string | number> {
  const out: Record<string, string | number> = { ...vars };
  if (typeof vars.type === 'string') out.type = req.t(`establishmentTypes.${vars.type}`);
  if (typeof vars.kind === 'string') out.kind = req.t(`leadershipKinds.${vars.kind}`);
  for (const k of ['unitRank', 'leaderRank'] as const)
    if (typeof vars[k] === 'string') out[k] = req.t(`unitRanks.${vars[k]}`);
  if (typeof vars.unitKind === 'string') out.unitKind = req.t(`unitKinds.${vars.unitKind}`);
  return out;
}
