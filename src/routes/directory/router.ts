import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { scopeOf } from '../actor.js';
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

  router.get('/counties/:id', async (req, res) => {
    const view = vm.countyView(await dir.county(scopeOf(req), idOf(req)), formatterFor(req));
    res.render('directory/county', { title: view.name, view });
  });

  router.get('/townships/:id', async (req, res) => {
    const view = vm.townshipView(await dir.township(scopeOf(req), idOf(req)), formatterFor(req));
    res.render('directory/township', { title: view.name, view });
  });

  router.get('/townships/:id/people', async (req, res) => {
    const view = vm.rosterView(await dir.roster(scopeOf(req), idOf(req)), formatterFor(req));
    res.render('directory/roster', { title: req.t('roster.title', { township: view.name }), view });
  });

  router.get('/units/:id', async (req, res) => {
    const view = vm.unitView(await dir.unit(scopeOf(req), idOf(req)), formatterFor(req));
    res.render('directory/unit', { title: view.name, view });
  });

  router.get('/posts/:id', async (req, res) => {
    const view = vm.postView(await dir.post(scopeOf(req), idOf(req)), formatterFor(req));
    res.render('directory/post', { title: view.name, view });
  });

  return router;
}
