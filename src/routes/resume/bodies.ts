import type { Express, RequestHandler } from 'express';
import multer from 'multer';
import { paths } from '../../paths.js';

/**
 * The .lrmx import's body: multipart, one file (in memory, size-limited) on the upload, or on confirmation
 * the previewed file's text sent back in a field. Mounted by app.ts with the other body parsers, before
 * CSRF, which reads the `_csrf` field (the forms put it first).
 */

/** An .lrmx file: the fields and a photo of up to 1 MB in base64 fit in 2 MB. */
export const LRMX_MAX_BYTES = 2 * 1024 * 1024;

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: LRMX_MAX_BYTES, files: 1, fields: 8, fieldSize: LRMX_MAX_BYTES, parts: 9 },
}).single('file');

/** A file over the limit is a message on the page (res.locals.lrmxProblem), not a 413. */
const lrmxUpload: RequestHandler = (req, res, next) => {
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (
      err instanceof multer.MulterError &&
      (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE')
    ) {
      res.locals.lrmxProblem = 'too_large';
      req.file = undefined;
      return next();
    }
    if (err instanceof multer.MulterError)
      return next(Object.assign(new Error(err.message), { status: 400, expose: true }));
    next(err);
  });
};

export function setUpResumeBodies(app: Express): void {
  app.post(paths.resume.importLrmx(), lrmxUpload);
}
