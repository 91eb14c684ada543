/** Every URL the app links to, as functions: templates and redirects never build URLs by hand. */
export const paths = {
  home: () => '/',
  login: () => '/login',
  logout: () => '/logout',
  locale: () => '/locale',
  health: () => '/healthz',
  account: () => '/account',
  accountPassword: () => '/account/password',
  accountTokens: () => '/account/tokens',
  accountNotifications: () => '/account/notifications',
  accountTokenRevoke: (id: number) => `/account/tokens/${id}/revoke`,
  adminUsers: () => '/admin/users',
  countySettings: () => '/admin/counties',
  countySettingsEdit: (countyId: number) => `/admin/counties/${countyId}/settings`,
  cities: () => '/cities',
  city: (id: number) => `/cities/${id}`,
  county: (id: number) => `/counties/${id}`,
  township: (id: number) => `/townships/${id}`,
  townshipPeople: (id: number) => `/townships/${id}/people`,
  establishment: (id: number) => `/townships/${id}/establishment`,
  establishmentXlsx: (id: number) => `/townships/${id}/establishment.xlsx`,
  leadership: (id: number) => `/townships/${id}/leadership`,
  leadershipXlsx: (id: number) => `/townships/${id}/leadership.xlsx`,
  orgChart: (id: number) => `/townships/${id}/org-chart`,
  countyXlsx: (id: number) => `/counties/${id}/overview.xlsx`,
  quotaDecisions: (townshipId: number) => `/townships/${townshipId}/quota-decisions`,
  countyQuotaDecisions: (countyId: number) => `/counties/${countyId}/quota-decisions`,
  newQuotaDecision: (countyId: number) => `/counties/${countyId}/quota-decisions/new`,
  slotDecisions: (townshipId: number) => `/townships/${townshipId}/slot-decisions`,
  newSlotDecision: (townshipId: number) => `/townships/${townshipId}/slot-decisions/new`,
  newTotalDecision: (townshipId: number) => `/townships/${townshipId}/leadership-total/new`,
  unitDecisions: (townshipId: number) => `/townships/${townshipId}/unit-decisions`,
  newUnit: (townshipId: number) => `/townships/${townshipId}/units/new`,
  reorganise: (townshipId: number) => `/townships/${townshipId}/reorganise`,
  changeUnit: (unitId: number) => `/units/${unitId}/change`,
  abolishUnit: (unitId: number) => `/units/${unitId}/abolish`,
  newPost: (townshipId: number) => `/townships/${townshipId}/posts/new`,
  editPost: (id: number) => `/posts/${id}/edit`,
  closePost: (id: number) => `/posts/${id}/close`,
  placeInPost: (id: number) => `/posts/${id}/place`,
  movements: () => '/movements',
  newMovement: () => '/movements/new',
  movement: (id: number) => `/movements/${id}`,
  movementDecisions: (id: number) => `/movements/${id}/decisions`,
  movementOpinion: (id: number) => `/movements/${id}/opinion`,
  movementSecondmentEnd: (id: number) => `/movements/${id}/secondment-end`,
  movementLedger: () => '/movements/ledger',
  newMovementBatch: () => '/movement-batches/new',
  movementBatch: (id: number) => `/movement-batches/${id}`,
  movementBatchDecisions: (id: number) => `/movement-batches/${id}/decisions`,
  inbox: () => '/inbox',
  unit: (id: number) => `/units/${id}`,
  post: (id: number) => `/posts/${id}`,
  person: (id: number) => `/people/${id}`,
  /** The person record (people area): search, create, edit, history, assessments, sanctions. */
  people: {
    list: (query = '') => `/people${query ? `?${query}` : ''}`,
    create: () => '/people',
    new: (townshipId?: number) => `/people/new${townshipId ? `?township=${townshipId}` : ''}`,
    edit: (id: number) => `/people/${id}/edit`,
    photo: (id: number, version?: string) => `/people/${id}/photo${version ? `?v=${version}` : ''}`,
    photoEdit: (id: number) => `/people/${id}/photo/edit`,
    photoRemove: (id: number) => `/people/${id}/photo/remove`,
    educations: (id: number) => `/people/${id}/educations`,
    educationNew: (id: number) => `/people/${id}/educations/new`,
    education: (id: number, rowId: number) => `/people/${id}/educations/${rowId}`,
    educationRemove: (id: number, rowId: number) => `/people/${id}/educations/${rowId}/remove`,
    family: (id: number) => `/people/${id}/family`,
    familyNew: (id: number) => `/people/${id}/family/new`,
    familyMember: (id: number, rowId: number) => `/people/${id}/family/${rowId}`,
    familyRemove: (id: number, rowId: number) => `/people/${id}/family/${rowId}/remove`,
    entries: (id: number, kind: string) => `/people/${id}/history/${kind}`,
    entryNew: (id: number, kind: string) => `/people/${id}/history/${kind}/new`,
    entryClose: (id: number, kind: string, entryId: number) =>
      `/people/${id}/history/${kind}/${entryId}/close`,
    entryCorrect: (id: number, kind: string, entryId: number) =>
      `/people/${id}/history/${kind}/${entryId}/correct`,
    assessments: (id: number) => `/people/${id}/assessments`,
    assessmentNew: (id: number, year?: number) =>
      `/people/${id}/assessments/new${year ? `?year=${year}` : ''}`,
    sanctions: (id: number) => `/people/${id}/sanctions`,
    sanctionNew: (id: number) => `/people/${id}/sanctions/new`,
    sanctionCorrect: (id: number, sanctionId: number) => `/people/${id}/sanctions/${sanctionId}/correct`,
    sanctionClose: (id: number, sanctionId: number) => `/people/${id}/sanctions/${sanctionId}/close`,
    townshipAssessments: (townshipId: number, year?: number) =>
      `/townships/${townshipId}/assessments${year ? `?year=${year}` : ''}`,
  },
  /** The resume (简历), its free-text lines, the appointment form and the .lrmx exchange. */
  resume: {
    page: (id: number) => `/people/${id}/resume`,
    lines: (id: number) => `/people/${id}/resume/lines`,
    lineNew: (id: number) => `/people/${id}/resume/lines/new`,
    line: (id: number, rowId: number) => `/people/${id}/resume/lines/${rowId}`,
    lineRemove: (id: number, rowId: number) => `/people/${id}/resume/lines/${rowId}/remove`,
    appointmentForm: (id: number, query = '') => `/people/${id}/appointment-form${query ? `?${query}` : ''}`,
    exportLrmx: (id: number) => `/people/${id}/export.lrmx`,
    importLrmx: () => '/people/import-lrmx',
  },
  /** Careers: the career path, the township eligibility list, the rules as data (admin). */
  careers: {
    person: (id: number, asOf = '') => `/people/${id}/career${asOf ? `?asOf=${asOf}` : ''}`,
    township: (id: number, query = '') => `/townships/${id}/eligibility${query ? `?${query}` : ''}`,
    townshipXlsx: (id: number, query = '') => `/townships/${id}/eligibility.xlsx${query ? `?${query}` : ''}`,
    rules: () => '/admin/rules',
    newPromotionRule: (query = '') => `/admin/rules/promotion/new${query ? `?${query}` : ''}`,
    newSanctionPeriod: (query = '') => `/admin/rules/sanctions/new${query ? `?${query}` : ''}`,
  },
  /** Selection cases (选拔任用) for 副科/正科 leadership seats. */
  promotionCases: {
    list: (query = '') => `/promotions${query ? `?${query}` : ''}`,
    /** The motion form for a township, optionally with the seat (post) chosen. */
    new: (townshipId?: number, postId?: number) =>
      `/promotions/new${townshipId ? `?township=${townshipId}${postId ? `&post=${postId}` : ''}` : ''}`,
    case: (id: number) => `/promotions/${id}`,
    steps: (id: number) => `/promotions/${id}/steps`,
    notice: (id: number, query = '') => `/promotions/${id}/notice${query ? `?${query}` : ''}`,
  },
  /** Promotions: vacant seats and their candidates, rank promotions, the county dashboard. */
  promotions: {
    vacancies: (townshipId: number, query = '') =>
      `/townships/${townshipId}/promotions/vacancies${query ? `?${query}` : ''}`,
    seat: (townshipId: number, seatKey: string, query = '') =>
      `/townships/${townshipId}/promotions/vacancies/${seatKey}${query ? `?${query}` : ''}`,
    county: (countyId: number, query = '') => `/counties/${countyId}/promotions${query ? `?${query}` : ''}`,
    ranks: () => '/rank-promotions',
    newRank: (query = '') => `/rank-promotions/new${query ? `?${query}` : ''}`,
    rank: (id: number) => `/rank-promotions/${id}`,
    rankStep: (id: number) => `/rank-promotions/${id}/steps`,
    rankQuota: (countyId: number) => `/counties/${countyId}/rank-quota`,
    newRankQuota: (countyId: number, query = '') =>
      `/counties/${countyId}/rank-quota/new${query ? `?${query}` : ''}`,
  },
  /** The official working-day calendar (administrator). */
  calendar: {
    admin: (year?: number) => `/admin/calendar${year ? `?year=${year}` : ''}`,
    day: (day = '') => `/admin/calendar/day${day ? `?day=${day}` : ''}`,
  },
  /** County reports (报表): the index and one page per report, each with `.xlsx` and `?print=1`. */
  reports: {
    index: () => '/reports',
    page: (slug: string, query = '') => `/reports/${slug}${query ? `?${query}` : ''}`,
    xlsx: (slug: string, query = '') => `/reports/${slug}.xlsx${query ? `?${query}` : ''}`,
  },
  /** Roster import from Excel (名册导入): upload, mapping, preview, commit, the template and the marked copy. */
  imports: {
    index: (townshipId?: number) => `/imports${townshipId ? `?township=${townshipId}` : ''}`,
    template: () => '/imports/template.xlsx',
    job: (id: number) => `/imports/${id}`,
    mapping: (id: number) => `/imports/${id}/mapping`,
    commit: (id: number) => `/imports/${id}/commit`,
    marked: (id: number) => `/imports/${id}/marked.xlsx`,
  },
  api: {
    root: () => '/api/v1',
    openapi: () => '/api/v1/openapi.json',
    me: () => '/api/v1/me',
    cities: () => '/api/v1/cities',
    city: (id: number) => `/api/v1/cities/${id}`,
    county: (id: number) => `/api/v1/counties/${id}`,
    township: (id: number) => `/api/v1/townships/${id}`,
    townships: () => '/api/v1/townships',
    quota: (id: number) => `/api/v1/townships/${id}/quota`,
    leadership: (id: number) => `/api/v1/townships/${id}/leadership`,
    townshipPeople: (id: number) => `/api/v1/townships/${id}/people`,
    unit: (id: number) => `/api/v1/units/${id}`,
    post: (id: number) => `/api/v1/posts/${id}`,
    person: (id: number) => `/api/v1/people/${id}`,
    people: () => '/api/v1/people',
    resume: (id: number) => `/api/v1/people/${id}/resume`,
    personEligibility: (id: number) => `/api/v1/people/${id}/eligibility`,
    townshipEligibility: (id: number) => `/api/v1/townships/${id}/eligibility`,
    reports: () => '/api/v1/reports',
    promotionCases: () => '/api/v1/promotions',
    promotionCase: (id: number) => `/api/v1/promotions/${id}`,
    workingDays: (from: string, days: number) => `/api/v1/calendar/working-days?from=${from}&days=${days}`,
    report: (slug: string) => `/api/v1/reports/${slug}`,
    imports: () => '/api/v1/imports',
    import: (id: number) => `/api/v1/imports/${id}`,
  },
} as const;

/** Accepts only a local path (no scheme, no host, no protocol-relative //), for return-to parameters. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 500) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\r\n\t]/.test(value)) return fallback;
  return value;
}
