// Render the figures the reliability tests recorded (reliability-figures/*.json) into test/RELIABILITY.md,
// between the figures markers, so the document states what the last run measured and nothing else.
// Usage: npx vitest run test/unit/crawler/hostile-corpus.test.ts test/unit/security && npx playwright test test/e2e/reliability.spec.ts test/e2e/share-attacks.spec.ts
//        && npm run reliability:report
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'reliability-figures');
const doc = join(root, 'test', 'RELIABILITY.md');
const read = (name) => (existsSync(join(dir, `${name}.json`)) ? JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) : null);
const mb = (bytes) => (bytes / 1048576).toFixed(1);
const out = [];

const sampled = read('corpus-sampled');
const full = read('corpus-full-scan');
if (sampled) {
  out.push(`### Hostile corpus crawl (recorded ${sampled.recordedAt})`, '');
  out.push(`${sampled.cases} files (${sampled.hostile} hostile, ${sampled.controls} good controls; ${mb(sampled.bytes)} MB), crawled by \`runCrawl\` with the real classifiers in the in-process pool (per-file timeout ${sampled.fileTimeoutMs / 1000} s) into a catalog on fake-indexeddb.`, '');
  out.push('| | sampled (Glue budgets) | full scan |', '|---|---|---|');
  const row = (label, f) => out.push(`| ${label} | ${f(sampled)} | ${full ? f(full) : '—'} |`);
  row('crawl state', () => 'COMPLETED');
  row('files in a table', (d) => d.filesInTables);
  row('files reported (per-file error)', (d) => d.failures);
  row('distinct error messages', (d) => d.distinctMessages);
  row('tables written', (d) => d.tablesWritten);
  row('whole crawl', (d) => `${(d.crawlMs / 1000).toFixed(1)} s`);
  row('slowest file', (d) => `${d.slowest[0].path} (${d.slowest[0].ms} ms)`);
  row('peak heap + array buffers above start', (d) => `${d.peakAboveBaselineMB} MB (bound ${d.memoryBoundMB} MB)`);
  out.push('', 'Per family (sampled crawl):', '', '| family | attack | files | in a table | reported | slowest |', '|---|---|---|---|---|---|');
  const attacks = (list) => { const text = list.slice(0, 2).join('; '); return list.length > 2 ? `${text}; … (${list.length} variants)` : text; };
  for (const [name, f] of Object.entries(sampled.families)) out.push(`| ${name} | ${attacks(f.attacks).replace(/\|/g, '\\|')} | ${f.cases} | ${f.tables} | ${f.failures} | ${f.slowestMs} ms |`);
  // A negative delta means a garbage collection ran during the file: it held nothing extra.
  const held = (x) => `${Math.max(0, x)} MB`;
  out.push('', 'Heavy cases: time, and memory still held right after the file (bound per file as above; 0 when a GC ran meanwhile):', '', '| file | sampled | full scan |', '|---|---|---|');
  for (const h of sampled.heavy) {
    const f = full?.heavy.find((x) => x.path === h.path);
    out.push(`| ${h.path} | ${h.ms} ms, ${held(h.retainedMB)} | ${f ? `${f.ms} ms, ${held(f.retainedMB)}` : '—'} |`);
  }
  out.push('', 'One message per family, as the Crawlers view shows it:', '', '| family | message |', '|---|---|');
  for (const [name, f] of Object.entries(sampled.families)) if (f.example) out.push(`| ${name} | ${f.example.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  out.push('');
}
const links = read('share-links');
if (links) {
  out.push(`### Share links (recorded ${links.recordedAt})`, '', '| kind | secrets planted (found by the scan) | found in the link | link length |', '|---|---|---|---|');
  for (const l of links.links) out.push(`| ${l.kind} | ${l.plantedFindings} | ${l.findingsInLink} | ${l.linkChars} chars |`);
  out.push('');
}
const attacks = read('share-attacks');
if (attacks) {
  out.push(`### Shared-link attacks in chromium (recorded ${attacks.recordedAt})`, '');
  out.push(`${attacks.attacks.length} attacks by hand-made links against the built app (\`test/e2e/share-attacks.spec.ts\`), each with a listener on 127.0.0.1 standing for the link author; requests it received: ${attacks.attacks.reduce((n, a) => n + a.listenerRequests, 0)}.`, '');
  out.push('| attack | what happened | requests to the listener |', '|---|---|---|');
  for (const a of attacks.attacks) out.push(`| ${a.attack.replace(/\|/g, '\\|')} | ${a.outcome.replace(/\|/g, '\\|').replace(/\n/g, ' ')} | ${a.listenerRequests} |`);
  out.push('');
}
const edits = ['table', 'job', 'trigger'].map((k) => read(`e2e-concurrency-${k}`)).filter(Boolean);
if (edits.length) {
  out.push(`### Two tabs editing one object (chromium, \`test/e2e/concurrency.spec.ts\`, recorded ${edits[0].recordedAt})`, '');
  out.push('| object | rounds | concurrent rounds: conflict shown | of which "Save mine anyway" / Reload | sequential rounds kept in order | edits lost silently |', '|---|---|---|---|---|---|');
  for (const e of edits) out.push(`| ${e.kind} | ${e.rounds} | ${e.conflicts} | ${e.overwritten} / ${e.reloaded} | ${e.inOrder} | ${e.silentLosses} |`);
  out.push('');
}
const kills = ['closed-mid-write', 'crashed-mid-write', 'closed-after-commit', 'crashed-after-commit'].map((k) => read(`i16-e2e-${k}`)).filter(Boolean);
if (kills.length) {
  out.push(`### A workspace target killed mid-publish (chromium, \`test/e2e/atomic-publish.spec.ts\`, recorded ${kills[0].recordedAt})`, '');
  out.push('| tab | when | partitions | files of the new version at the kill | rows before | catalog after reopen | rows after reopen | output | folders after cleanup |', '|---|---|---|---|---|---|---|---|---|');
  for (const k of kills) out.push(`| ${k.ending} | ${k.phase} | ${k.partitions} | ${k.filesOfNewVersionAtKill} | ${k.rowsBefore} | ${k.catalogAfterReopen} | ${k.rowsAfterReopen} | ${k.outputAfterReopen} | ${k.foldersAfterCleanup.join(', ')} |`);
  out.push('');
}
const bookmarked = read('i16-e2e-bookmarked-run-crashed');
if (bookmarked) out.push(`- Bookmarked run crashed mid-write (chromium, recorded ${bookmarked.recordedAt}): ${bookmarked.rowsBefore} rows before, ${bookmarked.filesOfNewVersionAtKill} files of the new version written at the crash; after reopening ${bookmarked.rowsAfterReopen} rows and the bookmark ${bookmarked.bookmarkUnmoved ? 'unmoved' : 'MOVED'}; the next run appends to ${bookmarked.rowsAfterNextRun}.`);
const nodeKills = ['mid-write', 'before-commit', 'mid-cleanup'].map((k) => read(`i16-node-kill-${k}`)).filter(Boolean);
for (const k of nodeKills) out.push(`- Node, killed ${k.phase} (recorded ${k.recordedAt}): ${k.rowsBefore} rows before, the killed run wrote ${k.rowsWrittenByKilledRun}; readers then saw ${k.rowsSeenAfter} rows at ${k.catalogLocation}; cleanup removed ${k.removedByCleanup.join(', ')}.`);
const sigkill = read('i16-cli-sigkill-mid-write');
if (sigkill) out.push(`- \`epoxy run\` SIGKILLed mid-write (recorded ${sigkill.recordedAt}): ${sigkill.filesOfNewVersionWrittenAtKill} files of ${sigkill.partitions} partitions written; catalog file ${sigkill.catalogFileUnchanged ? 'byte-identical' : 'CHANGED'}, ${sigkill.rowsAfterKill} rows readable; the next run left ${sigkill.foldersAfterNextRun.join(', ')} with ${sigkill.rowsAfterNextRun} rows.`);
const append = read('i16-append-under-bookmarks');
if (append) out.push(`- Append under bookmarks (recorded ${append.recordedAt}): first run ${append.firstRunRows} rows, second run ${append.secondRunRows} new rows; the table then holds ${append.tableRowsAfter} rows (catalog recordCount ${append.catalogRecordCount}, ${append.partitions} partitions). Before: the second run replaced the table with its ${append.secondRunRows} rows.`);
if (bookmarked || nodeKills.length || sigkill || append) out.push('');
for (const ending of ['closed', 'crashed']) {
  const k = read(`e2e-tab-${ending}-mid-crawl`);
  if (k) out.push(`- Tab ${ending} mid-crawl (chromium, recorded ${k.recordedAt}): ${k.classifiedWhenKilled} of ${k.files} files classified when the tab went; after reopening, ${k.tablesAfterReopen} tables in IndexedDB and the run is ${k.runState}.`);
}

const clock = read('scheduler-clock-steps');
if (clock) {
  out.push('', `### Scheduler: duplicate and missing fires with the clock stepping (Node, fake clock, recorded ${clock.recordedAt})`, '');
  out.push(`${clock.triggers} every-minute triggers over ${clock.minutes} minutes, checked every ${clock.dispatchEveryMs / 1000} s by ${clock.checkers} tabs (two DurableQueue connections to one database, clocks ${clock.checkerSkewMs} ms apart); the clock ${clock.clock} (\`test/unit/scheduler/monotonic.test.ts\`).`, '');
  out.push('| minute boundaries per trigger | runs | distinct fires | run twice | catch-up runs (fires they stand for) | missing |', '|---|---|---|---|---|---|');
  out.push(`| ${clock.minuteBoundaries} | ${clock.runs} | ${clock.distinctFires} | ${clock.duplicates} | ${clock.catchUpRuns} (${clock.foldedIntoCatchUps}) | ${clock.missing} |`);
  out.push('');
}
const throughput = read('scheduler-throughput');
if (throughput) {
  out.push(`### Scheduler: throughput by runs at a time (Node, recorded ${throughput.recordedAt})`, '');
  out.push(`${throughput.runsPerLimit} queued runs of ${throughput.runMs} ms each through the real executor and queue (fake-indexeddb), per limit of runs at a time (\`test/unit/scheduler/concurrency.test.ts\`).`, '');
  out.push('| runs at a time | runs | seconds | runs/s |', '|---|---|---|---|');
  for (const r of throughput.results) out.push(`| ${r.limit} | ${r.runs} | ${r.seconds} | ${r.runsPerSecond} |`);
  out.push('');
}

const text = readFileSync(doc, 'utf8');
const start = '<!-- figures:start -->';
const end = '<!-- figures:end -->';
const next = text.slice(0, text.indexOf(start) + start.length) + '\n' + out.join('\n') + '\n' + text.slice(text.indexOf(end));
writeFileSync(doc, next);
console.log(`test/RELIABILITY.md: figures from ${dir}`);
