import type { Request } from 'express';
import type { z } from 'zod';

/** A field error the GOV.UK way: shown in the summary (linking to the field) and beside the field. */
export interface FieldError {
  field: string;
  href: string;
  text: string;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/**
 * Parses a form body with its schema. Schema messages are i18n keys; the first problem per field is kept,
 * in the schema's field order, so the summary reads top to bottom like the form.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  req: Request,
): FormResult<z.infer<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push(fieldError(req, field, issue.message));
  }
  return { ok: false, errors };
}

export function fieldError(
  req: Request,
  field: string,
  key: string,
  vars: Record<string, unknown> = {},
): FieldError {
  return { field, href: `#${field}`, text: req.t(key, vars) };
}

/** The errors keyed by field, for the message beside each input. */
export function errorsByField(errors: readonly FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field, e.text]));
}

/** String values of a submitted form, to put back into the inputs (never passwords). */
export function keptValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    fields.map((f) => [f, typeof source[f] === 'string' ? (source[f] as string).slice(0, 500) : '']),
  );
}

/** Page title with the error prefix when the form has errors ("错误：登录"). */
export function pageTitle(req: Request, titleKey: string, errors: readonly FieldError[] = []): string {
  const title = req.t(titleKey);
  return errors.length > 0 ? `${req.t('errors.prefix')}${title}` : title;
}

/** Route parameter ids: anything but a positive integer is simply not found. */
export function idParam(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : null;
}
