// DuckDB side of the cairn benchmark (run by bench/run; DuckDB comes from bench/node_modules).
//
//   node bench/duckdb_bench.mjs CONFIG.json OUT.json
//
// CONFIG: { ndjson, db, loadRuns, runs, rawTable: bool, queries: [{id, kind, sql, verify_sql?, count_sql?}] }
// Everything is timed inside this process (process start and DuckDB start-up do not count):
//   - load: CREATE TABLE ct AS SELECT * FROM read_json(ndjson, format='newline_delimited') + CHECKPOINT,
//     into a fresh database file each run (median of loadRuns); table size = database file size.
//   - raw table (rawTable): ct_raw(raw VARCHAR), one row per NDJSON line, loaded with read_csv using a
//     delimiter that never occurs and no quoting, so each line arrives verbatim; used for text search.
//   - each query: one warm-up run, then `runs` timed runs of runAndReadAll (the result fully materialized).
import { DuckDBInstance, version } from '@duckdb/node-api';
import fs from 'node:fs';

const [configPath, outPath] = process.argv.slice(2);
const cfg = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const out = { version: version(), load: [], queries: {} };
const save = () => fs.writeFileSync(outPath, JSON.stringify(out, null, 1));

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const sq = (s) => "'" + s.replace(/'/g, "''") + "'";
const str = (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v.toString() : String(v));
const fileSize = (p) => { try { return fs.statSync(p).size; } catch { return 0; } };
const removeDb = (p) => { for (const f of [p, p + '.wal']) fs.rmSync(f, { force: true }); };

let instance = null;
let conn = null;
async function open() {
  instance = await DuckDBInstance.create(cfg.db);
  conn = await instance.connect();
}
function close() {
  if (conn) conn.closeSync();
  if (instance) instance.closeSync();
  conn = null;
  instance = null;
}
async function scalar(sql) {
  const r = await conn.runAndReadAll(sql);
  return str(r.getRows()[0][0]);
}

try {
  const loadSql = `CREATE TABLE ct AS SELECT * FROM read_json(${sq(cfg.ndjson)}, format='newline_delimited')`;
  out.loadSql = loadSql;
  for (let i = 0; i < cfg.loadRuns; i++) {
    close();
    removeDb(cfg.db);
    await open();
    const t0 = process.hrtime.bigint();
    await conn.run(loadSql);
    await conn.run('CHECKPOINT');
    out.load.push(ms(t0));
    save();
  }
  out.threads = await scalar("SELECT current_setting('threads')");
  out.rows = Number(await scalar('SELECT count(*) FROM ct'));
  out.tableBytes = fileSize(cfg.db);
  {
    const r = await conn.runAndReadAll('PRAGMA database_size');
    const row = r.getRowObjectsJS()[0];
    out.databaseSize = { blockSize: str(row.block_size), usedBlocks: str(row.used_blocks), databaseSize: str(row.database_size) };
  }
  {
    const r = await conn.runAndReadAll("SELECT column_name, column_type FROM (DESCRIBE ct)");
    out.schema = r.getRows().map((row) => [str(row[0]), str(row[1]).slice(0, 200)]);
  }
  save();

  if (cfg.rawTable) {
    const rawSql = `CREATE TABLE ct_raw AS SELECT * FROM read_csv(${sq(cfg.ndjson)}, columns={'raw': 'VARCHAR'}, ` +
      `header=false, delim=E'\\x01', quote='', escape='', auto_detect=false, max_line_size=100000000)`;
    out.rawLoadSql = rawSql;
    const before = fileSize(cfg.db);
    const t0 = process.hrtime.bigint();
    await conn.run(rawSql);
    await conn.run('CHECKPOINT');
    out.rawLoad = ms(t0);
    out.rawRows = Number(await scalar('SELECT count(*) FROM ct_raw'));
    out.rawTableBytes = fileSize(cfg.db) - before;
    save();
  }

  for (const q of cfg.queries) {
    const res = { sql: q.sql, times: [] };
    out.queries[q.id] = res;
    try {
      let reader = null;
      for (let r = 0; r <= cfg.runs; r++) {  // run 0 warms up and is not reported
        const t0 = process.hrtime.bigint();
        reader = await conn.runAndReadAll(q.sql);
        const t = ms(t0);
        if (r > 0) res.times.push(t);
      }
      if (q.kind === 'count') {
        res.count = Number(str(reader.getRows()[0][0]));
      } else if (q.kind === 'raw') {
        res.returned = reader.currentRowCount;
        res.count = Number(await scalar(q.count_sql));
        const v = await conn.runAndReadAll(q.verify_sql);
        res.events = v.getRows().map((row) => [str(row[0]), str(row[1])]);
      } else {
        res.rows = reader.getRows().map((row) => row.map(str));
        res.count = res.rows.length;
      }
    } catch (e) {
      res.error = String(e && e.message ? e.message : e);
    }
    save();
  }
  out.ok = true;
} catch (e) {
  out.ok = false;
  out.error = String(e && e.stack ? e.stack : e);
}
save();
close();
process.exit(out.ok ? 0 : 1);
