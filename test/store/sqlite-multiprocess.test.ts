// Several processes starting at once on one SQLite file (WORKERS > 1) must
// apply the migrations exactly once. Real child processes need plain
// JavaScript, so src/store is transpiled (no type check) into a folder under
// node_modules/.cache, where the children still resolve the project's packages.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations } from '../../src/store/migrations/index.js';
import { createSqliteDatabase } from './test-databases.js';
import type { TestDatabase } from './test-databases.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'node_modules', '.cache', `ws-store-mp-${process.pid}-${randomBytes(3).toString('hex')}`);

async function transpileTree(src: string, dest: string): Promise<void> {
  for (const entry of await readdir(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    if (entry.isDirectory()) {
      await transpileTree(from, join(dest, entry.name));
    } else if (entry.name.endsWith('.ts')) {
      const out = ts.transpileModule(await readFile(from, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      });
      await mkdir(dest, { recursive: true });
      await writeFile(join(dest, entry.name.replace(/\.ts$/, '.js')), out.outputText);
    }
  }
}

const CHILD = `
import { openDatabase } from './store/db.js';
import { migrateToLatest } from './store/migrations/index.js';
const database = await openDatabase(process.argv[2]);
// Start together: wait for the moment the parent chose.
await new Promise((r) => setTimeout(r, Math.max(0, Number(process.argv[3]) - Date.now())));
try {
  process.stdout.write(JSON.stringify(await migrateToLatest(database)));
} finally {
  await database.close();
}
`;

function runChild(url: string, startAt = 0): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(outDir, 'child.mjs'), url, String(startAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('sqlite: several processes migrating one file at once', () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    await transpileTree(join(root, 'src', 'store'), join(outDir, 'store'));
    await writeFile(join(outDir, 'package.json'), '{"type":"module"}');
    await writeFile(join(outDir, 'child.mjs'), CHILD);
    testDb = await createSqliteDatabase();
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
    await testDb?.drop();
  });

  it('applies the migrations exactly once and every process succeeds', async () => {
    const startAt = Date.now() + 1500; // time enough for every child to boot
    const runs = await Promise.all(Array.from({ length: 4 }, () => runChild(testDb.url, startAt)));
    for (const run of runs) expect(run, `child failed (from ${relative(root, outDir)}): ${run.err}`).toMatchObject({ code: 0 });
    const applied = runs.flatMap((r) => JSON.parse(r.out) as string[]);
    expect(applied).toEqual(Object.keys(allMigrations('sqlite')));
    // And a later restart finds nothing to do.
    const again = await runChild(testDb.url);
    expect(JSON.parse(again.out)).toEqual([]);
  });
});
