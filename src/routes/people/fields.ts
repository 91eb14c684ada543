import type { Request } from 'express';
import type { FieldError } from '../forms.js';

/**
 * Form fields as the generic form template draws them (views/partials/people/field.hbs): labels, hints,
 * the kept value, the error beside the field and the ids that tie them together for screen readers.
 * Field name = input id = schema key = error summary anchor.
 */

export interface Option {
  value: string;
  label: string;
}

export interface FieldView {
  id: string;
  name: string;
  kind: 'text' | 'textarea' | 'select' | 'radios' | 'checkbox' | 'file';
  label: string;
  hint: string;
  error: string;
  value: string;
  checked: boolean;
  optional: boolean;
  maxlength: number | null;
  inputmode: string;
  autocomplete: string;
  describedBy: string;
  options: Array<Option & { id: string; selected: boolean }>;
}

export interface FieldSpec {
  name: string;
  kind?: FieldView['kind'];
  /** An i18n key. */
  label: string;
  hint?: string;
  optional?: boolean;
  maxlength?: number;
  inputmode?: string;
  autocomplete?: string;
  options?: Option[];
  /** A first, empty option ("请选择…") for selects. */
  placeholder?: string;
}

export interface GroupView {
  legend: string;
  fields: FieldView[];
}

export interface FormView {
  title: string;
  heading: string;
  subheading: string;
  intro: string;
  action: string;
  multipart: boolean;
  hidden: Array<{ name: string; value: string }>;
  groups: GroupView[];
  submit: string;
  cancelHref: string;
  crumbs: Array<{ label: string; href: string | null }>;
}

/** Builds fields from specs with the request's language, the kept values and the errors. */
export function fieldBuilder(req: Request, values: Record<string, string>, errors: readonly FieldError[]) {
  const byField = new Map(errors.map((e) => [e.field, e.text]));
  return (spec: FieldSpec): FieldView => {
    const kind = spec.kind ?? 'text';
    const value = values[spec.name] ?? '';
    const error = byField.get(spec.name) ?? '';
    const hint = spec.hint ? req.t(spec.hint) : '';
    const options = [
      ...(spec.placeholder ? [{ value: '', label: req.t(spec.placeholder) }] : []),
      ...(spec.options ?? []),
    ].map((o, i) => ({
      ...o,
      // The first radio carries the field's id, so the error summary's link lands on it.
      id: i === 0 ? spec.name : `${spec.name}-${o.value || 'none'}`,
      selected: o.value === value,
    }));
    return {
      id: spec.name,
      name: spec.name,
      kind,
      label: req.t(spec.label),
      hint,
      error,
      value,
      checked: value === 'yes' || value === 'true' || value === 'on',
      optional: spec.optional ?? false,
      maxlength: spec.maxlength ?? null,
      inputmode: spec.inputmode ?? '',
      autocomplete: spec.autocomplete ?? 'off',
      describedBy: [hint ? `${spec.name}-hint` : '', error ? `${spec.name}-error` : '']
        .filter(Boolean)
        .join(' '),
      options,
    };
  };
}

/** The string values of a body for the given fields (what the form shows again after an error). */
export function kept(body: unknown, names: readonly string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    names.map((n) => {
      const v = source[n];
      return [
        n,
        typeof v === 'string' ? v.slice(0, 500) : typeof v === 'number' ? String(v) : v === true ? 'yes' : '',
      ];
    }),
  );
}

export const codeOptions = (req: Request, group: string, codes: readonly string[]): Option[] =>
  codes.map((c) => ({ value: c, label: req.t(`${group}.${c}`) }));
