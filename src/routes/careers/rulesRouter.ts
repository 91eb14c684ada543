import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { EDUCATION_LEVELS } from '../../domain/eligibility/index.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { contextOf, principalOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { newFormKey, runFormFlow } from '../formFlow.js';
import { errorsByField, type FieldError, idParam, pageTitle } from '../forms.js';
import { promotionRuleSchema, sanctionPeriodSchema } from './schemas.js';
import * as vm from './viewModels.js';

const RULE_FIELDS = [
  'countyId',
  'target',
  'minMonths',
  'countedGrades',
  'minEducation',
  'educationBlocks',
  'partyMemberRequired',
  'effectiveFrom',
  'source',
] as const;

const PERIOD_FIELDS = ['countyId', 'kindCode', 'impactMonths', 'effectiveFrom', 'source'] as const;

/** The rules' refusals live in this area's locale file; versions that exist already are conflicts (409). */
const refusal = (code: string) => ({
  key: `rulesAdmin.refusals.${code}`,
  status: code.endsWith('_exists') ? 409 : 400,
});

type Values = Record<string, string | string[]>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/**
 * The administrator's rules as data: `/admin/rules` lists the promotion rules (national defaults and county
 * versions) and the sanction impact periods; two forms record a county's new version, each through a
 * check-your-answers page. Everyone else gets 404.
 */
export function rulesRouter(services: Services): Router {
  const router = Router();
  const rules = services.careers.rules;
  const today = () => services.clock.today();

  router.get(paths.careers.rules(), async (req, res) => {
    const data = await rules.overview(principalOf(req), today());
    res.render('careers/rules', {
      title: req.t('rulesAdmin.title'),
      view: vm.rulesView(data, formatterFor(req), req),
    });
  });

  // A county's promotion rule -------------------------------------------------------------------------------

  async function ruleForm(req: Request, res: Response, values: Values, errors: FieldError[], status: number) {
    const options = await rules.formOptions(principalOf(req));
    const f = formatterFor(req);
    const counted = new Set(many(values.countedGrades));
    const ladders = [...new Set(options.grades.map((g) => g.ladder))];
    res.status(status).render('careers/promotionRuleForm', {
      title: pageTitle(req, 'rulesAdmin.promotionForm.title', errors),
      errors,
      fieldErrors: errorsByField(errors),
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, one(v)])),
      counties: options.counties.map((c) => ({
        id: c.id,
        name: c.name,
        selected: String(c.id) === one(values.countyId),
      })),
      targets: options.targets.map((g) => ({
        code: g.code,
        label: `${f.label('ladders', g.ladder)} · ${f.name(g.nameZh, g.nameEn)}`,
        selected: g.code === one(values.target),
      })),
      ladders: ladders.map((ladder) => ({
        id: `counted-${ladder}`,
        label: f.label('ladders', ladder),
        grades: options.grades
          .filter((g) => g.ladder === ladder)
          .map((g) => ({
            code: g.code,
            id: `countedGrades-${g.code}`,
            label: f.name(g.nameZh, g.nameEn),
            checked: counted.has(g.code),
          })),
      })),
      educations: EDUCATION_LEVELS.filter((l) => l !== 'below').map((l) => ({
        code: l,
        label: f.label('educationLevels', l),
        selected: l === one(values.minEducation),
      })),
      blocks: one(values.educationBlocks) === 'blocks',
      warns: one(values.educationBlocks) === 'warns',
      backHref: paths.careers.rules(),
    });
  }

  router.all('/admin/rules/promotion/new', async (req, res) => {
    const principal = principalOf(req);
    const options = await rules.formOptions(principal);
    if (req.method === 'GET') {
      const county = idParam(req.query.county);
      const target = typeof req.query.target === 'string' ? req.query.target : '';
      const base = target ? await rules.ruleFor(principal, county, target, today()) : null;
      const values: Values = {
        countyId: county ? String(county) : '',
        target: base ? base.target : '',
        minMonths: base ? String(base.minMonths) : '',
        countedGrades: base ? [...base.countedGrades] : [],
        minEducation: base?.minEducation ?? '',
        educationBlocks: base ? (base.educationBlocks ? 'blocks' : 'warns') : 'blocks',
        partyMemberRequired: base?.partyMemberRequired ? '1' : '',
        effectiveFrom: today(),
        source: '',
        formKey: newFormKey(),
      };
      return ruleForm(req, res, values, [], 200);
    }
    if (req.method !== 'POST') throw new NotFoundError();
    const f = formatterFor(req);
    const grade = new Map(options.grades.map((g) => [g.code, f.name(g.nameZh, g.nameEn)]));
    const sep = req.locale === 'zh-CN' ? '、' : ', ';
    await runFormFlow(req, res, {
      schema: promotionRuleSchema,
      fields: RULE_FIELDS,
      renderForm: (values, errors, status) => ruleForm(req, res, values, errors, status),
      checkTitle: req.t('rulesAdmin.promotionForm.checkTitle'),
      checkRows: (d) => [
        {
          label: req.t('rulesAdmin.promotionForm.county'),
          value: options.counties.find((c) => c.id === d.countyId)?.name ?? String(d.countyId),
        },
        { label: req.t('rulesAdmin.promotionForm.target'), value: grade.get(d.target) ?? d.target },
        {
          label: req.t('rulesAdmin.promotionForm.minMonths'),
          value: f.t('rulesAdmin.promotion.months', { n: d.minMonths }),
        },
        {
          label: req.t('rulesAdmin.promotionForm.countedGrades'),
          value: d.countedGrades.map((c) => grade.get(c) ?? c).join(sep),
        },
        {
          label: req.t('rulesAdmin.promotionForm.minEducation'),
          value: d.minEducation
            ? f.label('educationLevels', d.minEducation)
            : f.t('rulesAdmin.promotionForm.noEducation'),
        },
        {
          label: req.t('rulesAdmin.promotionForm.educationEffect'),
          value: f.t(
            d.educationBlocks ? 'rulesAdmin.promotionForm.blocks' : 'rulesAdmin.promotionForm.warns',
          ),
        },
        {
          label: req.t('rulesAdmin.promotionForm.partyLabel'),
          value: d.partyMemberRequired ? f.t('rulesAdmin.promotion.partyRequired') : '—',
        },
        { label: req.t('rulesAdmin.promotionForm.effectiveFrom'), value: f.date(d.effectiveFrom) },
        { label: req.t('rulesAdmin.promotionForm.source'), value: d.source },
      ],
      commit: (d) => rules.recordPromotionRule(contextOf(req), d),
      refusal,
      done: () => {
        req.session.flash = { kind: 'success', key: 'rulesAdmin.promotionForm.recorded' };
        res.redirect(303, paths.careers.rules());
      },
    });
  });

  // A county's sanction impact period ------------------------------------------------------------------------

  async function periodForm(
    req: Request,
    res: Response,
    values: Values,
    errors: FieldError[],
    status: number,
  ) {
    const options = await rules.formOptions(principalOf(req));
    const f = formatterFor(req);
    res.status(status).render('careers/sanctionPeriodForm', {
      title: pageTitle(req, 'rulesAdmin.sanctionForm.title', errors),
      errors,
      fieldErrors: errorsByField(errors),
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, one(v)])),
      counties: options.counties.map((c) => ({
        id: c.id,
        name: c.name,
        selected: String(c.id) === one(values.countyId),
      })),
      kinds: options.sanctionKinds.map((k) => ({
        code: k.code,
        label: f.t('rulesAdmin.sanctionForm.nationalValue', {
          name: f.name(k.nameZh, k.nameEn),
          n: k.impactMonths,
        }),
        selected: k.code === one(values.kindCode),
      })),
      backHref: paths.careers.rules(),
    });
  }

  router.all('/admin/rules/sanctions/new', async (req, res) => {
    const options = await rules.formOptions(principalOf(req));
    if (req.method === 'GET') {
      const values: Values = {
        countyId: '',
        kindCode: '',
        impactMonths: '',
        effectiveFrom: today(),
        source: '',
        formKey: newFormKey(),
      };
      return periodForm(req, res, values, [], 200);
    }
    if (req.method !== 'POST') throw new NotFoundError();
    const f = formatterFor(req);
    await runFormFlow(req, res, {
      schema: sanctionPeriodSchema,
      fields: PERIOD_FIELDS,
      renderForm: (values, errors, status) => periodForm(req, res, values, errors, status),
      checkTitle: req.t('rulesAdmin.sanctionForm.checkTitle'),
      checkRows: (d) => {
        const kind = options.sanctionKinds.find((k) => k.code === d.kindCode);
        return [
          {
            label: req.t('rulesAdmin.sanctionForm.county'),
            value: options.counties.find((c) => c.id === d.countyId)?.name ?? String(d.countyId),
          },
          {
            label: req.t('rulesAdmin.sanctionForm.kind'),
            value: kind ? f.name(kind.nameZh, kind.nameEn) : d.kindCode,
          },
          {
            label: req.t('rulesAdmin.sanctionForm.months'),
            value: f.t('rulesAdmin.periods.monthsValue', { n: d.impactMonths }),
          },
          { label: req.t('rulesAdmin.sanctionForm.effectiveFrom'), value: f.date(d.effectiveFrom) },
          { label: req.t('rulesAdmin.sanctionForm.source'), value: d.source },
        ];
      },
      commit: (d) => rules.recordSanctionPeriod(contextOf(req), d),
      refusal,
      done: () => {
        req.session.flash = { kind: 'success', key: 'rulesAdmin.sanctionForm.recorded' };
        res.redirect(303, paths.careers.rules());
      },
    });
  });

  return router;
}
