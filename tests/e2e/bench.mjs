// Benchmark of the page (a script, not a test): node tests/e2e/bench.mjs ARCHIVE [RUNS]
// (PAGE_QUERY=?workers=4 opens the page with that query: the pool's size)
// - time to check ARCHIVE in Chromium (file chosen -> final report) against the native CLI
//   (`sm-image-check check ARCHIVE --format json`), interleaved, RUNS times each (default 3),
//   with what the worker fetched and how long it waited for the browser;
// - the browser's floor: the time to merely move the archive's bytes out of the File (two ways);
// - gzip -9 size of all the page's WebAssembly and JavaScript;
// - time to interactive on localhost: first render of the app, and the checker ready.
// Writes tests/e2e/out/bench-<archive's file name>.json. tests/e2e/bench.sh prepares the build and
// the CLI, and runs it on every kind of archive of the realistic image.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLI, finalReport, launch, openPage, serve, setPhase, stopServers } from './harness.mjs';

const ROOT = process.cwd();
const OUT = join(ROOT, 'tests', 'e2e', 'out');
const archive = process.argv[2];
const runs = Number(process.argv[3] || 3);
if (!archive) { console.error('usage: node tests/e2e/bench.mjs ARCHIVE [RUNS]'); process.exit(2); }
mkdirSync(OUT, { recursive: true });

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = { archive, archive_bytes: statSync(archive).size, runs };

// Sizes
const dist = join(ROOT, 'dist');
result.sizes = {};
let gzTotal = 0;
for (const f of readdirSync(dist).filter(f => /\.(wasm|js)$/.test(f)).sort()) {
  const bytes = readFileSync(join(dist, f));
  const gz = gzipSync(bytes, { level: 9 }).length;
  result.sizes[f] = { raw: bytes.length, gzip: gz };
  gzTotal += gz;
}
result.sizes.total_gzip_wasm_js = gzTotal;

// CLI and page, interleaved
const site = await serve(dist);
const context = await launch();
const cliRun = () => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(CLI, ['check', basename(archive), '--format', 'json'], { cwd: dirname(archive), encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!r.stdout.startsWith('{')) throw new Error(`CLI failed: ${r.stderr}`);
  return { seconds, json: r.stdout };
};
cliRun(); // warm the page cache: both sides then read from memory
const cli = [], page = [], tti = [], floor = [], worker = [];
let cliJson = '', pageJson = '';
// The browser's floor: only moving the file's bytes out of a File, 4 slices of 16 MiB in flight,
// with nothing done with them, two ways: `slice().arrayBuffer()` (a fresh buffer each), and a
// byob reader per slice reading into buffers used again (no fresh pages; the fastest measured,
// and what the page's fetch workers do). The floor is the faster of the two medians.
const blobFloor = async (way) => {
  const blank = await context.newPage();
  await blank.setContent('<input type="file" id="f">');
  await blank.setInputFiles('#f', [archive]);
  const ms = await blank.evaluate(async (way) => {
    const file = document.getElementById('f').files[0];
    const slice = 16 << 20;
    let next = 0;
    const byob = async (blob, buffer) => {
      const reader = blob.stream().getReader({ mode: 'byob' });
      let got = 0;
      while (got < blob.size) {
        const r = await reader.read(new Uint8Array(buffer, got, blob.size - got));
        if (r.done) break;
        buffer = r.value.buffer;
        got += r.value.byteLength;
      }
      await reader.cancel();
      return buffer;
    };
    const t0 = performance.now();
    const reader = async () => {
      let buffer = new ArrayBuffer(slice);
      while (next < file.size) {
        const at = next;
        next += slice;
        const blob = file.slice(at, at + slice);
        if (way === 'byob') buffer = await byob(blob, buffer);
        else await blob.arrayBuffer();
      }
    };
    await Promise.all([reader(), reader(), reader(), reader()]);
    return performance.now() - t0;
  }, way);
  await blank.close();
  return ms / 1000;
};
const byobFloor = [];
for (let i = 0; i < runs; i += 1) {
  const c = cliRun();
  cli.push(c.seconds);
  cliJson = c.json;
  const p = await openPage(context, `${site}/${process.env.PAGE_QUERY || ''}`);
  const marks = await p.evaluate(() => ({
    rendered: performance.getEntriesByName('smic-app-rendered')[0]?.startTime,
    ready: performance.getEntriesByName('smic-worker-ready')[0]?.startTime,
    dom: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
  }));
  tti.push(marks);
  const said = [];
  p.on('console', m => { if (m.text().includes(': read in ')) said.push(m.text().replace(/^sm-image-check: /, '')); });
  const t0 = Date.now();
  await p.setInputFiles('#file-input', [archive]);
  await finalReport(p, 0, 30 * 60 * 1000);
  page.push((Date.now() - t0) / 1000);
  worker.push(said.join(' '));
  floor.push(await blobFloor('arrayBuffer'));
  byobFloor.push(await blobFloor('byob'));
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('#export-json')]);
  pageJson = readFileSync(await dl.path(), 'utf8');
  setPhase('idle');
  await p.close();
}
result.cli_seconds = cli;
result.page_seconds = page;
result.cli_median_s = median(cli);
result.page_median_s = median(page);
result.page_vs_cli = result.page_median_s / result.cli_median_s;
result.array_buffer_floor_seconds = floor;
result.byob_floor_seconds = byobFloor;
result.blob_floor_median_s = Math.min(median(floor), median(byobFloor));
result.worker_reading = worker;
result.same_json = cliJson === pageJson;
result.tti_ms = {
  dom_content_loaded: median(tti.map(t => t.dom)),
  app_rendered: median(tti.map(t => t.rendered)),
  checker_ready: median(tti.map(t => t.ready)),
};
await context.close();
stopServers();

writeFileSync(join(OUT, `bench-${basename(archive)}.json`), JSON.stringify(result, null, 2));
const mb = n => (n / 1e6).toFixed(1);
console.log(`archive: ${archive} (${mb(result.archive_bytes)} MB)`);
console.log(`CLI:  ${cli.map(s => s.toFixed(2)).join(' ')} s (median ${result.cli_median_s.toFixed(2)} s, ${mb(result.archive_bytes / result.cli_median_s)} MB/s)`);
console.log(`page: ${page.map(s => s.toFixed(2)).join(' ')} s (median ${result.page_median_s.toFixed(2)} s, ${mb(result.archive_bytes / result.page_median_s)} MB/s)`);
console.log(`page / CLI: ${result.page_vs_cli.toFixed(2)}x; page / floor: ${(result.page_median_s / result.blob_floor_median_s).toFixed(2)}x; same JSON: ${result.same_json}`);
console.log(`browser floor (the file's bytes out of the File, 16 MiB x 4, nothing else): arrayBuffer() ${floor.map(s => s.toFixed(2)).join(' ')} s, byob into buffers used again ${byobFloor.map(s => s.toFixed(2)).join(' ')} s (the faster median: ${result.blob_floor_median_s.toFixed(2)} s = ${(result.blob_floor_median_s / result.cli_median_s).toFixed(2)}x the CLI)`);
for (const w of worker) console.log(`  worker: ${w}`);
for (const [f, s] of Object.entries(result.sizes)) if (typeof s === 'object') console.log(`  ${f}: ${s.raw} B, gzip ${s.gzip} B`);
console.log(`gzip of all WASM + JS: ${gzTotal} B (target <= 1 MB)`);
console.log(`time to interactive on localhost (median): DOMContentLoaded ${result.tti_ms.dom_content_loaded?.toFixed(0)} ms, app rendered ${result.tti_ms.app_rendered?.toFixed(0)} ms, checker ready ${result.tti_ms.checker_ready?.toFixed(0)} ms`);
