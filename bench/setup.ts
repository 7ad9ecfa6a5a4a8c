// The bench's world: a simulator channel serving every benched model, one
// unlimited token, and the gateway started from the build against them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_TOKEN } from './cases.js';
import { startProcess, type Proc } from './processes.js';

const LISTENING = /listening on (http:\/\/[\d.:]+)/;

/** Worker processes of the second gateway the bench measures throughput on: one per core of this 2-core machine (`--workers auto`). */
export const BENCH_WORKERS = 2;

export function startSimulatorProcess(root: string): Promise<Proc> {
  return startProcess(root, ['simulate', '--port', '0'], {}, LISTENING);
}

/** Writes waystation.yaml in `dir` for a simulator at `simUrl`; returns its path. */
export function writeBenchConfig(dir: string, simUrl: string): string {
  const path = join(dir, 'waystation.yaml');
  writeFileSync(
    path,
    `channels:
  - name: sim
    type: simulator
    base_url: ${simUrl}
    keys: [bench-key]
    models: [gpt-4o-mini, gemini-2.5-flash, claude-sonnet-4-5, gemini-2.5-flash-image, gemini-3-pro-image-preview, gemini-3.1-flash-image-preview]
  # An Anthropic-type channel: OpenAI chat requests for this model are converted (the hub's path).
  - name: claude-converted
    type: anthropic
    base_url: ${simUrl}
    keys: [bench-key]
    models: [claude-haiku-4-5]
tokens:
  - name: bench
    key: ${BENCH_TOKEN}
    unlimited: true
`,
  );
  return path;
}

/**
 * A gateway on a free port with the config in `dir`; `nodeArgs` go to node
 * itself (`--cpu-prof`); `workers` > 1 starts a cluster primary and its workers.
 */
export function startBenchGateway(root: string, dir: string, nodeArgs: string[] = [], workers = 1): Promise<Proc> {
  return startProcess(
    root,
    ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dir, '--config', join(dir, 'waystation.yaml'), '--log-level', 'error', '--workers', String(workers)],
    { ADMIN_KEY: 'sk-admin-bench', WAYSTATION_SECRET: 'bench-secret' },
    LISTENING,
    nodeArgs,
  );
}
