import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { ESTABLISHMENT_TYPES } from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { assertCan } from '../../services/access.js';
import { contextOf, scopeOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { formValues, newFormKey, runFormFlow, translatedVars } from '../formFlow.js';
import { errorsByField, type FieldError, fieldError, idParam, pageTitle, parseForm } from '../forms.js';
import { can } from './permissions.js';
import { closePostSchema, createPostSchema, placementSchema, postFieldsSchema } from './schemas.js';

const CATEGORIES = ['leadership', 'civil_service', 'management', 'professional', 'skilled'];
const POST_FIELDS = ['name', 'category', 'leadershipKind', 'establishmentTypes', 'gradeLow', 'gradeHigh'];

/** The township officer's posts: create, edit, close, and place a person in a vacant post (a correction of record). */
export function postRouter(services: Services): Router {
  const router = Router();
  const { reads, posts } = services.establishment;
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };

  async function postFormOptions(
    req: Request,
    values: Record<string, string | string[]>,
    townshipId: number,
  ) {
    const f = formatterFor(req);
    const [unitKinds, townshipKinds, grades, unitList] = await Promise.all([
      reads.unitLeadershipKinds(),
      reads.townshipLeadershipKinds(),
      reads.gradeLevels(),
      reads.unitsOf(townshipId),
    ]);
    const types = Array.isArray(values.establishmentTypes)
      ? values.establishmentTypes
      : [values.establishmentTypes];
    return {
      categories: CATEGORIES.map((c) => ({
        code: c,
        label: f.label('postCategories', c),
        selected: c === values.category,
      })),
      leadershipKinds: [...townshipKinds, ...unitKinds].map((k) => ({
        code: k.code,
        label: `${f.name(k.name_zh, k.name_en)}（${req.t(k.scope === 'township' ? 'postForm.teamKind' : 'postForm.unitKind')}）`,
        selected: k.code === values.leadershipKind,
      })),
      types: ESTABLISHMENT_TYPES.map((t) => ({
        code: t,
        label: f.label('establishmentTypes', t),
        checked: types.includes(t),
      })),
      grades: grades.map((g) => ({
        code: g.code,
        label: `${f.label('ladders', g.ladder)} · ${f.name(g.name_zh, g.name_en)}`,
        lowSelected: g.code === values.gradeLow,
        highSelected: g.code === values.gradeHigh,
      })),
      units: [
        { id: '', name: req.t('post.leadershipTeam'), selected: !values.unitId },
        ...unitList.map((u) => ({
          id: String(u.id),
          name: u.name,
          selected: String(u.id) === values.unitId,
        })),
      ],
    };
  }

  router.all('/townships/:id/posts/new', async (req, res) => {
    const townshipId = idOf(req);
    const township = await reads.visibleTownship(scopeOf(req), townshipId);
    assertCan(can.manageTownship(req, townshipId));
    const f = formatterFor(req);
    const render = async (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/postForm', {
        title: pageTitle(req, 'postForm.newTitle', errors),
        heading: req.t('postForm.newTitle'),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        township: township.name,
        creating: true,
        ...(await postFormOptions(req, values, townshipId)),
        backHref: paths.establishment(townshipId),
      });
    if (req.method === 'GET') {
      return render(
        {
          unitId: typeof req.query.unit === 'string' ? req.query.unit : '',
          name: '',
          category: 'civil_service',
          leadershipKind: '',
          establishmentTypes: ['administrative'],
          gradeLow: '',
          gradeHigh: '',
          openedOn: services.clock.today(),
          docNo: '',
          formKey: newFormKey(),
        },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: createPostSchema,
      fields: ['unitId', ...POST_FIELDS, 'openedOn', 'docNo'],
      renderForm: render,
      checkTitle: req.t('postForm.checkTitle'),
      checkRows: async (d) => {
        const unitList = await reads.unitsOf(townshipId);
        return [
          {
            label: req.t('post.unit'),
            value: unitList.find((u) => u.id === d.unitId)?.name ?? req.t('post.leadershipTeam'),
          },
          { label: req.t('post.name'), value: d.name },
          { label: req.t('post.category'), value: f.label('postCategories', d.category) },
          ...(d.leadershipKind
            ? [{ label: req.t('post.leadershipKind'), value: f.label('leadershipKinds', d.leadershipKind) }]
            : []),
          {
            label: req.t('post.types'),
            value: d.establishmentTypes.map((t) => f.label('establishmentTypes', t)).join('、'),
          },
          { label: req.t('post.opened'), value: f.date(d.openedOn) },
          { label: req.t('forms.docNo'), value: d.docNo ?? '—' },
        ];
      },
      commit: (d) => posts.createPost(contextOf(req), { ...d, townshipId }),
      done: (r) => {
        req.session.flash = { kind: 'success', key: 'postForm.created' };
        res.redirect(303, paths.post(r.postId));
      },
    });
  });

  router.all('/posts/:id/edit', async (req, res) => {
    const postId = idOf(req);
    const post = await reads.visiblePost(scopeOf(req), postId);
    assertCan(can.manageTownship(req, post.townshipId));
    const render = async (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/postForm', {
        title: pageTitle(req, 'postForm.editTitle', errors),
        heading: req.t('postForm.editTitle'),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        postName: post.name,
        ...(await postFormOptions(req, values, post.townshipId)),
        backHref: paths.post(postId),
      });
    if (req.method === 'GET') {
      return render(
        {
          name: post.name,
          category: post.category,
          leadershipKind: post.leadershipKind ?? '',
          establishmentTypes: post.establishmentTypes,
          gradeLow: post.gradeLow ?? '',
          gradeHigh: post.gradeHigh ?? '',
        },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    const values = formValues(req.body, POST_FIELDS);
    const parsed = parseForm(postFieldsSchema, req.body, req);
    if (!parsed.ok) return render(values, parsed.errors, 400);
    const result = await posts.updatePost(contextOf(req), postId, parsed.data, services.clock.today());
    if (!result.ok) {
      return render(
        values,
        [fieldError(req, result.field, `refusals.${result.code}`, translatedVars(req, result.vars ?? {}))],
        409,
      );
    }
    req.session.flash = { kind: 'success', key: 'postForm.updated' };
    res.redirect(303, paths.post(postId));
  });

  router.all('/posts/:id/close', async (req, res) => {
    const postId = idOf(req);
    const post = await reads.visiblePost(scopeOf(req), postId);
    assertCan(can.manageTownship(req, post.townshipId));
    const render = (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/closePostForm', {
        title: pageTitle(req, 'postForm.closeTitle', errors),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        postName: post.name,
        backHref: paths.post(postId),
      });
    if (req.method === 'GET') return render({ closedOn: services.clock.today(), docNo: '' }, [], 200);
    if (req.method !== 'POST') throw new NotFoundError();
    const values = formValues(req.body, ['closedOn', 'docNo']);
    const parsed = parseForm(closePostSchema, req.body, req);
    if (!parsed.ok) return render(values, parsed.errors, 400);
    const result = await posts.closePost(contextOf(req), postId, parsed.data);
    if (!result.ok) return render(values, [fieldError(req, result.field, `refusals.${result.code}`)], 409);
    req.session.flash = { kind: 'success', key: 'postForm.closed' };
    res.redirect(303, paths.post(postId));
  });

  router.all('/posts/:id/place', async (req, res) => {
    const postId = idOf(req);
    const post = await reads.visiblePost(scopeOf(req), postId);
    assertCan(can.manageTownship(req, post.townshipId));
    const f = formatterFor(req);
    const today = services.clock.today();
    const roster = await reads.placeablePeople(post.townshipId, today);
    const render = (values: Record<string, string | string[]>, errors: FieldError[], status: number) =>
      res.status(status).render('establishment/placementForm', {
        title: pageTitle(req, 'placementForm.title', errors),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        postName: post.name,
        postTypes: post.establishmentTypes.map((t) => f.label('establishmentTypes', t)).join('、'),
        people: roster.map((p) => ({
          id: String(p.id),
          label: `${p.name}${p.postName ? `（${[p.unitName, p.postName].filter(Boolean).join(' ')}）` : `（${req.t('placementForm.noPost')}）`}`,
          selected: String(p.id) === values.personId,
        })),
        types: post.establishmentTypes.map((t) => ({
          code: t,
          label: f.label('establishmentTypes', t),
          selected: t === values.establishmentType,
        })),
        backHref: paths.post(postId),
      });
    if (req.method === 'GET') {
      return render(
        {
          personId: '',
          validFrom: today,
          docNo: '',
          reason: '',
          establishmentType: '',
          formKey: newFormKey(),
        },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: placementSchema,
      fields: ['personId', 'validFrom', 'docNo', 'reason', 'establishmentType'],
      renderForm: render,
      checkTitle: req.t('placementForm.checkTitle'),
      checkRows: (d) => [
        {
          label: req.t('placementForm.person'),
          value: roster.find((p) => p.id === d.personId)?.name ?? `#${d.personId}`,
        },
        { label: req.t('post.name'), value: post.name },
        { label: req.t('placementForm.from'), value: f.date(d.validFrom) },
        { label: req.t('forms.docNo'), value: d.docNo },
        { label: req.t('placementForm.reason'), value: d.reason },
        ...(d.establishmentType
          ? [
              {
                label: req.t('placementForm.newSlotType'),
                value: f.label('establishmentTypes', d.establishmentType),
              },
            ]
          : []),
      ],
      commit: (d) => posts.place(contextOf(req), { ...d, postId }),
      done: () => {
        req.session.flash = { kind: 'success', key: 'placementForm.placed' };
        res.redirect(303, paths.post(postId));
      },
    });
  });

  return router;
}
