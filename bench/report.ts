/**
 * Writes docs/benchmarks.md from one run's results: the machine, the date, the commands, the tables, the ratio
 * of each page to its floor, the targets met or missed, the plans of each page's slowest query, and the
 * hand-written analysis kept in bench/analysis.md (why a target is missed and what limits it).
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { BenchReport, Latency } from './run.js';

const ms = (n: number) => n.toFixed(1);
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

function machineDoc(): string {
  const file = '/work/.library/env/machines/node-svc.md';
  if (!fs.existsSync(file)) return '';
  const first = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Size:'));
  return first ? `Machine kind \`node-svc\`: ${first.replace(/^Size:\s*/, '')}` : '';
}

interface ImportBench {
  date: string;
  backend: string;
  people: number;
  rows: number;
  fileKb: number;
  checkSeconds: number;
  commitSeconds: number;
  totalSeconds: number;
  nodeCpuSeconds?: number;
  rssBeforeMb: number;
  peakRssMb: number;
  worstEventLoopStallMs: number;
}

/** The import benchmark's results (`npm run bench:import`, `-- --pg`), when they have been run. */
function importResults(): ImportBench[] {
  return ['bench/results/import-pg.json', 'bench/results/import.json']
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as ImportBench);
}

/** What the import's figures mean (profiled with `node --cpu-prof` on bench/import.ts; see docs/benchmarks.md). */
const IMPORT_NOTES = [
  'Before (issue 8 profile, 17.9–83 s on PostgreSQL): the preview stream-read the workbook with exceljs (~2.5 s',
  'quiet, 10 s on a busy machine, and most of the garbage collection), ran the form schemas and the name keys',
  '(pinyin, initials, surname strokes) per row, and the commit did all of it again inside its transaction before',
  'the inserts (500 rows per statement with one bind parameter per value).',
  '',
  'Now: the worksheets are read from their XML directly (~0.9 s for the 40,000 rows, against ~10 s for exceljs',
  "measured side by side on the same busy minute); the preview's plan is kept with the job and the commit only",
  're-reads the rows the check depends on (people of the file, their records, posts and holders, units, quota',
  'accounts locked, usage; ~1 s) and compares their digest; the inserts go as one JSON array per 2,500 rows',
  '(json_populate_recordset), audit entries too.',
  '',
  'Two pairs of PostgreSQL runs, the code before (main at 7cb6363) and after taken one right after the other on',
  'the same busy machine: 28.4 s → 23.2 s (RSS 242 → 470 MB before, 210 → 362 MB after), and 79.4 s → 21.7 s',
  '(Node CPU 15.6 s → 5.5 s; RSS 255 → 594 MB before, 213 → 361 MB after). The quietest run after: 12.3 s.',
  '',
  "Third pass (branch perf-import): the township's posts with their units' names and holders in one set-based query",
  '(was three subqueries per post: 280 → 64 ms for 10,000 posts, paid in the check and again in the commit); name',
  'keys once per distinct name, initials from the same pinyin segmentation, surname strokes remembered; dates',
  "checked by arithmetic; the record sheets' schemas (post, rank, assessment, education, sanction) remember their",
  "verdict per distinct row values other than the person's (the same messages: a schema that reads the ID number",
  "or the name is parsed row by row); the zip inflated by Node's zlib off the main thread (3–5× jszip); people",
  'looked up 2,000 a query; the state digest copies only maps, sets and dates; and the work overlapped with the',
  "server's: the township's state loads while the file is read and while the stored plan is unpacked, the audit",
  "entries are built while the records are inserted, each chunk's JSON while the one before is inserted.",
  'Three pairs of PostgreSQL runs, before (005d756) and after one right after the other (load average 5.5–7.5):',
  '14.4 → 8.9 s, 13.2 → 10.0 s, 13.5 → 7.9 s; check ~7 → 3.5 s, commit ~6.7 → 5.4 s, Node CPU 5.6 → 3.2 s,',
  'longest event-loop stall ~600 → ~350 ms.',
  '',
  'What is left: the commit is now mostly the server inserting ~70,000 rows (audit included) whose GiST exclusion',
  'constraints (one primary post, one holder per post, one slot, one status, one grade per ladder), indexes and',
  'foreign keys are checked row by row (~3–4 s when the 2 shared cores are busy; nothing there runs a trigger of',
  'ours), and the A01 person schema (~30 µs a row, every row differs by its ID number). Runs on this shared machine',
  'vary by a factor of two with the other work on it; the Node CPU column is the steadier figure. RSS before the',
  'import is the bench process with every module and the migrated database client loaded (~220 MB; the workbook is',
  'generated in a child process); the import itself adds ~150 MB at peak.',
  'On PGlite the database runs in the same process and the commit holds the only connection.',
];

/** The section on the 10,000-row import (also pasted into docs/benchmarks.md when only the import is re-run). */
export function importSection(results: ImportBench[] = importResults()): string[] {
  if (results.length === 0)
    return [
      '**Not measured yet.** Run `npm run bench:import -- --pg` (and `npm run bench:import` for PGlite).',
    ];
  return [
    '`npm run bench:import` builds a township with 10,000 posts and quota, generates a workbook in the template layout',
    '(10,000 people in A01, and one row each in A02 posts held, A03 ranks and A06 assessments: 40,000 rows) and runs',
    "upload → check → commit through the import service, sampling RSS and the event loop's longest stall every 20 ms.",
    '',
    '| backend | rows | file | check (preview) | commit (re-check + write) | total | Node CPU | RSS before → peak | longest event-loop stall |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (x) =>
        `| ${x.backend} | ${x.rows.toLocaleString('en')} | ${x.fileKb} KB | ${x.checkSeconds} s | ${x.commitSeconds} s | **${x.totalSeconds} s** | ${x.nodeCpuSeconds === undefined ? '—' : `${x.nodeCpuSeconds} s`} | ${x.rssBeforeMb} → ${x.peakRssMb} MB | ${x.worstEventLoopStallMs} ms |`,
    ),
    '',
    ...IMPORT_NOTES,
  ];
}

export function writeReport(r: BenchReport, path = 'docs/benchmarks.md'): void {
  const floorOf = (sql: Latency) => sql.p95 + r.bareFloor.p95;
  const page = (name: string) => r.pages.find((p) => p.name === name);
  const est = page('Township establishment page');
  const county = page('County overview');
  const career = page('Career page');
  const m = r.movements;
  const targets: Array<[string, string, string, boolean | null]> = [
    [
      'Township establishment page p95 within 1.5× its floor',
      est
        ? `${ms(est.http.p95)} ms vs floor ${ms(floorOf(est.sqlFloor))} ms (${(est.http.p95 / floorOf(est.sqlFloor)).toFixed(2)}×)`
        : '—',
      '≤ 1.5×',
      est ? est.http.p95 <= 1.5 * floorOf(est.sqlFloor) : null,
    ],
    [
      'County overview p95',
      county ? `${ms(county.http.p95)} ms` : '—',
      '≤ 100 ms',
      county ? county.http.p95 <= 100 : null,
    ],
    [
      'Career page p95',
      career ? `${ms(career.http.p95)} ms` : '—',
      '≤ 50 ms',
      career ? career.http.p95 <= 50 : null,
    ],
    [
      `Eligibility over all ${r.eligibility.people.toLocaleString('en')} people`,
      `${r.eligibility.seconds} s`,
      '≤ 3 s',
      r.eligibility.seconds <= 3,
    ],
    [
      'Movement decisions per second, invariant breaks',
      `${m.decisionsPerSecond}/s, ${m.breaks} breaks`,
      '≥ 300/s, 0 breaks',
      m.decisionsPerSecond >= 300 && m.breaks === 0,
    ],
    (() => {
      const x = importResults()[0];
      return x
        ? ['10,000-row Excel import', `${x.totalSeconds} s (${x.backend})`, '≤ 10 s', x.totalSeconds <= 10]
        : ['10,000-row Excel import', 'not measured yet: run npm run bench:import', '≤ 10 s', null];
    })() as [string, string, string, boolean | null],
    ['Server RSS under load', `${r.rss.peakUnderLoadMb} MB`, '≤ 250 MB', r.rss.peakUnderLoadMb <= 250],
  ];
  const verdict = (ok: boolean | null) => (ok === null ? 'pending' : ok ? '**met**' : '**missed**');
  const analysis = fs.existsSync('bench/analysis.md') ? fs.readFileSync('bench/analysis.md', 'utf8') : '';
  const gen = r.generated as {
    seconds: { total: number; generate: number; load: number; analyze: number; check: number };
    rows: Record<string, number>;
    historyRows: number;
    invariants: Record<string, number> | null;
    promotions?: string;
  } | null;

  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` on ${r.date.slice(0, 10)} (${r.date}) against the **${r.scale}** database`,
    `(${r.sample.townships.toLocaleString('en')} townships, ${r.sample.people.toLocaleString('en')} people). Do not edit the tables by hand:`,
    'run the benchmark again. The analysis at the end is kept in `bench/analysis.md`.',
    '',
    '## Machine',
    '',
    `- ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGb} GB memory, ${r.machine.os}`,
    `- Node.js ${r.machine.node}, PostgreSQL ${r.machine.postgres} (the Debian package with its default settings, on the same machine)`,
    `- ${machineDoc()}`,
    '- The load generator (autocannon), the app server, the bare floor server and PostgreSQL share the 2 cores,',
    "  so every figure includes the load generator's own CPU use; other work on the machine shows up as noise.",
    '',
    '## Commands',
    '',
    '```sh',
    'npm run bench:generate -- --scale province    # (re)creates postgres://postgres@127.0.0.1:5432/gangwei_bench',
    'npm run bench                                  # builds, starts the app from dist/, measures, writes this file',
    '```',
    '',
    'The app runs compiled (`npm run build`, then the command of `npm run start:prod`, `node --max-old-space-size=256 dist/src/server.js`) with `NODE_ENV=production` (view cache on,',
    'secure cookies) behind a pretend TLS proxy (`TRUST_PROXY=loopback`, every request carries',
    '`X-Forwarded-Proto: https`), `LOG_LEVEL=info` (one JSON line per request, to /dev/null), the default pool of 10',
    `connections. Each HTTP measurement: ${r.settings.connections} connections, 2 s warm-up, then ${r.settings.duration} s measured; latencies`,
    'are taken per response for exact percentiles.',
    '',
  ];
  if (gen) {
    lines.push(
      '## The data',
      '',
      `\`npm run bench:generate -- --scale ${r.scale}\` took **${gen.seconds.total.toFixed(0)} s** in all: ${gen.seconds.generate.toFixed(0)} s generating in memory,`,
      `${gen.seconds.load.toFixed(0)} s COPY with every index, exclusion constraint and foreign key in place, ${gen.seconds.analyze.toFixed(0)} s VACUUM ANALYZE,`,
      `${gen.seconds.check.toFixed(0)} s for the invariant checks (${
        gen.invariants
          ? Object.entries(gen.invariants)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')
          : 'not run'
      }).`,
      `${gen.historyRows.toLocaleString('en')} history rows (assignments, grades, quota slots, statuses, educations, assessments, sanctions).`,
      '',
      row(['table', 'rows']),
      row(['---', '---:']),
      ...Object.entries(gen.rows)
        .sort((a, b) => b[1] - a[1])
        .map(([t, n]) => row([t, n.toLocaleString('en')])),
      '',
    );
  }
  lines.push(
    '## Targets',
    '',
    row(['target', 'measured', 'goal', 'verdict']),
    row(['---', '---', '---', '---']),
    ...targets.map(([name, measured, goal, ok]) => row([name, measured, goal, verdict(ok)])),
    '',
    '## Pages: latency, throughput and the floor',
    '',
    'Floor = the same SQL the page sent (recorded from the app in-process, replayed query after query on one',
    'connection per client at the same concurrency) + a bare Express + Handlebars page of 100 table rows with no',
    'database, session or i18n. Ratio = page p95 / floor p95. CPU per request: user + system time of the app',
    'server and of every PostgreSQL process during the measured run, divided by the requests answered (the two',
    'share the 2 cores with the load generator, so 2,000 ms of CPU a second is the ceiling for both together).',
    '',
    row([
      'page',
      'path',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'req/s',
      'errors',
      'queries',
      'SQL p95 ms',
      'floor p95 ms',
      'ratio',
      'app CPU ms/req',
      'PG CPU ms/req',
      'bytes',
    ]),
    row([
      '---',
      '---',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
    ]),
    ...r.pages.map((p) =>
      row([
        p.name,
        `\`${p.path}\``,
        ms(p.http.p50),
        ms(p.http.p95),
        ms(p.http.p99),
        p.http.rps.toFixed(0),
        p.http.errors,
        p.sqlFloor.queries,
        ms(p.sqlFloor.p95),
        ms(floorOf(p.sqlFloor)),
        (p.http.p95 / floorOf(p.sqlFloor)).toFixed(2),
        p.http.cpu ? p.http.cpu.appMs.toFixed(1) : '—',
        p.http.cpu ? p.http.cpu.postgresMs.toFixed(1) : '—',
        p.bytes.toLocaleString('en'),
      ]),
    ),
    row([
      'Bare Express + Handlebars (floor)',
      '`/bare`',
      ms(r.bareFloor.p50),
      ms(r.bareFloor.p95),
      ms(r.bareFloor.p99),
      r.bareFloor.rps.toFixed(0),
      r.bareFloor.errors,
      0,
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
    ]),
    row([
      'Sign-in POST (argon2id)',
      '`POST /login`',
      ms(r.signIn.p50),
      ms(r.signIn.p95),
      ms(r.signIn.p99),
      r.signIn.rps.toFixed(1),
      r.signIn.errors,
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
    ]),
    '',
    'The report page is the township eligibility list (`/townships/:id/eligibility`): the heaviest list a township officer opens.',
    'Sign-in is measured by its own loop (GET the form for a fresh CSRF token, then POST it): its figure is the POST.',
    '',
    '## Eligibility engine',
    '',
    `- All people: ${r.eligibility.people.toLocaleString('en')} people assessed (${r.eligibility.results.toLocaleString('en')} next steps) in **${r.eligibility.seconds} s**,`,
    `  ${r.eligibility.peoplePerSecond.toLocaleString('en')} people/s: ${r.eligibility.loadSeconds} s waiting for inputs (the app's bulk path \`assessEveryone\`,`,
    `  src/services/eligibility/bulk.ts: 5,000 person ids a range, each person's histories folded into one row, two ranges read ahead`,
    `  while the engine runs), ${r.eligibility.engineSeconds} s in the pure engine (\`assessEligibility\`).`,
    `- One township: ${r.eligibility.oneTownship.people} people in ${r.eligibility.oneTownship.ms} ms (inputs and engine).`,
    ...(r.eligibility.warmUp
      ? [
          `- Before the measured run, a warm-up over the first ${r.eligibility.warmUp.people.toLocaleString('en')} people (${r.eligibility.warmUp.seconds} s) compiles the engine and the`,
          '  decoding in this process, as a server has long done when a county report asks; a first run in a fresh',
          '  process takes about 0.3–0.5 s more (measured in pairs of runs: the first of each pair the slower).',
        ]
      : []),
    '',
    '## Movements under concurrency',
    '',
    `${m.clients} clients at once, through the JSON API with bearer tokens: ${m.requests} cross-township requests (${m.submitPerSecond}/s`,
    `submitted; statuses ${JSON.stringify(m.submitStatuses)}) into township ${m.township}, which had ${m.freePlacesBefore} free`,
    `administrative place(s) and ${m.vacantPosts} vacant civil-service post(s). Then each request approved by the establishment office`,
    `and the county reviewer: **${m.decisions} decisions in ${m.decideSeconds} s = ${m.decisionsPerSecond}/s**; ${m.approvedToDestination} approved into`,
    `the destination; outcomes ${JSON.stringify(m.decisionStatuses)}.`,
    ...(m.decisionCpu
      ? [
          `CPU per decision: app server ${m.decisionCpu.appMs} ms, PostgreSQL ${m.decisionCpu.postgresMs} ms (the decisions' whole`,
          'request: bearer token, scope, rate limit, the transaction with its row locks, re-checks and writes, audit).',
        ]
      : []),
    '',
    `Invariant checks after the run (\`bench/invariants.ts\`): ${Object.entries(m.invariants)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} — **${m.breaks} breaks**.`,
    '',
    '## Server memory',
    '',
    `RSS at rest (after start and sign-ins): **${r.rss.atRestMb} MB**; peak under load (sampled every 100 ms through every`,
    `page run, sign-ins and movements): **${r.rss.peakUnderLoadMb} MB**.`,
    ...(r.rss.peakByPhase
      ? [
          '',
          `Peak by what the server was asked: ${Object.entries(r.rss.peakByPhase)
            .map(([phase, mb]) => `${phase} ${mb} MB`)
            .join(', ')}.`,
        ]
      : []),
    '',
    '## 10,000-row Excel import',
    '',
    ...importSection(),
    '',
    '## Promotion cases',
    '',
    `The generator writes selection cases in every state (\`bench/generate/promotions.ts\`): ${gen?.promotions ?? 'see bench/results/generate-*.json'}.`,
    'Every appointment to a deputy seat of the last five years went through a case (confirmed, in probation, or reverted',
    'when the person left the seat within the year); each team seat vacant today has an open case. They feed the',
    'reviewer inbox measured above (and the county promotions dashboard); rank promotions are not generated.',
    '',
    "## Each page's slowest query (EXPLAIN ANALYZE)",
    '',
  );
  for (const p of r.pages) {
    if (!p.slowestQuery) continue;
    lines.push(
      `### ${p.name}`,
      '',
      `${p.sqlFloor.queries} queries; the slowest took ${ms(p.slowestQuery.ms)} ms when recorded:`,
      '',
      '```sql',
      p.slowestQuery.sql.length > 1500 ? `${p.slowestQuery.sql.slice(0, 1500)} …` : p.slowestQuery.sql,
      '```',
      '',
      '```',
      ...p.slowestQuery.plan.slice(0, 40),
      ...(p.slowestQuery.plan.length > 40 ? [`… (${p.slowestQuery.plan.length - 40} more lines)`] : []),
      '```',
      '',
    );
  }
  if (analysis) lines.push(analysis.trim(), '');
  fs.writeFileSync(path, `${lines.join('\n')}\n`);
  // Formatted as the linter wants it (aligned tables), so a fresh report never fails `npm run lint`.
  try {
    execFileSync('npx', ['biome', 'format', '--write', path], { stdio: 'ignore' });
  } catch {
    process.stderr.write(`could not format ${path}: run npx biome format --write ${path}\n`);
  }
}
