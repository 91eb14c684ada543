import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { WriteResult } from '../../services/establishment/results.js';
import { refusalStatus, translatedVars } from '../formFlow.js';
import { parseForm } from '../forms.js';

/**
 * JSON writes through the same zod schemas as the forms: 422 with every field problem for bad input,
 * 409 for refusals about the state of the records, 201 (or the given status) with the result; an
 * `Idempotency-Key` header (a UUID) makes a retry answer like the first request.
 */
/** JSON values to the strings the form schemas read (true → '1', false → '', numbers → digits). */
export const asForm = (body: unknown, idempotencyKey: string | undefined): Record<string, unknown> => {
  const source =
    body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = String(v);
    else if (typeof v === 'boolean') out[k] = v ? '1' : undefined;
    else if (v === null) out[k] = '';
    else out[k] = v;
  }
  out.formKey = idempotencyKey && /^[0-9a-f-]{36}$/i.test(idempotencyKey) ? idempotencyKey : randomUUID();
  return out;
};

export async function jsonWrite<S extends z.ZodType, R>(
  req: Request,
  res: Response,
  schema: S,
  run: (data: z.infer<S>) => Promise<WriteResult<R>>,
  status = 201,
  /** Where an area keeps its refusal messages (default `refusals.<code>`). */
  refusalKey: (code: string) => string = (code) => `refusals.${code}`,
  /** The HTTP status of a refusal (default `refusalStatus`, 422 for the rest). */
  statusOf: (code: string, otherwise: number) => number = refusalStatus,
) {
  const parsed = parseForm(schema, asForm(req.body, req.get('Idempotency-Key')), req);
  if (!parsed.ok) {
    const [first] = parsed.errors;
    return res.status(422).json({
      error: {
        code: 'validation',
        field: first?.field,
        message: first?.text,
        fields: parsed.errors.map((e) => ({ field: e.field, message: e.text })),
      },
    });
  }
  const result = await run(parsed.data);
  if (!result.ok) {
    return res.status(statusOf(result.code, 422)).json({
      error: {
        code: result.code,
        field: result.field,
        message: req.t(refusalKey(result.code), translatedVars(req, result.vars ?? {})),
      },
    });
  }
  res.status(result.replayed ? 200 : status).json(result.value);
}
