/** The project's own lint guards fire on the mistakes they exist for (see eslint.config.js). */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('../..', import.meta.url).pathname;

async function ruleIds(code: string): Promise<string[]> {
  // The sample is not on disk, so it is linted without types; the guard is syntax only.
  const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });
  const [result] = await eslint.lintText(code, { filePath: `${root}test/server/guard-sample.test.ts` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

test('an async block in assert.throws or assert.not.throws is refused', async () => {
  const header = "import * as assert from 'uvu/assert';\nconst work = async (): Promise<void> => {};\n";
  for (const call of [
    'assert.not.throws(async () => { await work(); });',
    'assert.throws(async () => { await work(); });',
    'assert.not.throws(async function () { await work(); });',
  ]) {
    assert.ok((await ruleIds(header + call + '\n')).includes('no-restricted-syntax'), call);
  }
  assert.not.ok(
    (await ruleIds(header + 'assert.throws(() => JSON.parse(work.name));\n')).includes('no-restricted-syntax'),
  );
});

test.run();
