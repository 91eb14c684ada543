import { z } from 'zod';
import { isValidDate } from '../../domain/idNumber.js';

export const passwordSchema = z
  .object({
    currentPassword: z
      .string({ error: 'account.errors.currentRequired' })
      .min(1, { error: 'account.errors.currentRequired' })
      .max(200, { error: 'account.errors.currentRequired' }),
    newPassword: z
      .string({ error: 'account.errors.newRequired' })
      .min(1, { error: 'account.errors.newRequired' }),
    confirmPassword: z
      .string({ error: 'account.errors.confirmRequired' })
      .min(1, { error: 'account.errors.confirmRequired' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    error: 'account.errors.confirmMismatch',
  });

export const tokenSchema = (today: string) =>
  z.object({
    name: z
      .string({ error: 'account.errors.tokenNameRequired' })
      .trim()
      .min(1, { error: 'account.errors.tokenNameRequired' })
      .max(60, { error: 'account.errors.tokenNameTooLong' }),
    expiresOn: z
      .string({ error: 'account.errors.expiresInvalid' })
      .trim()
      .refine((v) => v === '' || isValidDate(v), { error: 'account.errors.expiresInvalid' })
      .refine((v) => v === '' || v > today, { error: 'account.errors.expiresPast' })
      .transform((v) => (v === '' ? null : v)),
  });

/** The daily digest: an address (optional unless the digest is on) and the choice. */
export const notificationSchema = z
  .object({
    email: z
      .string({ error: 'digest.errors.email' })
      .trim()
      .max(254, { error: 'digest.errors.email' })
      .refine((v) => v === '' || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), { error: 'digest.errors.email' })
      .transform((v) => (v === '' ? null : v)),
    digestEnabled: z
      .union([z.literal('1'), z.literal('on'), z.literal('true'), z.boolean()])
      .optional()
      .transform((v) => v !== undefined && v !== false),
  })
  .refine((v) => !v.digestEnabled || v.email !== null, {
    path: ['email'],
    error: 'digest.errors.needsEmail',
  });
