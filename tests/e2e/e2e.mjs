// Browser end-to-end tests of the page: node tests/e2e/e2e.mjs [name-filter], from the repository
// root, after `trunk build` and `bash web/build-single.sh`. tests/e2e/run.sh prepares everything.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  assert, assertEqual, assertClean, chooseFiles, CLI, cliJson, closePage, download, dropFiles, finalReport, launch,
  openPage, requests, runTests, serve, setPhase, stopServers, test,
} from './harness.mjs';
import { suggestionTests } from './suggest.mjs';
import { poolTests } from './pool.mjs';

const ROOT = process.cwd();
const DATA = join(ROOT, 'tests', 'data');
const CORPUS = join(DATA, 'corpus', 'sagemaker-samples');
const ARCHIVES = join(DATA, 'archives', 'real');
const OUT = join(ROOT, 'tests', 'e2e', 'out');
const WORK = process.env.E2E_WORK || mkdtempSync(join(tmpdir(), 'smic-e2e-work-'));
const SPARSE = process.env.E2E_SPARSE_ARCHIVE;
const SINGLE = join(ROOT, 'dist-single', 'sm-image-check.html');
mkdirSync(OUT, { recursive: true });
rmSync(join(OUT, 'reports'), { recursive: true, force: true });

const site = await serve(join(ROOT, 'dist'));
// A docs site: the page under a sub-path, and a page that embeds it.
const hostDir = mkdtempSync(join(tmpdir(), 'smic-e2e-host-'));
mkdirSync(join(hostDir, 'docs'));
symlinkSync(join(ROOT, 'dist'), join(hostDir, 'docs', 'sm-image-check'));
cpSync(join(ROOT, 'tests', 'e2e', 'embed-host.html'), join(hostDir, 'embed.html'));
const host = await serve(hostDir);
const context = await launch();

const metrics = {};

// ---------------------------------------------------------------- helpers

/** What the page shows: verdict, the rule of every finding in order, and their messages. */
async function shown(page) {
  return page.evaluate(() => ({
    verdict: document.querySelector('.verdict')?.dataset.verdict,
    rules: [...document.querySelectorAll('article.finding')].map(a => a.dataset.rule),
    text: document.getElementById('report')?.innerText ?? '',
  }));
}

let exportedReports = 0;

/** The page shows exactly the CLI's findings, and its JSON download is the CLI's JSON. */
async function assertMatchesCli(page, inputs, extraArgs = []) {
  const expectedJson = cliJson(inputs, extraArgs);
  const expected = JSON.parse(expectedJson);
  const seen = await shown(page);
  assertEqual(seen.verdict, expected.verdict, 'verdict shown');
  assertEqual(seen.rules.join(' '), expected.findings.map(f => f.rule).join(' '), 'findings shown, in order');
  const flat = s => s.replace(/\s+/g, ' ');
  for (const f of expected.findings) assert(flat(seen.text).includes(flat(f.message)), `message not shown: ${f.message}`);
  assert(flat(seen.text).includes(flat(expected.headline)), `headline not shown: ${expected.headline}`);
  const profile = `Profile: ${expected.profile.id} — ${expected.profile.reason}`;
  assert(flat(seen.text).includes(flat(profile)), `profile not shown: ${profile}`);
  const heading = await page.locator('#report-heading').innerText();
  assert(heading.includes(APP_NAMES[expected.profile.id]), `the headline does not name ${APP_NAMES[expected.profile.id]}: ${heading}`);
  // One line per other profile, with the CLI's verdict and headline, and a switch to it.
  const others = await page.locator('.other-profile').evaluateAll(lis => lis.map(li => ({
    id: li.dataset.profile, verdict: li.dataset.verdict, text: li.innerText, button: li.querySelector('button.switch-profile')?.innerText ?? '',
  })));
  assertEqual(others.map(o => `${o.id}=${o.verdict}`).join(' '), expected.other_profiles.map(o => `${o.id}=${o.verdict}`).join(' '), 'other profiles shown');
  for (const [i, o] of expected.other_profiles.entries()) {
    assert(flat(others[i].text).includes(flat(o.headline)), `other profile's headline not shown: ${o.headline}`);
    assertEqual(others[i].button, `Check for ${APP_NAMES[o.id]}`, 'the switch names its app');
  }
  const json = await download(page, '#export-json');
  assertEqual(json, expectedJson, 'exported JSON equals the CLI\'s --format json');
  // Kept for the schema check that runs after this suite (tests/tests/schema.rs, ignored test).
  mkdirSync(join(OUT, 'reports'), { recursive: true });
  writeFileSync(join(OUT, 'reports', `${String(++exportedReports).padStart(3, '0')}.json`), json);
  return expected;
}

function corpusCases() {
  return readdirSync(CORPUS, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => {
    const dir = join(CORPUS, d.name);
    const inputs = {};
    if (existsSync(join(dir, 'Dockerfile'))) inputs.dockerfile = join(dir, 'Dockerfile');
    if (existsSync(join(dir, 'app-image-config-input.json'))) inputs.config = join(dir, 'app-image-config-input.json');
    return { name: d.name, inputs };
  }).filter(c => Object.keys(c.inputs).length > 0);
}

/** The profiles' short names, as the selector and the switches show them. */
const APP_NAMES = { 'studio-classic': 'Studio Classic', jupyterlab: 'JupyterLab', 'code-editor': 'Code Editor' };

const archives = readdirSync(ARCHIVES).filter(f => /\.tar(\.gz)?$/.test(f)).sort();

// ---------------------------------------------------------------- the page

test('the empty page loads under the strict CSP and makes no request after load', async () => {
  const page = await openPage(context, `${site}/`);
  const loaded = requests.filter(r => r.phase === 'loading').map(r => new URL(r.url).pathname);
  for (const p of loaded) assert(new URL(`${site}${p}`).origin === site, `request off the page's origin: ${p}`);
  metrics.load_requests = loaded;
  await page.screenshot({ path: join(OUT, 'empty.png'), fullPage: true });
  await page.waitForTimeout(500);
  await closePage(page);
});

test('keyboard alone reaches the file picker, the example and the editors, with a visible focus', async () => {
  const page = await openPage(context, `${site}/`);
  const order = [];
  for (let i = 0; i < 14; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (el === document.body) return null;
      const style = getComputedStyle(el.id === 'file-input' ? document.querySelector('label[for=file-input]') : el);
      return { id: el.id || el.tagName.toLowerCase(), outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
    });
    if (!focused) break;
    order.push(focused);
  }
  const ids = order.map(o => o.id);
  for (const want of ['file-input', 'demo-button', 'profile-select', 'dockerfile-text', 'config-text', 'build-args', 'target-stage']) assert(ids.includes(want), `Tab never reaches #${want}: ${ids}`);
  for (const o of order) assert(o.outline, `no visible focus on ${o.id}`);
  // Every form control has a label.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, textarea, select, button')]
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim()).map(el => el.outerHTML));
  assertEqual(unlabelled, [], 'controls without a label');
  // The example runs from the keyboard.
  await page.focus('#demo-button');
  await page.keyboard.press('Enter');
  await finalReport(page);
  await closePage(page);
});

for (const c of corpusCases()) {
  test(`corpus ${c.name}: chosen with the file input, the page shows the CLI's findings and exports its JSON`, async () => {
    const page = await openPage(context, `${site}/`);
    await chooseFiles(page, Object.values(c.inputs));
    await finalReport(page);
    await assertMatchesCli(page, c.inputs);
    await closePage(page);
  });
  test(`corpus ${c.name}: dropped, the same`, async () => {
    const page = await openPage(context, `${site}/`);
    await dropFiles(page, Object.values(c.inputs));
    await finalReport(page);
    await assertMatchesCli(page, c.inputs);
    await closePage(page);
  });
}

for (const name of archives) {
  const inputs = { image: join(ARCHIVES, name) };
  test(`archive ${name}: chosen with the file input, the page shows the CLI's findings and exports its JSON`, async () => {
    const page = await openPage(context, `${site}/`);
    await chooseFiles(page, [inputs.image]);
    await finalReport(page);
    const expected = await assertMatchesCli(page, inputs);
    if (expected.image) {
      const panel = await page.locator('.image-panel').innerText();
      assert(panel.includes(expected.image.architecture), 'image panel: architecture');
      assertEqual(await page.locator('.image-panel table.layers tbody tr').count(), expected.image.layers.length, 'image panel: one row per layer');
    }
    await closePage(page);
  });
  test(`archive ${name}: dropped, the same`, async () => {
    const page = await openPage(context, `${site}/`);
    await dropFiles(page, [inputs.image]);
    await finalReport(page);
    await assertMatchesCli(page, inputs);
    await closePage(page);
  });
}

test('an archive, a Dockerfile and a config dropped together are each recognised by content, whatever their names', async () => {
  // Names that lie: the config is called Dockerfile.txt, the Dockerfile config.json.
  const dir = mkdtempSync(join(WORK, 'names-'));
  cpSync(join(CORPUS, 'echo-kernel-image', 'Dockerfile'), join(dir, 'config.json'));
  cpSync(join(CORPUS, 'echo-kernel-image', 'app-image-config-input.json'), join(dir, 'Dockerfile.txt'));
  cpSync(join(ARCHIVES, 'sagemaker-real-tiny.docker.tar'), join(dir, 'notes.md'));
  const page = await openPage(context, `${site}/`);
  await dropFiles(page, [join(dir, 'config.json'), join(dir, 'Dockerfile.txt'), join(dir, 'notes.md')]);
  await finalReport(page);
  const list = await page.evaluate(() => [...document.querySelectorAll('.input-item')]
    .map(li => `${li.querySelector('.input-kind').textContent}=${li.querySelector('.input-name').textContent}`).join(', '));
  assertEqual(list, 'Image archive=notes.md, Dockerfile=config.json, AppImageConfig=Dockerfile.txt', 'inputs recognised by content');
  await assertMatchesCli(page, { image: join(dir, 'notes.md'), dockerfile: join(dir, 'config.json'), config: join(dir, 'Dockerfile.txt') });
  await closePage(page);
});

test('a file that is none of the three is named and left out', async () => {
  const page = await openPage(context, `${site}/`);
  await dropFiles(page, ['/usr/bin/true']);
  await page.locator('.banner-notice').waitFor();
  assert((await page.locator('.banner-notice').innerText()).includes('true: not an image archive'), 'notice names the file');
  assertEqual(await page.locator('#report').count(), 0, 'no report without inputs');
  await closePage(page);
});

test('the AppImageConfig is checked again as it is typed', async () => {
  const page = await openPage(context, `${site}/`);
  await page.fill('#config-text', '{"AppImageConfigName": "ok", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}');
  let job = await finalReport(page);
  assertEqual((await shown(page)).rules.includes('RUN008'), false, 'valid name: no RUN008');
  await page.locator('#config-text').press('End');
  // Typing: a name that breaks the pattern, one key at a time.
  await page.fill('#config-text', '');
  await page.locator('#config-text').pressSequentially('{"AppImageConfigName": "not ok!", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}', { delay: 5 });
  job = await finalReport(page, job);
  assert((await shown(page)).rules.includes('RUN008'), 'RUN008 after the edit');
  await closePage(page);
});

test('the profile selector and the other profiles\' switches check the same inputs for another app, as --profile does', async () => {
  const dir = join(CORPUS, 'awsdocs-jupyterlab-al2023-sample');
  const inputs = { dockerfile: join(dir, 'Dockerfile') };
  const page = await openPage(context, `${site}/`);
  assertEqual(await page.locator('#profile-select').inputValue(), 'auto', 'Auto to start with');
  await chooseFiles(page, [inputs.dockerfile]);
  let job = await finalReport(page);
  const auto = await assertMatchesCli(page, inputs, ['--profile', 'auto']);
  assertEqual(auto.profile.id, 'jupyterlab', 'auto reads the start command');
  // The selector: the same Dockerfile under Studio Classic.
  await page.selectOption('#profile-select', 'studio-classic');
  job = await finalReport(page, job);
  const classic = await assertMatchesCli(page, inputs, ['--profile', 'studio-classic']);
  assert(classic.findings.some(f => f.rule === 'RUN004'), 'Studio Classic reserves port 8888');
  assertEqual(classic.other_profiles.find(o => o.id === 'jupyterlab').headline, auto.headline, 'the line for JupyterLab is what Auto said');
  // One press of a switch under the headline, from the keyboard: Code Editor.
  await page.locator('.other-profile[data-profile="code-editor"] button.switch-profile').focus();
  await page.keyboard.press('Enter');
  job = await finalReport(page, job);
  assertEqual(await page.locator('#profile-select').inputValue(), 'code-editor', 'the selector follows the switch');
  assertEqual(await page.evaluate(() => document.activeElement?.id), 'profile-select', 'focus moves to the selector, not to the page\'s start');
  await assertMatchesCli(page, inputs, ['--profile', 'code-editor']);
  await page.screenshot({ path: join(OUT, 'profiles.png'), fullPage: true });
  await page.selectOption('#profile-select', 'auto');
  await finalReport(page, job);
  await assertMatchesCli(page, inputs);
  await closePage(page);
});

test('switching the profile of a dropped archive checks it again without reading it again', async () => {
  const dir = mkdtempSync(join(WORK, 'profile-archive-'));
  const name = archives[0];
  symlinkSync(join(ARCHIVES, name), join(dir, name));
  const inputs = { image: join(dir, name) };
  const page = await openPage(context, `${site}/?profile=code-editor`);
  assertEqual(await page.locator('#profile-select').inputValue(), 'code-editor', '?profile= presets the selector');
  const reads = [];
  page.on('console', m => { if (/: read in \d+ ms/.test(m.text())) reads.push(m.text()); });
  await chooseFiles(page, [inputs.image]);
  let job = await finalReport(page);
  await assertMatchesCli(page, inputs, ['--profile', 'code-editor']);
  for (const other of ['studio-classic', 'jupyterlab']) {
    await page.click(`.other-profile[data-profile="${other}"] button.switch-profile`);
    job = await finalReport(page, job);
    await assertMatchesCli(page, inputs, ['--profile', other]);
  }
  assertEqual(reads.length, 1, `the archive was read once: ${reads.join(' | ')}`);
  await closePage(page);
});

/** The rule IDs `sm-image-check explain` ranks for a message (in `dir`, with its extra arguments). */
function cliExplains(message, dir = ROOT, extraArgs = []) {
  const r = spawnSync(CLI, ['explain', message, '--format', 'json', ...extraArgs], { cwd: dir, encoding: 'utf8' });
  assert(r.status === 0 || r.status === 1, `CLI explain failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout).candidates.map(c => c.rule);
}

test('the error look-up ranks the rules for a pasted error as the CLI does, and says what the loaded inputs show', async () => {
  const page = await openPage(context, `${site}/`);
  const shownRules = () => page.locator('.lookup-result').evaluateAll(items => items.map(i => i.dataset.rule));
  const exec = 'exec /opt/.sagemakerinternal/conda/kgw_variant: exec format error';
  await page.fill('#error-lookup-text', exec);
  assertEqual(await shownRules(), cliExplains(exec), 'the ranked rules, as `explain` ranks them');
  const first = page.locator('.lookup-result').first();
  assertEqual(await first.getAttribute('data-rule'), 'RUN005', 'the exact match first');
  assertEqual(await first.locator('a.rule-id').getAttribute('href'), '#rule-RUN005', 'linked to its rule page');
  assertEqual(await page.locator('.lookup-inputs').count(), 0, 'no inputs loaded, no status');

  const dir = mkdtempSync(join(WORK, 'lookup-'));
  const config = '{"AppImageConfigName": "c", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "MyEnv"}]}}';
  writeFileSync(join(dir, 'config.json'), config);
  await page.fill('#config-text', config);
  await finalReport(page);
  const kernel = 'Kernel with name [MyEnv] does not exist in image [arn:aws:sagemaker:us-east-1:1:image/x] on the KernelGateway App [default]';
  await page.fill('#error-lookup-text', kernel);
  assertEqual(await shownRules(), cliExplains(kernel, dir, ['--app-image-config', 'config.json']), 'ranked as with --app-image-config');
  const kern005 = page.locator('.lookup-result[data-rule=KERN005] .lookup-inputs');
  assert((await kern005.innerText()).startsWith('your inputs show it:'), 'KERN005 fired on the loaded config');
  assert((await page.locator('.lookup-result[data-rule=KERN008] .lookup-inputs').innerText()).includes('needs image archive'), 'KERN008 not checked');
  assert((await page.locator('.lookup-result[data-rule=KERN004] .lookup-captures').innerText()).includes('kernel = myenv'), 'the kernel name read');

  await page.fill('#error-lookup-text', 'The ID or Name specified is already in use');
  assertEqual(await page.locator('.lookup-result').count(), 0, 'an account-side error matches no rule');
  const account = await page.locator('.lookup-account').innerText();
  assert(account.includes('No rule explains') && account.includes('an error of the account, not of the image'), `and the page says what it is: ${account}`);
  await page.fill('#error-lookup-text', 'The coffee machine is broken');
  assert((await page.locator('.lookup-none').innerText()).includes('No rule explains'), 'a message nothing explains is said to be so');
  await page.screenshot({ path: join(OUT, 'error-lookup.png'), fullPage: true });
  await closePage(page);
});

test('the launch stages head the report, the first failing one marked and later ones not reached', async () => {
  const page = await openPage(context, `${site}/`);
  await page.fill('#config-text', '{"AppImageConfigName": "c", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "MyEnv"}]}}');
  await finalReport(page);
  const stages = await page.locator('.launch-stage').evaluateAll(items => items.map(i => [i.dataset.stageId, i.dataset.verdict]));
  assertEqual(stages.map(s => s[0]).join(' '), 'register image-pull container-start server-start kernel-discovery kernel-start', 'the stages of Studio Classic');
  assertEqual(stages.find(s => s[0] === 'kernel-discovery')[1], 'fail', 'KERN005 fails kernel discovery');
  assertEqual(stages.find(s => s[0] === 'kernel-start')[1], 'not-reached', 'kernel start not reached');
  await closePage(page);
});

test('build args reach the Dockerfile check as --build-arg does', async () => {
  const dir = mkdtempSync(join(WORK, 'args-'));
  writeFileSync(join(dir, 'Dockerfile'), 'ARG NB_UID\nFROM python:3.11\nRUN useradd -m -u ${NB_UID} -g 100 sagemaker-user\nUSER ${NB_UID}\n');
  const page = await openPage(context, `${site}/`);
  await page.fill('#build-args', 'NB_UID=5000');
  await chooseFiles(page, [join(dir, 'Dockerfile')]);
  await finalReport(page);
  const expected = JSON.parse(cliJson({ dockerfile: join(dir, 'Dockerfile') }, ['--build-arg', 'NB_UID=5000']));
  assertEqual((await shown(page)).rules.join(' '), expected.findings.map(f => f.rule).join(' '), 'findings with the build arg');
  await closePage(page);
});

test('a target stage reaches the Dockerfile check as --target does', async () => {
  const dir = mkdtempSync(join(WORK, 'target-'));
  const dockerfile = join(dir, 'Dockerfile');
  // The builder stage breaks rules that the runtime stage, the last one, keeps.
  writeFileSync(dockerfile, 'FROM python:3.11 AS builder\nEXPOSE 8888\nRUN mkdir -p /opt/ml/model\n\n'
    + 'FROM python:3.11-slim AS runtime\nRUN pip install ipykernel && useradd -m -u 1000 -g 100 sagemaker-user\nUSER 1000:100\n');
  const rules = report => report.findings.map(f => f.rule).join(' ');
  const page = await openPage(context, `${site}/`);
  await chooseFiles(page, [dockerfile]);
  let job = await finalReport(page);
  const lastStage = await assertMatchesCli(page, { dockerfile });
  await page.fill('#target-stage', 'builder');
  job = await finalReport(page, job);
  const builder = await assertMatchesCli(page, { dockerfile }, ['--target', 'builder']);
  assert(rules(builder) !== rules(lastStage), `the builder stage has the last stage's findings: ${rules(builder)}`);
  // A blank field is the last stage again.
  await page.fill('#target-stage', '  ');
  await finalReport(page, job);
  assertEqual((await shown(page)).rules.join(' '), rules(lastStage), 'findings of the last stage');
  await closePage(page);
});

test('"Try an example" runs the bundled demo image, Dockerfile and config into a full report', async () => {
  const page = await openPage(context, `${site}/`);
  await page.click('#demo-button');
  await finalReport(page);
  const seen = await shown(page);
  assertEqual(seen.verdict, 'fail', 'the demo has mistakes');
  assert(await page.locator('.image-panel').count() === 1, 'the demo shows its image panel');
  for (const rule of ['UID002', 'KERN004', 'FS001']) assert(seen.rules.includes(rule), `demo finding ${rule} missing: ${seen.rules}`);
  await page.locator('.finding').first().locator('.rule-page summary').click();
  assert(await page.locator('.finding').first().locator('.rule-page blockquote').isVisible(), 'the rule page opens in one click');
  // Each rule page shows the rule's declared examples: an input that fires it and one that does not.
  const examples = await page.locator('.finding').first().locator('.rule-page dt').allInnerTexts();
  assert(examples.some(t => /^Bad/.test(t)) && examples.some(t => /^Good/.test(t)), `the rule page shows Bad and Good examples: ${examples}`);
  assert(await page.locator('.finding').first().locator('.rule-example.bad pre').first().isVisible(), 'the Bad example is shown');
  await page.screenshot({ path: join(OUT, 'failing-report.png'), fullPage: true });
  await closePage(page);
});

test('a passing report', async () => {
  const c = join(CORPUS, 'echo-kernel-image');
  const page = await openPage(context, `${site}/`);
  await chooseFiles(page, [join(c, 'Dockerfile'), join(c, 'app-image-config-input.json')]);
  await finalReport(page);
  assertEqual((await shown(page)).verdict, 'pass', 'echo-kernel-image passes');
  await page.click('#passed-rules summary');
  await page.screenshot({ path: join(OUT, 'passing-report.png'), fullPage: true });
  await closePage(page);
});

test('a finding with a patch shows its diff with a copy button, and the patch of them all; the JSON is the CLI\'s', async () => {
  const dir = mkdtempSync(join(WORK, 'patch-'));
  const dockerfile = join(dir, 'Dockerfile');
  writeFileSync(dockerfile, 'FROM python:3.11\nEXPOSE 8888\nRUN useradd -m -u 1000 sagemaker-user\n'
    + 'RUN pip install ipykernel && python -m ipykernel install --user\nUSER sagemaker-user\n');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site });
  const page = await openPage(context, `${site}/`);
  await chooseFiles(page, [dockerfile]);
  await finalReport(page);
  const expected = await assertMatchesCli(page, { dockerfile });
  const text = locator => locator.evaluate(e => e.textContent);
  for (const f of expected.findings.filter(f => f.patch)) {
    const diff = page.locator(`article.finding[data-rule="${f.rule}"] pre.diff`);
    assertEqual(await text(diff), f.patch.diff, `${f.rule}: the diff shown is the report's`);
  }
  const uid = page.locator('article.finding[data-rule="UID001"]');
  await uid.locator('.copy-button').click();
  await uid.locator('.copy-button[data-copy="copied"]').waitFor({ timeout: 5000 });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assertEqual(copied, expected.findings.find(f => f.rule === 'UID001').patch.diff, 'the copy button copies the diff');
  assertEqual(await text(page.locator('#all-patches pre.diff')), expected.patch.diff, 'the patch of them all is the report\'s');
  assertEqual(await page.locator('article.finding[data-rule="LOG001"] pre.diff').count(), 0, 'no diff without a patch');
  await page.locator('#all-patches').screenshot({ path: join(OUT, 'patches.png') });
  await closePage(page);
});

test('a file name carrying HTML and script from an archive is shown as text', async () => {
  const page = await openPage(context, `${site}/`);
  await chooseFiles(page, [join(WORK, 'html-name.tar')]);
  await finalReport(page);
  const paths = await page.locator('#report code.path').allInnerTexts();
  assert(paths.some(p => p.includes('<img src=x onerror="window.__pwned=1">.py')), `HTML name not shown as text: ${paths}`);
  assertEqual(await page.evaluate(() => window.__pwned), undefined, 'markup from a file name ran');
  assertEqual(await page.locator('#report img, #report script').count(), 0, 'markup from a file name became elements');
  await closePage(page);
});

test('a 4 GB archive streams through the worker: progress, flat memory, a responsive page, no request', async () => {
  assert(SPARSE && existsSync(SPARSE), 'E2E_SPARSE_ARCHIVE (made by tests/e2e/run.sh) is missing');
  // A browser of its own, so its one renderer process is this page's (and its worker's).
  const memoryContext = await launch({}, 'smic-e2e-mem-');
  const page = await openPage(memoryContext, `${site}/`);
  const cdp = await memoryContext.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.evaluate(() => {
    window.__maxGap = 0;
    let last = performance.now();
    setInterval(() => { const now = performance.now(); window.__maxGap = Math.max(window.__maxGap, now - last); last = now; }, 20);
    // The read can finish between two of the test's samples (it takes well under a second now):
    // the page itself notes whether the progress panel ever showed bytes read.
    window.__sawProgress = false;
    new MutationObserver(() => {
      const panel = document.querySelector('.progress-panel');
      if (document.querySelector('#read-progress') && Number(panel?.dataset.position) > 0) window.__sawProgress = true;
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const peak = { main_js_heap: 0, app_wasm: 0, worker_wasm: 0, renderer_rss: 0 };
  let sawProgress = false;
  const t0 = Date.now();
  await chooseFiles(page, [SPARSE]);
  for (;;) {
    const { metrics: m } = await cdp.send('Performance.getMetrics');
    const heap = m.find(x => x.name === 'JSHeapUsedSize')?.value ?? 0;
    const s = await page.evaluate(() => ({
      app: window.smicWasm?.memory?.buffer?.byteLength ?? 0,
      worker: Number(document.querySelector('[data-peak-worker-memory]')?.dataset.peakWorkerMemory ?? 0),
      progress: document.querySelector('#read-progress') ? Number(document.querySelector('.progress-panel').dataset.position) : null,
      done: document.getElementById('report')?.dataset.stage === 'final' && !document.querySelector('.progress-panel'),
    }));
    peak.main_js_heap = Math.max(peak.main_js_heap, heap);
    peak.app_wasm = Math.max(peak.app_wasm, s.app);
    peak.worker_wasm = Math.max(peak.worker_wasm, s.worker);
    peak.renderer_rss = Math.max(peak.renderer_rss, rssOf(rendererProcesses()));
    if (s.progress > 0) sawProgress = true;
    if (s.done) break;
    assert(Date.now() - t0 < 300000, 'the 4 GB check took more than 5 minutes');
    await page.waitForTimeout(200);
  }
  const seconds = (Date.now() - t0) / 1000;
  const maxGap = await page.evaluate(() => window.__maxGap);
  sawProgress ||= await page.evaluate(() => window.__sawProgress);
  const total = peak.main_js_heap + peak.app_wasm + peak.worker_wasm;
  metrics.sparse_4g = { archive_bytes: statSync(SPARSE).size, seconds, peak_bytes: peak, js_heap_plus_wasm_bytes: total, max_main_thread_gap_ms: maxGap };
  console.log(`     4 GB archive: ${seconds.toFixed(1)} s; peak main JS heap ${mb(peak.main_js_heap)}, app wasm ${mb(peak.app_wasm)}, worker wasm ${mb(peak.worker_wasm)} (sum ${mb(total)}); renderer RSS ${mb(peak.renderer_rss)}; longest main-thread stall ${maxGap.toFixed(0)} ms`);
  assert(sawProgress, 'no progress was shown');
  assert(total < 200e6, `JS heap + wasm peaked at ${mb(total)}`);
  assert(maxGap < 1000, `the page froze for ${maxGap} ms`);
  assertEqual((await shown(page)).verdict !== undefined, true, 'a verdict');
  await closePage(page);
  await memoryContext.close();
});

test('cancel stops reading the archive and keeps what the other inputs say', async () => {
  const page = await openPage(context, `${site}/`);
  // 2 GiB to inflate, nothing to skip: seconds of reading to cancel.
  await chooseFiles(page, [join(WORK, 'slow.tar.gz'), join(CORPUS, 'flowty-sagemaker-studio', 'app-image-config-input.json')]);
  await page.locator('#read-progress').waitFor();
  await page.locator('#report[data-stage="partial"]').waitFor();
  await page.waitForFunction(() => Number(document.querySelector('.progress-panel')?.dataset.position) > 0);
  await page.locator('.progress-panel').screenshot({ path: join(OUT, 'progress.png') });
  await page.click('#cancel-button');
  await page.locator('.progress-panel').waitFor({ state: 'detached' });
  const job = await finalReport(page);
  assert((await shown(page)).rules.includes('RUN008'), 'the config\'s finding stays');
  assert((await page.locator('.input-list').innerText()).includes('left out'), 'the archive is marked as left out');
  // Restarting the worker loads its own files again, from this origin only.
  const late = requests.filter(r => r.phase === 'after-load').map(r => new URL(r.url));
  for (const u of late) assert(u.origin === site && /worker/.test(u.pathname), `unexpected request after cancel: ${u}`);
  requests.length = 0;
  assert(job > 0, 'a final report after cancel');
  await page.screenshot({ path: join(OUT, 'cancelled.png'), fullPage: true });
  await closePage(page);
});

test('editing the Dockerfile while an archive is read is checked at once, and the archive is read once', async () => {
  const dir = mkdtempSync(join(WORK, 'edit-while-reading-'));
  symlinkSync(join(WORK, 'slow.tar.gz'), join(dir, 'slow.tar.gz'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.11\nRUN pip install ipykernel\n');
  const page = await openPage(context, `${site}/`);
  const reads = [];
  page.on('console', m => { if (/slow\.tar\.gz: read in/.test(m.text())) reads.push(m.text()); });
  await chooseFiles(page, [join(dir, 'slow.tar.gz'), join(dir, 'Dockerfile')]);
  await page.locator('#report[data-stage="partial"]').waitFor();
  await page.waitForFunction(() => Number(document.querySelector('.progress-panel')?.dataset.position) > 0);
  const before = Number(await page.locator('#report').getAttribute('data-job'));
  // A user with UID 5000 instead of root: UID001 appears.
  const edited = 'FROM python:3.11\nRUN pip install ipykernel\nRUN useradd -m -u 5000 -g 100 sagemaker-user\nUSER 5000\n';
  assert(!(await shown(page)).rules.includes('UID001'), 'no UID001 before the edit');
  await page.fill('#dockerfile-text', edited);
  // The edit is answered while the archive is still being read.
  await page.waitForFunction((job) => {
    const r = document.getElementById('report');
    return r && Number(r.dataset.job) > job && r.dataset.stage === 'partial';
  }, before);
  assert(await page.locator('.progress-panel').count() === 1, 'the archive is still being read');
  assert((await shown(page)).rules.includes('UID001'), 'the edit is checked before the archive is read');
  await finalReport(page, before, 120000);
  writeFileSync(join(dir, 'Dockerfile'), edited);
  await assertMatchesCli(page, { image: join(dir, 'slow.tar.gz'), dockerfile: join(dir, 'Dockerfile') });
  assertEqual(reads.length, 1, `the archive was read once: ${reads.join(' | ')}`);
  await closePage(page);
});

test('the page works under a sub-path and embedded in a docs page (?embed=1)', async () => {
  setPhase('loading');
  const page = await context.newPage();
  page.__errors = [];
  page.on('pageerror', e => page.__errors.push(e.message));
  await page.goto(`${host}/embed.html`);
  const frame = page.frameLocator('iframe');
  await frame.locator('[data-worker="ready"]').waitFor({ timeout: 30000 });
  setPhase('after-load');
  assertEqual(await frame.locator('.page.embed').count(), 1, 'compact mode');
  assertEqual(await frame.locator('h1').count(), 0, 'no page header in embed mode');
  const inner = page.frames().find(f => f.url().includes('embed=1'));
  assertEqual(await inner.locator('#profile-select').inputValue(), 'jupyterlab', 'the iframe\'s ?profile= presets the selector');
  await inner.setInputFiles('#file-input', [join(CORPUS, 'flowty-sagemaker-studio', 'app-image-config-input.json')]);
  await inner.waitForSelector('#report[data-stage="final"]');
  assert((await inner.locator('article.finding').count()) > 0, 'findings in the frame');
  assertEqual(await inner.locator('.verdict .profile').getAttribute('data-profile'), 'jupyterlab', 'checked for the preset profile');
  await page.screenshot({ path: join(OUT, 'embedded.png'), fullPage: true });
  const late = requests.filter(r => r.phase === 'after-load');
  assertEqual(late.map(r => r.url), [], 'requests after load in the embedded page');
  assertEqual(page.__errors, [], 'errors');
  setPhase('idle'); requests.length = 0;
  await page.close();
});

test('the single-file build works from file:// with connect-src \'none\'', async () => {
  assert(existsSync(SINGLE), 'dist-single/sm-image-check.html is missing (bash web/build-single.sh)');
  const html = readFileSync(SINGLE, 'utf8');
  assert(/connect-src 'none'/.test(html), 'its CSP forbids every connection');
  const page = await openPage(context, pathToFileURL(SINGLE).href);
  const c = join(CORPUS, 'flowty-sagemaker-studio');
  await chooseFiles(page, [join(c, 'app-image-config-input.json')]);
  await finalReport(page);
  await assertMatchesCli(page, { config: join(c, 'app-image-config-input.json') });
  await page.click('#demo-button');
  await finalReport(page, 1);
  await closePage(page);
});

test('a narrow window in the dark theme stays readable', async () => {
  const page = await openPage(context, `${site}/`);
  await page.setViewportSize({ width: 380, height: 800 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.click('#demo-button');
  await finalReport(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert(bg !== 'rgb(255, 255, 255)', 'dark theme applied');
  await page.screenshot({ path: join(OUT, 'narrow-dark.png'), fullPage: true });
  await closePage(page);
});

suggestionTests({ context, site, corpus: CORPUS, archives: ARCHIVES });
poolTests({ context, site, dist: join(ROOT, 'dist'), archives: { dir: ARCHIVES, names: archives }, work: WORK, single: SINGLE });

// ---------------------------------------------------------------- process memory

function rendererProcesses() {
  const pids = [];
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('--type=renderer') && !cmd.includes('--top-chrome-webui') && cmd.includes('smic-e2e-mem-')) pids.push(pid);
    } catch { /* gone */ }
  }
  return pids;
}
/** The largest resident set among the renderer processes (the page's one, with its worker). */
function rssOf(pids) {
  let largest = 0;
  for (const pid of pids) {
    try { largest = Math.max(largest, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024); } catch { /* gone */ }
  }
  return largest;
}
function mb(n) { return `${(n / 1e6).toFixed(1)} MB`; }

// ---------------------------------------------------------------- run

const ok = await runTests(process.argv[2]);
writeFileSync(join(OUT, 'metrics.json'), JSON.stringify(metrics, null, 2));
await context.close();
stopServers();
process.exit(ok ? 0 : 1);
