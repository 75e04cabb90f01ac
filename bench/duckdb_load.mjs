// DuckDB side of the VPC flow, access-log and CloudWatch Logs benchmarks (run by bench/run through
// bench/vpcflow.py and bench/textlogs.py; DuckDB comes from bench/node_modules).
//
//   node bench/duckdb_load.mjs CONFIG.json OUT.json
//
// CONFIG: { files: [...], db, table, loadRuns, loadSql, runs, queries: [{id, sql}] } where loadSql creates
// `table` from the files, named FILES in it. Timed inside this process: the load (loadSql + CHECKPOINT into a
// fresh database file each run; median of loadRuns), then the table's row count and file size, then each
// query (optional): one warm-up run and `runs` timed runs, the result fully materialized.
import { DuckDBInstance, version } from '@duckdb/node-api';
import fs from 'node:fs';

const [configPath, outPath] = process.argv.slice(2);
const cfg = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const out = { version: version(), load: [], queries: {} };
const save = () => fs.writeFileSync(outPath, JSON.stringify(out, null, 1));
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const sq = (s) => "'" + s.replace(/'/g, "''") + "'";
const str = (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v.toString() : String(v));

let instance = null;
let conn = null;
try {
  const files = '[' + cfg.files.map(sq).join(', ') + ']';
  const loadSql = cfg.loadSql.replace('FILES', files);
  out.loadSql = cfg.loadSql;
  for (let i = 0; i < cfg.loadRuns; i++) {
    if (conn) conn.closeSync();
    if (instance) instance.closeSync();
    for (const f of [cfg.db, cfg.db + '.wal']) fs.rmSync(f, { force: true });
    instance = await DuckDBInstance.create(cfg.db);
    conn = await instance.connect();
    const t0 = process.hrtime.bigint();
    await conn.run(loadSql);
    await conn.run('CHECKPOINT');
    out.load.push(ms(t0));
    save();
  }
  out.rows = Number(str((await conn.runAndReadAll(`SELECT count(*) FROM ${cfg.table}`)).getRows()[0][0]));
  out.tableBytes = fs.statSync(cfg.db).size;
  for (const q of cfg.queries || []) {
    const times = [];
    let rows = null;
    for (let i = 0; i <= cfg.runs; i++) {
      const t0 = process.hrtime.bigint();
      const r = await conn.runAndReadAll(q.sql);
      const t = ms(t0);
      rows = r.getRows().map((row) => row.map(str));
      if (i > 0) times.push(t);
    }
    out.queries[q.id] = { times, rows, sql: q.sql };
    save();
  }
  out.ok = true;
} catch (e) {
  out.ok = false;
  out.error = String(e && e.stack ? e.stack : e);
}
save();
if (conn) conn.closeSync();
if (instance) instance.closeSync();
