/**
 * `npm run bench:profile -- --user NAME PATH [PATH…] [--repeat N] [--sql]`
 *
 * Renders each page as NAME against the benchmark database (as `npm run bench` records its floor) and prints
 * the page's wall time, its queries with their times (slowest first) and, with --sql, their text. For finding
 * where a page's time goes before and after a change; the figures that count are `npm run bench`'s.
 */

import { DEFAULT_BENCH_URL } from './generate/index.js';
import { recordQueries } from './record.js';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const user = flag('--user') ?? 'admin';
const repeat = Number(flag('--repeat') ?? '3');
const showSql = argv.includes('--sql');
const paths = argv.filter((a) => a.startsWith('/'));
if (paths.length === 0) {
  process.stderr.write('usage: npm run bench:profile -- --user NAME /path [/path…] [--repeat N] [--sql]\n');
  process.exit(2);
}
const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL;
const pages = await recordQueries(
  url,
  paths.map((path) => ({ path, user })),
  { port: 3950, repeat },
);
for (const [path, page] of pages) {
  const sum = page.queries.reduce((s, q) => s + q.ms, 0);
  process.stdout.write(
    `\n${path} as ${user}: ${page.ms.toFixed(1)} ms, ${page.bytes} bytes, ${page.queries.length} queries (${sum.toFixed(1)} ms in SQL)\n`,
  );
  const order = page.queries.map((q, i) => ({ ...q, i })).sort((a, b) => b.ms - a.ms);
  for (const q of order) {
    const text = q.sql.replace(/\s+/g, ' ');
    process.stdout.write(
      `  #${String(q.i + 1).padStart(2)} ${q.ms.toFixed(2).padStart(8)} ms  ${showSql ? text : text.slice(0, 150)}\n`,
    );
  }
}
process.exit(0);
