/**
 * The 10,000-row Excel import benchmark: `npm run bench:import` (PGlite in memory) or
 * `npm run bench:import -- --pg` (a fresh database on postgres://postgres@127.0.0.1:5432, dropped afterwards).
 * Builds a township with enough posts and quota, generates a workbook in the template layout (A01 people, A02 posts
 * held, A03 ranks, A06 assessments: one row per person in each), and times upload → check → commit through the
 * import service as the pages run it, sampling RSS and the event loop's longest stall (other users' wait) meanwhile.
 * Writes bench/results/import.json, which bench/report.ts puts in docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/container.js';
import { prepareDatabase } from '../src/db/bootstrap.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { fixedClock } from '../src/domain/clock.js';
import { makeIdNumber } from '../src/domain/idNumber.js';
import { SHEETS, type SheetCode, sheetTabName } from '../src/domain/importLayout.js';

const TODAY = '2026-11-15';
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红梅文斌宇浩然欣怡子涵雨轩晨阳嘉琪博文思远';

/** A workbook of `people` people in the template layout, written with exceljs' streaming writer. */
export async function generateImportWorkbook(
  people: number,
  options: { unitName: string; postName: (i: number) => string; seed?: number },
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const chunks: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useSharedStrings: true,
    useStyles: false,
  });
  const rows: Partial<Record<SheetCode, (i: number, id: string, name: string) => Record<string, string>>> = {
    A01: (_i, id, name) => ({
      name,
      idNumber: id,
      gender: Number(id[16]) % 2 === 1 ? '男' : '女',
      birthDate: `${id.slice(6, 10)}.${id.slice(10, 12)}`,
      ethnicity: '汉族',
      politicalStatus: '中共党员',
      partyJoinedOn: `${Number(id.slice(6, 10)) + 22}.07`,
      workStartedOn: `${Number(id.slice(6, 10)) + 21}.08`,
      health: '健康',
    }),
    A02: (i, id, name) => ({
      idNumber: id,
      name,
      unitName: options.unitName,
      postName: options.postName(i),
      establishmentType: '行政编制',
      validFrom: '2020.03.01',
      docNo: `示组〔2020〕${1 + (i % 90)}号`,
    }),
    A03: (_i, id, name) => ({ idNumber: id, name, grade: '一级科员', validFrom: '2022.01' }),
    A06: (i, id, name) => ({ idNumber: id, name, year: '2025', result: i % 7 === 0 ? '优秀' : '称职' }),
  };
  const seed = options.seed ?? 0;
  const person = (i: number) => {
    const year = 1965 + (i % 35);
    const birth = `${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const area = String(980000 + Math.floor((i + seed) / 500)).padStart(6, '0');
    const id = makeIdNumber(area, birth, (i * 2) % 1000, i % 2 === 0 ? 'male' : 'female');
    const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13) % GIVEN.length]}`;
    return { id, name };
  };
  for (const spec of SHEETS) {
    const make = rows[spec.code];
    const ws = wb.addWorksheet(sheetTabName(spec));
    ws.addRow(spec.columns.map((c) => c.header)).commit();
    if (make)
      for (let i = 0; i < people; i++) {
        const p = person(i);
        const r = make(i, p.id, p.name);
        ws.addRow(spec.columns.map((c) => r[c.field] ?? '')).commit();
      }
    ws.commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}

async function township(knex: Knex, posts: number) {
  const [city] = await knex('regions').insert({ kind: 'city', name: '基准市' }).returning('id');
  const [county] = await knex('regions')
    .insert({ kind: 'county', parent_id: (city as { id: number }).id, parent_kind: 'city', name: '基准县' })
    .returning('id');
  const countyId = (county as { id: number }).id;
  const [t] = await knex('regions')
    .insert({
      kind: 'township',
      parent_id: countyId,
      parent_kind: 'county',
      name: '基准镇',
      township_kind: 'town',
    })
    .returning('id');
  const townshipId = (t as { id: number }).id;
  const [h] = await knex('quota_holders').insert({ township_id: townshipId }).returning('id');
  const [a] = await knex('quota_accounts')
    .insert({ holder_id: (h as { id: number }).id, establishment_type: 'administrative' })
    .returning('id');
  await knex('quota_decisions').insert({
    account_id: (a as { id: number }).id,
    approved_count: posts,
    effective_from: '2000-01-01',
    doc_no: '基编〔2000〕1号',
  });
  const [u] = await knex('units')
    .insert({ township_id: townshipId, kind: 'office', established_on: '2000-01-01' })
    .returning('id');
  const unitId = (u as { id: number }).id;
  await knex('unit_versions').insert({
    unit_id: unitId,
    township_id: townshipId,
    valid_from: '2000-01-01',
    name: '综合办公室',
    rank: 'none',
  });
  for (let i = 0; i < posts; i += 1000)
    await knex('posts').insert(
      Array.from({ length: Math.min(1000, posts - i) }, (_, j) => ({
        township_id: townshipId,
        unit_id: unitId,
        name: `综合岗${i + j + 1}`,
        category: 'civil_service',
        establishment_types: ['administrative'],
        opened_on: '2000-01-01',
        sort_order: i + j,
      })),
    );
  const [user] = await knex('users')
    .insert({
      username: `bench-import-${randomBytes(3).toString('hex')}`,
      display_name: '基准',
      password_hash: 'x',
    })
    .returning('id');
  const userId = (user as { id: number }).id;
  await knex('user_roles').insert({
    user_id: userId,
    role: 'township_officer',
    region_id: townshipId,
    region_kind: 'township',
  });
  return { townshipId, userId };
}

async function openBenchDatabase(
  pgServer: boolean,
): Promise<{ db: Database; drop: () => Promise<void>; backend: string }> {
  if (!pgServer) {
    const db = await openDatabase({ kind: 'pglite', memory: true });
    return { db, drop: () => db.close(), backend: 'PGlite (in memory)' };
  }
  const server = process.env.BENCH_IMPORT_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `gangwei_bench_import_${process.pid}`;
  const admin = await openDatabase({ kind: 'pg', url: server, poolMax: 1 });
  await admin.knex.raw(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'pg', url: url.toString(), poolMax: 10 });
  return {
    db,
    backend: 'PostgreSQL server',
    drop: async () => {
      await db.close();
      const again = await openDatabase({ kind: 'pg', url: server, poolMax: 1 });
      await again.knex.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.close();
    },
  };
}

async function main() {
  const pgServer = process.argv.includes('--pg');
  const people = Number(process.env.BENCH_IMPORT_ROWS ?? 10000);
  const { db, drop, backend } = await openBenchDatabase(pgServer);
  try {
    await prepareDatabase(db.knex, { demo: false, today: TODAY });
    const { townshipId, userId } = await township(db.knex, people);
    const t0 = performance.now();
    const file = await generateImportWorkbook(people, {
      unitName: '综合办公室',
      postName: (i) => `综合岗${i + 1}`,
    });
    const generateMs = performance.now() - t0;
    const services = createServices({
      db,
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SESSION_SECRET: 'bench-secret-bench-secret-bench-0123',
      }),
      clock: fixedClock(TODAY),
      logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    });
    const scope = await services.access.scopeFor({
      userId,
      username: 'bench',
      displayName: 'bench',
      locale: 'zh-CN',
      via: 'session',
      grants: [{ role: 'township_officer', regionId: townshipId, personId: null }],
    });
    const actor = { userId, username: 'bench', requestId: 'bench' };
    // Sample memory and the event loop's stalls (how long another user's request would wait) every 20 ms.
    let peakRss = process.memoryUsage().rss;
    let worstStall = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstStall = Math.max(worstStall, now - last - 20);
      last = now;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const rssBefore = process.memoryUsage().rss;
    const t1 = performance.now();
    const upload = await services.imports.upload(actor, scope, { townshipId, fileName: 'bench.xlsx', file });
    if (!upload.ok) throw new Error(`upload refused: ${upload.key}`);
    await services.imports.settled(upload.jobId);
    const checkMs = performance.now() - t1;
    const checked = await services.imports.job(scope, upload.jobId);
    if (checked.state !== 'ready')
      throw new Error(`not ready: ${checked.state} ${JSON.stringify(checked.problems.slice(0, 3))}`);
    const t2 = performance.now();
    await services.imports.commit(actor, scope, upload.jobId);
    await services.imports.settled(upload.jobId);
    const commitMs = performance.now() - t2;
    clearInterval(timer);
    const done = await services.imports.job(scope, upload.jobId);
    if (done.state !== 'committed') throw new Error(`not committed: ${done.state} ${done.failure}`);
    const imported = Number(
      ((await db.knex('people').count('* as n').first()) as { n?: number | string } | undefined)?.n ?? 0,
    );
    const result = {
      date: new Date().toISOString(),
      backend,
      machine: `${os.cpus().length} cores, Node.js ${process.version}`,
      people,
      rows: people * 4,
      fileKb: Math.round(file.length / 1024),
      generateSeconds: +(generateMs / 1000).toFixed(1),
      checkSeconds: +(checkMs / 1000).toFixed(1),
      commitSeconds: +(commitMs / 1000).toFixed(1),
      totalSeconds: +((checkMs + commitMs) / 1000).toFixed(1),
      rssBeforeMb: Math.round(rssBefore / 1048576),
      peakRssMb: Math.round(peakRss / 1048576),
      worstEventLoopStallMs: Math.round(worstStall),
      imported,
    };
    fs.mkdirSync('bench/results', { recursive: true });
    fs.writeFileSync(
      `bench/results/import${pgServer ? '-pg' : ''}.json`,
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await drop();
  }
}

if (process.argv[1]?.endsWith('import.ts')) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
