import { Router } from 'express';
import type { Services } from '../../container.js';
import { paths } from '../../paths.js';
import { principalOf } from '../actor.js';

export function adminRouter(services: Services): Router {
  const router = Router();

  router.get(paths.adminUsers(), async (req, res) => {
    const users = await services.admin.users(principalOf(req));
    res.render('admin/users', {
      title: req.t('admin.users.title'),
      users: users.map((u) => ({
        username: u.username,
        displayName: u.displayName,
        disabled: u.disabled,
        grants: u.grants.map((g) => ({
          role: req.t(`roles.${g.role}`),
          scope: g.regionName ?? g.personName ?? req.t('admin.users.everything'),
        })),
      })),
    });
  });

  return router;
}
