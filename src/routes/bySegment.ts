import type { RequestHandler, Router } from 'express';

/** A router's layers as Express 5's router keeps them (`router.stack`): a route's layer has `route` and `rawPath`. */
interface LayerLike {
  route?: unknown;
  rawPath?: unknown;
}

/**
 * The first segment of a route's path, lower-cased ('/people/:id/career' → 'people', the root '/' → ''), or
 * null when the path could match a request whatever its first segment (a parameter, a pattern, not a string).
 */
export function firstSegmentOf(path: unknown): string | null {
  if (typeof path !== 'string' || !path.startsWith('/')) return null;
  if (path === '/') return '';
  const segment = path.slice(1).split('/')[0] ?? '';
  if (segment === '' || /[^A-Za-z0-9._~-]/.test(segment)) return null;
  return segment.toLowerCase();
}

/**
 * The router, entered only by requests whose first path segment one of its routes starts with. The signed-in
 * routers are mounted one after another at the root, each with its own full paths, so a request used to be
 * matched against every route of every router before its own (some hundred path patterns for a page near the
 * end); now it skips a router whose routes cannot match it. A router with any middleware layer (`router.use`)
 * or a route whose first segment is not a literal is always entered, so nothing changes for it. Express matches
 * paths case-insensitively and with or without a trailing slash, and so does this (segments are compared
 * lower-cased; the segment ends at the next '/').
 */
export function bySegment(router: Router): RequestHandler {
  const stack = (router as unknown as { stack?: LayerLike[] }).stack ?? [];
  const segments = new Set<string>();
  for (const layer of stack) {
    const segment = layer.route ? firstSegmentOf(layer.rawPath) : null;
    if (segment === null) return router;
    segments.add(segment);
  }
  const dispatch: RequestHandler = (req, res, next) => {
    const path = req.path;
    const end = path.indexOf('/', 1);
    const segment = (end < 0 ? path.slice(1) : path.slice(1, end)).toLowerCase();
    if (segments.has(segment)) return router(req, res, next);
    next();
  };
  // The router's layers stay visible through the wrapper (the route table of the tests walks them).
  return Object.assign(dispatch, { stack });
}
