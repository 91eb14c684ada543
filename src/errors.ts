/** Typed errors, each mapped to one page and one JSON shape by the error handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
  }
}

/** Missing or outside the caller's scope: both answer 404, so scope never leaks existence. */
export class NotFoundError extends HttpError {
  constructor(what = 'resource') {
    super(404, 'not_found', `${what} not found`);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'forbidden') {
    super(403, 'forbidden', message);
  }
}

export class UnauthenticatedError extends HttpError {
  constructor() {
    super(401, 'unauthenticated', 'sign-in required');
  }
}

/** A stale form or a concurrent change: explained on a 409 page. */
export class ConflictError extends HttpError {
  constructor(
    readonly messageKey: string,
    readonly vars: Record<string, unknown> = {},
  ) {
    super(409, 'conflict', messageKey);
  }
}
