// Browser tests of the page's "Suggested AppImageConfig" panel: the JSON it shows is what
// `sm-image-check suggest-config` prints for the same files, its copy button puts exactly that on
// the clipboard, and its table of changes lists the fields that differ from the dropped
// AppImageConfig. Registered by e2e.mjs (`suggestionTests`).

import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { assert, assertEqual, chooseFiles, CLI, closePage, finalReport, openPage, test } from './harness.mjs';

/** `suggest-config` for the same files, run from their directory with bare names (as the page
 *  names them): its standard output (the JSON) and the changes it lists with `--format text`. */
function cliSuggestion(inputs) {
  const dir = dirname(inputs.config || inputs.dockerfile || inputs.image);
  const args = ['suggest-config'];
  if (inputs.config) args.push('--app-image-config', basename(inputs.config));
  if (inputs.dockerfile) args.push('--dockerfile', basename(inputs.dockerfile));
  if (inputs.image) args.push(basename(inputs.image));
  const json = spawnSync(CLI, args, { cwd: dir, encoding: 'utf8' });
  assertEqual(json.status, 0, `CLI ${args.join(' ')}: ${json.stderr}`);
  const text = spawnSync(CLI, [...args, '--format', 'text'], { cwd: dir, encoding: 'utf8' }).stdout;
  const changes = text.includes('Changes from the given AppImageConfig:')
    ? text.split('Changes from the given AppImageConfig:\n')[1].split('\n').filter(l => l.startsWith('  /')).map(l => l.trim().split(': ')[0])
    : [];
  return { json: json.stdout, changes };
}

/** What the panel shows: the JSON, and the pointers of its table of changes. */
async function shownSuggestion(page) {
  return page.evaluate(() => ({
    json: document.getElementById('suggested-config')?.textContent ?? null,
    changes: [...document.querySelectorAll('#suggestion-changes tr.change')].map(tr => tr.dataset.pointer),
    same: document.querySelector('p#suggestion-changes') !== null,
  }));
}

export function suggestionTests({ context, site, corpus, archives }) {
  const samples = readdirSync(corpus).filter(d => existsSync(join(corpus, d, 'app-image-config-input.json'))).sort();

  for (const name of samples) {
    test(`suggestion ${name}: the page shows suggest-config's JSON and the fields that differ from the dropped AppImageConfig`, async () => {
      const inputs = { config: join(corpus, name, 'app-image-config-input.json') };
      if (existsSync(join(corpus, name, 'Dockerfile'))) inputs.dockerfile = join(corpus, name, 'Dockerfile');
      const page = await openPage(context, `${site}/`);
      await chooseFiles(page, Object.values(inputs));
      await finalReport(page);
      const expected = cliSuggestion(inputs);
      const seen = await shownSuggestion(page);
      assertEqual(seen.json, expected.json, 'the suggested AppImageConfig equals the CLI\'s');
      assertEqual(seen.changes, expected.changes, 'the changed fields, in order');
      assertEqual(seen.same, expected.changes.length === 0, 'says when nothing differs');
      await closePage(page);
    });
  }

  test('suggestion of a real archive: the page shows suggest-config\'s JSON, with no table of changes without an AppImageConfig', async () => {
    const inputs = { image: join(archives, 'sagemaker-real-tiny.docker.tar') };
    const page = await openPage(context, `${site}/`);
    await chooseFiles(page, [inputs.image]);
    await finalReport(page);
    const seen = await shownSuggestion(page);
    assertEqual(seen.json, cliSuggestion(inputs).json, 'the suggested AppImageConfig equals the CLI\'s');
    assertEqual(await page.locator('#suggestion-changes').count(), 0, 'no changes without a given AppImageConfig');
    await closePage(page);
  });

  test('suggestion: the copy button puts exactly the suggested JSON on the clipboard', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site });
    const dir = join(corpus, 'beakerx-image--unmerged-pr');
    const inputs = { config: join(dir, 'app-image-config-input.json'), dockerfile: join(dir, 'Dockerfile') };
    const page = await openPage(context, `${site}/`);
    await chooseFiles(page, Object.values(inputs));
    await finalReport(page);
    await page.bringToFront();
    await page.click('#copy-suggestion');
    await page.locator('#copy-status', { hasText: 'Copied.' }).waitFor({ timeout: 5000 });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assertEqual(copied, cliSuggestion(inputs).json, 'the clipboard holds the CLI\'s JSON');
    assert(copied.includes('"Name": "java"'), 'the sample\'s kernel is in it');
    await closePage(page);
    await context.clearPermissions();
  });
}
