// The built `waystation` command, run as a real process.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'waystation.js');
let dataDir: string;

beforeAll(() => {
  // Incremental: quick when the build is current.
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'pipe',
  });
  dataDir = mkdtempSync(join(tmpdir(), 'ws-cli-'));
}, 120_000);
afterAll(() => dataDir && rmSync(dataDir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `until` (a stdout pattern) sends SIGTERM once it shows. */
function run(
  args: string[],
  opts: { env?: Record<string, string>; until?: RegExp; timeoutMs?: number; onReady?: (stdout: string) => Promise<void>; entry?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.entry ?? bin, ...args], {
      cwd: dataDir,
      env: { PATH: process.env.PATH ?? '', WAYSTATION_DATA_DIR: join(dataDir, 'data'), ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', async (d) => {
      stdout += d;
      if (signalled || !opts.until?.test(stdout)) return;
      signalled = true;
      await opts.onReady?.(stdout).catch(() => {});
      child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; stdout=${stdout} stderr=${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectOneLineFailure(r: Run, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^waystation: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('waystation CLI', () => {
  it('--help lists the commands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/waystation serve/);
    expect(r.stdout).toMatch(/waystation simulate/);
  });

  it('an unknown command or flag fails with one line', async () => {
    expectOneLineFailure(await run(['frobnicate']), /unknown command/);
    expectOneLineFailure(await run(['serve', '--prot', '3000']), /--prot/);
    expectOneLineFailure(await run(['serve', '--port', 'abc']), /--port/);
  });

  it('a bad config file fails with one line naming the path and problem', async () => {
    const cfg = join(dataDir, 'bad.yaml');
    writeFileSync(cfg, 'channels:\n  - name: x\n    type: foo\n    base_url: http://x\n    keys: [k]\n    models: [m]\n');
    expectOneLineFailure(await run(['serve', '--port', '0', '--config', cfg]), /channels\[0\]\.type: unknown type "foo"/);
  });

  it('an unreachable database fails with one line', async () => {
    expectOneLineFailure(await run(['serve', '--port', '0', '--database', 'postgres://postgres@127.0.0.1:1/x']), /database unreachable/);
  });

  it('a port in use fails with one line', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      expectOneLineFailure(await run(['serve', '--host', '127.0.0.1', '--port', String(port)]), /port \d+ is already in use/);
    } finally {
      blocker.close();
    }
  });

  it('serve prints the admin key once, and exits 0 on SIGTERM', async () => {
    const env = { WAYSTATION_DATA_DIR: join(dataDir, 'fresh') };
    const first = await run(['serve', '--host', '127.0.0.1', '--port', '0'], { until: /listening/, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Root admin key .*: sk-admin-\w+/);
    const second = await run(['serve', '--host', '127.0.0.1', '--port', '0'], { until: /listening/, env });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/Root admin key/);
  });

  it('serve --demo prints a curl that makes a 16:9 image', async () => {
    const r = await run(['serve', '--host', '127.0.0.1', '--port', '0', '--demo'], { until: /waystation-demo\.png/ });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/curl -s http:\/\/127\.0\.0\.1:\d+\/v1beta\/models\/gemini-2\.5-flash-image:generateContent/);
    expect(r.stdout).toContain('"aspectRatio":"16:9"');
  });

  it('--workers 2 forks two workers sharing one port, which serve and drain on SIGTERM', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    await new Promise<void>((r) => blocker.close(() => r()));
    const env = { WAYSTATION_DATA_DIR: join(dataDir, 'workers') };
    let served: number[] = [];
    const r = await run(['serve', '--host', '127.0.0.1', '--port', String(port), '--workers', '2'], {
      env,
      until: /with 2 workers/,
      // Probe before the SIGTERM lands: `until` kills after this hook resolves.
      onReady: async () => {
        served = await Promise.all([1, 2, 3, 4].map(() => fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.status)));
      },
    });
    expect(served).toEqual([200, 200, 200, 200]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/without REDIS_URL .* not exact across workers/);
  });

  it('dist/cli.js run directly with --workers 2 --port 0 prints the shared URL and exits on SIGTERM', async () => {
    // The bench starts the gateway this way: workers share the port the first one was given.
    let health: number[] = [];
    const r = await run(['serve', '--host', '127.0.0.1', '--port', '0', '--workers', '2'], {
      entry: join(root, 'dist', 'cli.js'),
      env: { WAYSTATION_DATA_DIR: join(dataDir, 'workers-direct') },
      until: /with 2 workers/,
      onReady: async (stdout) => {
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+) with 2 workers/.exec(stdout)![1]!;
        health = await Promise.all([1, 2, 3].map(() => fetch(`${url}/healthz`).then((res) => res.status)));
      },
    });
    expect(health).toEqual([200, 200, 200]);
    expect(r.code).toBe(0);
  });

  it('--workers 2 on a fresh data dir with a config file: both workers seed the same rows at once and start', async () => {
    // Five rounds: the two workers race to create the root user, the channel and the token.
    for (let round = 0; round < 5; round++) {
      const dir = join(dataDir, `seed-race-${round}`);
      const configPath = join(dataDir, `seed-race-${round}.yaml`);
      writeFileSync(
        configPath,
        `channels:\n  - name: sim\n    type: simulator\n    base_url: http://127.0.0.1:9\n    keys: [k]\n    models: [gpt-4o-mini]\n` +
          `users:\n  - name: alice\n    balance_usd: 5\n` +
          `tokens:\n  - name: t\n    user: alice\n    key: sk-seed-race-0123456789abcdefghijklmnopqrstuvwxyz${round}\n`,
      );
      const r = await run(['serve', '--host', '127.0.0.1', '--port', '0', '--workers', '2', '--config', configPath], {
        entry: join(root, 'dist', 'cli.js'),
        env: { WAYSTATION_DATA_DIR: dir },
        until: /with 2 workers/,
      });
      expect(r.stderr).not.toMatch(/already exists/);
      expect(r.stdout, r.stderr).toMatch(/with 2 workers/);
      expect(r.code).toBe(0);
    }
  }, 60_000);

  it('simulate serves the simulator', async () => {
    const r = await run(['simulate', '--port', '0'], { until: /listening on http/ });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/simulator listening on http:\/\/127\.0\.0\.1:\d+/);
  });

  // The kernel caps a listen backlog at net.core.somaxconn (4096 since Linux 5.4).
  const somaxconn = (() => {
    try {
      return Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
    } catch {
      return 0; // not Linux
    }
  })();
  it.skipIf(somaxconn < 1000)(`queues a burst of 1,000 connections while it cannot accept (listen backlog above node's 511${somaxconn < 1000 ? `; skipped: net.core.somaxconn is ${somaxconn}` : ''})`, async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0'], {
      cwd: dataDir,
      env: { PATH: process.env.PATH ?? '', WAYSTATION_DATA_DIR: join(dataDir, 'backlog') },
    });
    const sockets: Socket[] = [];
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      // Stopped, the gateway accepts nothing: only the kernel's accept queue can complete these handshakes.
      child.kill('SIGSTOP');
      let connected = 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        for (let i = 0; i < 1000; i++) {
          const s = connect(port, '127.0.0.1', () => {
            if (++connected === 1000) {
              clearTimeout(timer);
              resolve();
            }
          });
          s.on('error', () => {});
          sockets.push(s);
        }
      });
      expect(connected).toBe(1000);
    } finally {
      for (const s of sockets) s.destroy();
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 30_000);
});
