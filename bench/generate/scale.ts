/** The three sizes the generator builds. Townships and people per township drive everything else. */
export interface Scale {
  name: 'county' | 'province' | 'nation';
  cities: number;
  countiesPerCity: number;
  townshipsPerCounty: number;
  /** People per township, the current staff and those who left during the ten years. */
  peoplePerTownship: number;
}

export const SCALES: Record<Scale['name'], Scale> = {
  // 1 county, 20 townships, 2,000 people.
  county: { name: 'county', cities: 1, countiesPerCity: 1, townshipsPerCounty: 20, peoplePerTownship: 100 },
  // 100 counties, 1,500 townships, 150,000 people.
  province: {
    name: 'province',
    cities: 10,
    countiesPerCity: 10,
    townshipsPerCounty: 15,
    peoplePerTownship: 100,
  },
  // 2,800 counties, 40,000 townships (14 or 15 a county), 2 million people.
  nation: {
    name: 'nation',
    cities: 400,
    countiesPerCity: 7,
    townshipsPerCounty: 14.2858,
    peoplePerTownship: 50,
  },
};

export function parseScale(name: string): Scale {
  if (name in SCALES) return SCALES[name as Scale['name']];
  throw new Error(`--scale must be county, province or nation, not '${name}'`);
}

/** Townships of the county with this global index: spreads a fractional average evenly. */
export function townshipsOf(scale: Scale, countyIndex: number): number {
  const t = scale.townshipsPerCounty;
  return Math.floor((countyIndex + 1) * t) - Math.floor(countyIndex * t);
}
