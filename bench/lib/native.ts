import { spawn } from 'node:child_process';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../src/engine/sql';

/**
 * `node -e` arguments of a fresh native DuckDB process (@duckdb/node-api) running `sql` at `threads` and printing
 * its rows as JSON (values as strings): the peer of a fresh `epoxy` CLI process.
 */
export function nativeProcessArgs(sql: string, threads?: number): string[] {
  const config = threads ? `{threads:'${threads}'}` : '{}';
  return ['-e', `const {DuckDBInstance}=require('@duckdb/node-api');(async()=>{const c=await (await DuckDBInstance.create(':memory:',${config})).connect();const r=await c.runAndReadAll(${JSON.stringify(sql)});console.log(JSON.stringify(r.getRows().map(x=>x.map(v=>v===null?null:String(v)))));})()`];
}

/** Run a process to its end; its wall time (spawn to exit) and stdout. Rejects with its stderr's tail on failure. */
export function runProcess(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${[cmd, ...args].join(' ').slice(0, 200)} exited with ${code}: ${stderr.trim().slice(-400)}`));
      else resolve({ ms, stdout });
    });
  });
}

const literal = (v: unknown) => (v === null || v === undefined ? 'NULL' : quoteLiteral(typeof v === 'object' ? JSON.stringify(v) : String(v)));

/**
 * How many rows `rows` (an answer from Epoxy, as plain values) and native DuckDB's `referenceSql` differ by
 * (EXCEPT ALL both ways). The answer is cast to the reference's column types, so 3 and '3' and 3n compare equal.
 */
export async function rowsDifferFromNative(conn: DuckDBConnection, referenceSql: string, rows: unknown[][]): Promise<{ differing: number; expected: number }> {
  const ref = `(${referenceSql})`;
  const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${ref}`)).getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  const expected = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${ref}`)).getRows()[0]![0]);
  if (rows.length === 0) return { differing: expected, expected };
  const names = described.map((_, i) => `c${i}`);
  const values = rows.map((r) => `(${described.map((_, i) => literal(r[i])).join(', ')})`).join(', ');
  const answer = `(SELECT ${described.map((c, i) => `c${i}::${c.type}`).join(', ')} FROM (VALUES ${values}) v(${names.join(', ')}))`;
  const diff = await conn.runAndReadAll(`SELECT count(*) FROM ((FROM ${ref} EXCEPT ALL FROM ${answer}) UNION ALL (FROM ${answer} EXCEPT ALL FROM ${ref}))`);
  return { differing: Number(diff.getRows()[0]![0]), expected };
}
