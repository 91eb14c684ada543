import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { scopeOf } from '../actor.js';
import { can } from '../establishment/permissions.js';
import { townshipNav } from '../establishment/viewModels.js';
import { formatterFor } from '../format.js';
import { idParam } from '../forms.js';
import * as vm from './viewModels.js';

/** Read-only pages city → county → township → unit → post, each inside the caller's scope (people: ../people). */
export function directoryRouter(services: Services): Router {
  const router = Router();
  const dir = services.directory;

  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };

  router.get(paths.cities(), async (req, res) => {
    const cities = await dir.cities(scopeOf(req));
    if (cities.length === 1 && cities[0]) return res.redirect(303, paths.city(cities[0].id));
    res.render('directory/cities', { title: req.t('directory.cities.title'), cities: vm.citiesView(cities) });
  });

  router.get('/cities/:id', async (req, res) => {
    const view = vm.cityView(await dir.city(scopeOf(req), idOf(req)), formatterFor(req));
    res.render('directory/city', { title: view.name, view });
  });

  const countyOf = (path: Array<{ kind: string; id: number }>) =>
    path.find((r) => r.kind === 'county')?.id ?? 0;

  router.get('/townships/:id', async (req, res) => {
    const id = idOf(req);
    const view = vm.townshipView(await dir.township(scopeOf(req), id), formatterFor(req));
    // Officers and county roles who may write here get the roster import (名册导入) link.
    const scope = scopeOf(req);
    const importHref = scope.all || scope.townshipIds.has(id) ? paths.imports.index(id) : null;
    res.render('directory/township', {
      title: view.name,
      view,
      importHref,
      nav: townshipNav(id, 'overview', req.t),
    });
  });

  router.get('/townships/:id/people', async (req, res) => {
    const id = idOf(req);
    const view = vm.rosterView(await dir.roster(scopeOf(req), id), formatterFor(req));
    res.render('directory/roster', {
      title: req.t('roster.title', { township: view.name }),
      view,
      nav: townshipNav(id, 'roster', req.t),
    });
  });

  router.get('/units/:id', async (req, res) => {
    const data = await dir.unit(scopeOf(req), idOf(req));
    const view = vm.unitView(data, formatterFor(req));
    const decide = can.decideForCounty(req, countyOf(data.path)) && !data.unit.abolishedOn;
    res.render('directory/unit', {
      title: view.name,
      view,
      actions: {
        newPost: can.manageTownship(req, data.unit.townshipId)
          ? `${paths.newPost(data.unit.townshipId)}?unit=${data.unit.id}`
          : null,
        change: decide ? paths.changeUnit(data.unit.id) : null,
        abolish: decide ? paths.abolishUnit(data.unit.id) : null,
      },
    });
  });

  router.get('/posts/:id', async (req, res) => {
    const data = await dir.post(scopeOf(req), idOf(req));
    const view = vm.postView(data, formatterFor(req));
    const manage = can.manageTownship(req, data.post.townshipId) && !data.post.closedOn;
    const vacant = !data.history.some((h) => h.current);
    res.render('directory/post', {
      title: view.name,
      view,
      actions: {
        edit: manage ? paths.editPost(data.post.id) : null,
        close: manage && vacant ? paths.closePost(data.post.id) : null,
        place: manage && vacant ? paths.placeInPost(data.post.id) : null,
      },
    });
  });

  return router;
}
