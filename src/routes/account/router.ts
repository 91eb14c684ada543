import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { formatDate } from '../../domain/dates.js';
import { MIN_PASSWORD_LENGTH } from '../../domain/passwordPolicy.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { actorOf, principalOf } from '../actor.js';
import {
  errorsByField,
  type FieldError,
  fieldError,
  idParam,
  keptValues,
  pageTitle,
  parseForm,
} from '../forms.js';
import { notificationSchema, passwordSchema, tokenSchema } from './schemas.js';

export function accountRouter(services: Services): Router {
  const router = Router();

  async function renderAccount(
    req: Request,
    res: Response,
    status: number,
    extra: {
      passwordErrors?: FieldError[];
      tokenErrors?: FieldError[];
      tokenValues?: Record<string, string>;
      notificationErrors?: FieldError[];
      notificationValues?: { email: string; digestEnabled: boolean };
      newToken?: string;
    } = {},
  ) {
    const principal = principalOf(req);
    const tokens = await services.auth.listTokens(principal.userId);
    const dt = (d: Date | null) => (d ? formatDate(d.toISOString().slice(0, 10), req.locale) : '');
    const passwordErrors = extra.passwordErrors ?? [];
    const tokenErrors = extra.tokenErrors ?? [];
    const notificationErrors = extra.notificationErrors ?? [];
    const errors = [...passwordErrors, ...tokenErrors, ...notificationErrors];
    const saved = await services.digest.settings(principal.userId);
    res.status(status).render('account/index', {
      title: pageTitle(req, 'account.title', errors),
      errors,
      passwordErrors: errorsByField(passwordErrors),
      tokenErrors: errorsByField(tokenErrors),
      tokenValues: extra.tokenValues ?? { name: '', expiresOn: '' },
      notificationErrors: errorsByField(notificationErrors),
      notificationValues: extra.notificationValues ?? {
        email: saved.email ?? '',
        digestEnabled: saved.digestEnabled,
      },
      digestAvailable: services.digest.enabled,
      hasInbox: principal.grants.some((g) => g.role !== 'staff'),
      newToken: extra.newToken,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      account: {
        username: principal.username,
        displayName: principal.displayName,
        roles: principal.grants.map((g) => req.t(`roles.${g.role}`)),
      },
      tokens: tokens.map((tk) => ({
        id: tk.id,
        name: tk.name,
        prefix: `${tk.prefix}…`,
        created: dt(tk.createdAt),
        expires: tk.expiresAt ? dt(tk.expiresAt) : req.t('account.tokens.never'),
        lastUsed: tk.lastUsedAt ? dt(tk.lastUsedAt) : req.t('account.tokens.neverUsed'),
        revoked: tk.revokedAt !== null,
        revokeHref: paths.accountTokenRevoke(tk.id),
      })),
    });
  }

  router.get(paths.account(), (req, res) => renderAccount(req, res, 200));

  router.post(paths.accountPassword(), async (req, res) => {
    const form = parseForm(passwordSchema, req.body, req);
    if (!form.ok) return renderAccount(req, res, 400, { passwordErrors: form.errors });
    const result = await services.auth.changePassword(
      actorOf(req),
      form.data.currentPassword,
      form.data.newPassword,
    );
    if (!result.ok) {
      const key =
        result.field === 'currentPassword'
          ? 'account.errors.currentWrong'
          : `account.errors.policy.${result.problem}`;
      return renderAccount(req, res, 400, {
        passwordErrors: [fieldError(req, result.field, key, { min: MIN_PASSWORD_LENGTH })],
      });
    }
    // Other sessions were signed out; this one stays valid.
    req.session.createdAt = Date.now();
    req.session.flash = { kind: 'success', key: 'account.passwordChanged' };
    res.redirect(303, paths.account());
  });

  router.post(paths.accountTokens(), async (req, res) => {
    const form = parseForm(tokenSchema(services.clock.today()), req.body, req);
    if (!form.ok) {
      return renderAccount(req, res, 400, {
        tokenErrors: form.errors,
        tokenValues: keptValues(req.body, ['name', 'expiresOn']),
      });
    }
    const { raw } = await services.auth.createToken(actorOf(req), form.data.name, form.data.expiresOn);
    // Shown once, on this response only: the token is never stored in clear, not even in the session.
    await renderAccount(req, res, 201, { newToken: raw });
  });

  router.post(paths.accountNotifications(), async (req, res) => {
    const form = parseForm(notificationSchema, req.body, req);
    const kept = () => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      return {
        email: typeof body.email === 'string' ? body.email.slice(0, 300) : '',
        digestEnabled: body.digestEnabled !== undefined,
      };
    };
    if (!form.ok)
      return renderAccount(req, res, 400, { notificationErrors: form.errors, notificationValues: kept() });
    const result = await services.digest.updateSettings(actorOf(req), form.data);
    if (!result.ok) {
      return renderAccount(req, res, 400, {
        notificationErrors: [
          fieldError(
            req,
            result.field,
            `digest.errors.${result.code === 'digest_needs_email' ? 'needsEmail' : 'email'}`,
          ),
        ],
        notificationValues: kept(),
      });
    }
    req.session.flash = { kind: 'success', key: 'digest.saved' };
    res.redirect(303, paths.account());
  });

  router.post('/account/tokens/:id/revoke', async (req, res) => {
    const id = idParam(req.params.id);
    if (id === null || !(await services.auth.revokeToken(actorOf(req), id))) throw new NotFoundError('token');
    req.session.flash = { kind: 'success', key: 'account.tokens.revoked' };
    res.redirect(303, paths.account());
  });

  return router;
}
