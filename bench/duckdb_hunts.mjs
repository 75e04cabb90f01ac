// DuckDB side of the hunts benchmark (run by bench/hunts.py; DuckDB comes from bench/node_modules).
//
//   node bench/duckdb_hunts.mjs load CONFIG.json OUT.json
//   node bench/duckdb_hunts.mjs query CONFIG.json OUT.json
//
// load:  CONFIG { ndjson, db, loadSql }: a fresh database file, CREATE TABLE ct AS <loadSql> + CHECKPOINT
//        (timed); OUT gets the version, the load time, the row count and the full schema (DESCRIBE ct), which
//        bench/hunts.py resolves the Sigma rules' field paths against.
// query: CONFIG { db, runs, queries: [{id, sql}], batch: {sql, ids} | null }: opens the database file made by
//        `load`; each query (and then the batch, one statement counting every rule) gets one warm-up run and
//        `runs` timed runs of runAndReadAll, timed inside this process (process start and opening the database
//        do not count); OUT gets each one's times and count (the batch: one count per id), or its error.
import { DuckDBInstance, version } from '@duckdb/node-api';
import fs from 'node:fs';

const [mode, configPath, outPath] = process.argv.slice(2);
const cfg = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const out = { version: version(), mode };
const save = () => fs.writeFileSync(outPath, JSON.stringify(out, null, 1));
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const str = (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v.toString() : String(v));

let instance = null;
let conn = null;
try {
  if (mode === 'load') {
    for (const f of [cfg.db, cfg.db + '.wal']) fs.rmSync(f, { force: true });
    instance = await DuckDBInstance.create(cfg.db);
    conn = await instance.connect();
    out.loadSql = `CREATE TABLE ct AS ${cfg.loadSql}`;
    const t0 = process.hrtime.bigint();
    await conn.run(out.loadSql);
    await conn.run('CHECKPOINT');
    out.loadMs = ms(t0);
    out.rows = Number(str((await conn.runAndReadAll('SELECT count(*) FROM ct')).getRows()[0][0]));
    out.threads = str((await conn.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
    const r = await conn.runAndReadAll('SELECT column_name, column_type FROM (DESCRIBE ct)');
    out.schema = r.getRows().map((row) => [str(row[0]), str(row[1])]);
    out.tableBytes = fs.statSync(cfg.db).size;
  } else if (mode === 'query') {
    instance = await DuckDBInstance.create(cfg.db);
    conn = await instance.connect();
    out.threads = str((await conn.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
    out.queries = {};
    const timed = async (sql) => {
      const res = { times: [] };
      try {
        let reader = null;
        for (let i = 0; i <= cfg.runs; i++) {  // run 0 warms up and is not reported
          const t0 = process.hrtime.bigint();
          reader = await conn.runAndReadAll(sql);
          const t = ms(t0);
          if (i > 0) res.times.push(t);
        }
        res.row = reader.getRows()[0].map((v) => Number(str(v)));
      } catch (e) {
        res.error = String(e && e.message ? e.message : e).slice(0, 1000);
      }
      return res;
    };
    for (const q of cfg.queries) {
      const res = await timed(q.sql);
      if (res.row) res.count = res.row[0];
      delete res.row;
      out.queries[q.id] = res;
      save();
    }
    if (cfg.batch) {
      const res = await timed(cfg.batch.sql);
      if (res.row) res.counts = Object.fromEntries(cfg.batch.ids.map((id, i) => [id, res.row[i]]));
      delete res.row;
      out.batch = res;
    }
  } else {
    throw new Error(`unknown mode ${mode} (load or query)`);
  }
  out.ok = true;
} catch (e) {
  out.ok = false;
  out.error = String(e && e.stack ? e.stack : e);
}
save();
if (conn) conn.closeSync();
if (instance) instance.closeSync();
process.exit(out.ok ? 0 : 1);
