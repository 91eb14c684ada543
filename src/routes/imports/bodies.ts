import type { Express, RequestHandler } from 'express';
import multer from 'multer';
import { paths } from '../../paths.js';
import { IMPORT_MAX_BYTES } from '../../services/imports/importService.js';

/**
 * The roster upload's body: multipart, one .xlsx file in memory (10 MB at most), on the page's and the API's
 * upload routes only. Mounted by app.ts with the other body parsers, before CSRF, which reads the `_csrf`
 * field (the form puts it first). A file over the limit is a message on the page, not a 413 page.
 */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 8, fieldSize: 64 * 1024, parts: 9 },
}).single('file');

const importUpload: RequestHandler = (req, res, next) => {
  if (!req.is('multipart/form-data')) return next();
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
      res.locals.importProblem = 'too_large';
      req.file = undefined;
      return next();
    }
    if (err instanceof multer.MulterError)
      return next(Object.assign(new Error(err.message), { status: 400, expose: true }));
    next(err);
  });
};

export function setUpImportBodies(app: Express): void {
  app.post(paths.imports.index(), importUpload);
  app.post(paths.api.imports(), importUpload);
}
