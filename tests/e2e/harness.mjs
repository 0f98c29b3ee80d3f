// The e2e harness: Debian's Chromium driven by playwright-core, static servers for the built
// page, a recorder of every request the browser makes, and a tiny test runner.

import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---------------------------------------------------------------- runner

const tests = [];
export function test(name, fn) { tests.push({ name, fn }); }

export async function runTests(filter) {
  let passed = 0;
  const failed = [];
  for (const t of tests) {
    if (filter && !t.name.includes(filter)) continue;
    const t0 = Date.now();
    try {
      await t.fn();
      passed += 1;
      console.log(`ok   ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed.push(t.name);
      console.log(`FAIL ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n     ${String(e && e.stack || e).split('\n').join('\n     ')}`);
    }
  }
  console.log(`\ne2e: ${passed} passed, ${failed.length} failed`);
  for (const name of failed) console.log(`  failed: ${name}`);
  return failed.length === 0;
}

export function assert(cond, message) { if (!cond) throw new Error(message); }
export function assertEqual(actual, expected, message) {
  const same = typeof expected === 'object' && expected !== null ? JSON.stringify(actual) === JSON.stringify(expected) : actual === expected;
  if (!same) {
    throw new Error(`${message}\n       expected: ${JSON.stringify(expected)?.slice(0, 2000)}\n       actual:   ${JSON.stringify(actual)?.slice(0, 2000)}`);
  }
}

// ---------------------------------------------------------------- servers

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
    server.on('error', reject);
  });
}

const servers = [];
/** Serves `dir` on 127.0.0.1 with Python's static server (what web/serve.sh uses). */
export async function serve(dir) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: 'ignore' });
  servers.push(child);
  for (let i = 0; i < 100; i += 1) {
    try { const r = await fetch(`http://127.0.0.1:${port}/`); if (r.status < 500) return `http://127.0.0.1:${port}`; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`the server for ${dir} did not start`);
}

export function stopServers() { for (const s of servers) s.kill(); }

// ---------------------------------------------------------------- browser

/** Every request the browser makes, with the phase the test was in. */
export const requests = [];
let phase = 'idle';
export function setPhase(p) { phase = p; }

export async function launch(options = {}, profilePrefix = 'smic-e2e-') {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), profilePrefix)), {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, acceptDownloads: true,
    viewport: { width: 1280, height: 900 }, ...options,
  });
  // Context level: sees the worker's importScripts and wasm fetches too.
  context.on('request', r => requests.push({ url: r.url(), phase }));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  return context;
}

/** Opens the page and waits until its worker is ready; from then on no request may happen. */
export async function openPage(context, url, { ready = true } = {}) {
  setPhase('loading');
  const page = await context.newPage();
  page.__errors = [];
  page.on('pageerror', e => page.__errors.push(`pageerror: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') page.__errors.push(`console: ${m.text()}`); });
  page.on('dialog', d => { page.__errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(url);
  if (ready) await page.locator('[data-worker="ready"]').waitFor({ timeout: 30000 });
  setPhase('after-load');
  return page;
}

/** The worker's own program, from the page's origin: what a pool worker, started when an
 *  archive has compressed layers to share out, loads after the page has loaded (its scripts:
 *  it is sent the compiled WebAssembly), and a worker started again after a cancel. */
export function isWorkerProgram(url, origin) {
  const u = new URL(url);
  return (origin === undefined || u.origin === origin) && u.protocol === 'http:' && u.hostname === '127.0.0.1'
    && /\/(worker-boot\.js|worker\.js|worker_bg\.wasm)$/.test(u.pathname);
}

/** Fails on any request after load (but the worker's own program, for pool workers), any CSP
 *  violation, any page error. */
export async function assertClean(page, { allowRequests = false } = {}) {
  const late = requests.filter(r => r.phase === 'after-load' && !isWorkerProgram(r.url));
  if (!allowRequests) assertEqual(late.map(r => r.url), [], 'requests after the page had loaded');
  const violations = await page.evaluate(() => window.__cspViolations || []);
  assertEqual(violations, [], 'CSP violations');
  assertEqual(page.__errors, [], 'errors in the page');
}

export async function closePage(page) {
  await assertClean(page);
  setPhase('idle');
  requests.length = 0;
  await page.close();
}

// ---------------------------------------------------------------- feeding files

/** Through the page's own file input (Playwright hands the paths to the browser; nothing is buffered). */
export async function chooseFiles(page, paths) {
  await page.setInputFiles('#file-input', paths);
}

/** A synthetic drop on the drop zone, of real disk files of any size: they go through a scratch
 *  input first, then into a DataTransfer. */
export async function dropFiles(page, paths) {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file'; input.multiple = true; input.id = 'e2e-scratch'; input.hidden = true;
    document.body.appendChild(input);
  });
  await page.setInputFiles('#e2e-scratch', paths);
  await page.evaluate(() => {
    const input = document.getElementById('e2e-scratch');
    const dt = new DataTransfer();
    for (const f of input.files) dt.items.add(f);
    const zone = document.getElementById('drop-zone');
    zone.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    input.remove();
  });
}

/** Waits for the final report of a check newer than `afterJob`; returns its job. */
export async function finalReport(page, afterJob = 0, timeout = 60000) {
  const handle = await page.waitForFunction((after) => {
    const r = document.getElementById('report');
    if (!r || r.dataset.stage !== 'final' || Number(r.dataset.job) <= after) return null;
    if (document.querySelector('.progress-panel, .checking')) return null;
    return Number(r.dataset.job);
  }, afterJob, { timeout, polling: 50 });
  return handle.jsonValue();
}

export async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFileSync(await dl.path(), 'utf8');
}

// ---------------------------------------------------------------- the CLI

// Where cargo put it: CARGO_TARGET_DIR when set (.ci/run sets one of its own), else ./target.
export const CLI = join(resolve(process.env.CARGO_TARGET_DIR || 'target'), 'release', 'sm-image-check');

/** The CLI's `--format json` for the same files, run from their directory with bare names so
 *  the input names match the browser's File.name. */
export function cliJson(inputs, extraArgs = []) {
  const dir = dirname(inputs.config || inputs.dockerfile || inputs.image);
  for (const p of Object.values(inputs)) assertEqual(dirname(p), dir, 'CLI inputs must share a directory');
  const args = ['check', '--format', 'json'];
  if (inputs.config) args.push('--app-image-config', basename(inputs.config));
  if (inputs.dockerfile) args.push('--dockerfile', basename(inputs.dockerfile));
  if (inputs.image) args.push(basename(inputs.image));
  args.push(...extraArgs);
  const r = spawnSync(CLI, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert((r.status === 0 || r.status === 1 || r.status === 2) && r.stdout.startsWith('{'), `CLI ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export function listDir(dir) { return readdirSync(dir).sort(); }
