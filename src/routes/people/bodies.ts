import express, { type Express, type RequestHandler } from 'express';
import multer from 'multer';
import { PHOTO_MAX_BYTES } from '../../domain/photo.js';

/**
 * The two request bodies of the people area that the app-wide parsers don't take: the photo upload
 * (multipart, one file, in memory, size-limited) and the bulk assessment sheet (one field per person,
 * more than the app-wide parameter limit). Mounted by app.ts with the other body parsers, before CSRF,
 * which reads the `_csrf` field they parse. The form puts `_csrf` before the file.
 */

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
}).single('photo');

/** A file over the limit is a form error on the page (res.locals.photoProblem), not a 413. */
const photoUpload: RequestHandler = (req, res, next) => {
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
      res.locals.photoProblem = 'too_large';
      req.file = undefined;
      return next();
    }
    if (err instanceof multer.MulterError)
      return next(Object.assign(new Error(err.message), { status: 400, expose: true }));
    next(err);
  });
};

export const PHOTO_UPLOAD_PATH = '/people/:id/photo';
export const ASSESSMENT_SHEET_PATH = '/townships/:id/assessments';

export function setUpPeopleBodies(app: Express): void {
  app.post(PHOTO_UPLOAD_PATH, photoUpload);
  app.post(
    ASSESSMENT_SHEET_PATH,
    express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 }),
  );
}
