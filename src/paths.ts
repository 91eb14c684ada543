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
  },
} as const;

/** Accepts only a local path (no scheme, no host, no protocol-relative //), for return-to parameters. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 500) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\r\n\t]/.test(value)) return fallback;
  return value;
}
