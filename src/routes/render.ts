import type { Request, Response } from 'express';
import { formatDate } from '../domain/dates.js';

/**
 * Renders a page, or its A4 print view (`?print=1`: the print layout without navigation) when asked.
 */
export function renderPage(
  req: Request,
  res: Response,
  view: string,
  data: Record<string, unknown>,
  status = 200,
): void {
  const print = req.query.print === '1';
  if (!print) return void res.status(status).render(view, data);
  const back = new URL(req.originalUrl, 'http://x');
  back.searchParams.delete('print');
  res.status(status).render(view, {
    ...data,
    layout: 'print',
    print: true,
    printBack: `${back.pathname}${back.search}`,
    printedOn: formatDate(new Date().toISOString().slice(0, 10), req.locale),
  });
}

/** The same URL with print=1 (keeping the other query parameters). */
export function printHref(req: Request): string {
  const url = new URL(req.originalUrl, 'http://x');
  url.searchParams.set('print', '1');
  return `${url.pathname}${url.search}`;
}
