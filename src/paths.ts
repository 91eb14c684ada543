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
  accountTokenRevoke: (id: number) => `/account/tokens/${id}/revoke`,
  adminUsers: () => '/admin/users',
  cities: () => '/cities',
  city: (id: number) => `/cities/${id}`,
  county: (id: number) => `/counties/${id}`,
  township: (id: number) => `/townships/${id}`,
  townshipPeople: (id: number) => `/townships/${id}/people`,
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
  api: {
    root: () => '/api/v1',
    openapi: () => '/api/v1/openapi.json',
    me: () => '/api/v1/me',
    cities: () => '/api/v1/cities',
    city: (id: number) => `/api/v1/cities/${id}`,
    county: (id: number) => `/api/v1/counties/${id}`,
    township: (id: number) => `/api/v1/townships/${id}`,
    townshipPeople: (id: number) => `/api/v1/townships/${id}/people`,
    unit: (id: number) => `/api/v1/units/${id}`,
    post: (id: number) => `/api/v1/posts/${id}`,
    person: (id: number) => `/api/v1/people/${id}`,
    people: () => '/api/v1/people',
  },
} as const;

/** Accepts only a local path (no scheme, no host, no protocol-relative //), for return-to parameters. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 500) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\r\n\t]/.test(value)) return fallback;
  return value;
}
