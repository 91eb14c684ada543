import type { HomeTarget } from '../auth/principal.js';
import { paths } from '../paths.js';

export function homePath(home: HomeTarget): string {
  switch (home.kind) {
    case 'users':
      return paths.adminUsers();
    case 'county':
      return paths.county(home.id);
    case 'township':
      return paths.township(home.id);
    case 'career':
      return paths.careers.person(home.id);
    case 'account':
      return paths.account();
  }
}
