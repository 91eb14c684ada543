/**
 * Regions family: cities, counties and townships (the composite parent key of the regions table), the
 * county departments that own dispatched units, and each county's settings row.
 */

import { day } from './days.js';
import { townshipsOf } from './scale.js';
import { type County, placeName, type Township, type World } from './world.js';

export const DEPARTMENTS = [
  { code: 'sf', name: '司法局' },
  { code: 'sc', name: '市场监督管理局' },
  { code: 'cz', name: '财政局' },
] as const;

export function generateRegions(w: World): void {
  const regions = w.sink.table('regions', [
    'id',
    'kind',
    'parent_id',
    'parent_kind',
    'name',
    'code',
    'township_kind',
    'sort_order',
  ]);
  const departments = w.sink.table('county_departments', ['id', 'county_id', 'name'], ['regions']);
  const settings = w.sink.table('county_settings', ['county_id'], ['regions']);
  const rng = w.rng.fork('regions');
  let countyIndex = 0;
  let townshipIndex = 0;
  for (let c = 0; c < w.scale.cities; c++) {
    const cityId = regions.id();
    const cityName = `${placeName(c)}市`;
    regions.add([cityId, 'city', null, null, cityName, `90${String(c).padStart(4, '0')}`, null, c]);
    w.cities.push({ id: cityId, name: cityName });
    for (let k = 0; k < w.scale.countiesPerCity; k++) {
      const id = regions.id();
      const name = `${placeName(countyIndex + 3)}县`;
      const code = String(100000 + countyIndex);
      regions.add([id, 'county', cityId, 'city', name, code, null, k]);
      settings.add([id]);
      const county: County = {
        id,
        index: countyIndex,
        name,
        code,
        abbr: name.slice(0, 1),
        townships: [],
        departments: [],
        reformDay: day(`2019-03-${String(10 + (countyIndex % 18)).padStart(2, '0')}`),
        establishmentOfficerUserId: 0,
        reviewerUserId: 0,
      };
      for (const d of DEPARTMENTS) {
        const deptId = departments.id();
        departments.add([deptId, id, `${name}${d.name}`]);
        county.departments.push({ id: deptId, code: d.code, holderId: 0, accounts: new Map() });
      }
      const n = townshipsOf(w.scale, countyIndex);
      for (let t = 0; t < n; t++) {
        const tid = regions.id();
        const kind = t < 2 && rng.chance(0.5) ? 'subdistrict' : 'town';
        const tname = `${placeName(townshipIndex)}${kind === 'town' ? '镇' : '街道'}`;
        const tcode = `${code}${String(t + 100).padStart(3, '0')}`;
        regions.add([tid, 'township', id, 'county', tname, tcode, kind, t]);
        const township: Township = {
          id: tid,
          index: townshipIndex,
          county,
          name: tname,
          code: tcode,
          kind,
          holderId: 0,
          accounts: new Map(),
          posts: [],
          people: [],
          officerUserId: 0,
        };
        county.townships.push(township);
        w.townships.push(township);
        townshipIndex++;
      }
      w.counties.push(county);
      countyIndex++;
    }
  }
}
