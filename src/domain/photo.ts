/**
 * Photos for the appointment form: JPEG or PNG only, recognised by their first bytes (magic numbers), never
 * by the name or the type the browser declared, and small enough to keep in the database.
 */

export const PHOTO_MAX_BYTES = 1024 * 1024;

export type PhotoType = 'image/jpeg' | 'image/png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image type the bytes really are, or null. */
export function sniffPhoto(bytes: Uint8Array): PhotoType | null {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b))
    return 'image/png';
  return null;
}

export type PhotoProblem = 'missing' | 'too_large' | 'type';

export function checkPhoto(
  bytes: Uint8Array | null | undefined,
): { ok: true; type: PhotoType } | { ok: false; problem: PhotoProblem } {
  if (!bytes || bytes.length === 0) return { ok: false, problem: 'missing' };
  if (bytes.length > PHOTO_MAX_BYTES) return { ok: false, problem: 'too_large' };
  const type = sniffPhoto(bytes);
  return type ? { ok: true, type } : { ok: false, problem: 'type' };
}
