import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseByteSize, resolveSettings, SettingsError } from '../../src/config/settings.js';

const emptyDir = mkdtempSync(join(tmpdir(), 'ws-settings-'));
const resolve = (argv: string[], env: NodeJS.ProcessEnv = {}) => resolveSettings(argv, env, { cwd: emptyDir, cpuCount: 6 });
const failure = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    resolve(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as Error).message;
  }
  throw new Error('expected a SettingsError');
};

describe('resolveSettings', () => {
  test('defaults', () => {
    expect(resolve([])).toEqual({
      port: 3000,
      host: '0.0.0.0',
      configPath: null,
      databaseUrl: 'sqlite:./data/waystation.db',
      redisUrl: null,
      adminKey: null,
      secret: null,
      workers: 1,
      dataDir: './data',
      shutdownGraceMs: 30_000,
      bodyLimitBytes: 32 * 1024 * 1024,
      logLevel: 'info',
      demo: false,
      allowUnpriced: false,
      logRetentionDays: 30,
      inlineDataLimitBytes: 20 * 1024 * 1024,
      imageOutput: 'both',
      imageUrlTtlMs: 24 * 3600 * 1000,
      imageFetchAllowPrivate: false,
      channelRetestMs: 5 * 60 * 1000,
    });
  });

  test('./waystation.yaml is the config only when it exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-settings-'));
    expect(resolveSettings([], {}, { cwd: dir }).configPath).toBeNull();
    writeFileSync(join(dir, 'waystation.yaml'), 'groups: {}\n');
    expect(resolveSettings([], {}, { cwd: dir }).configPath).toBe('./waystation.yaml');
    expect(resolveSettings(['--config', 'other.yaml'], {}, { cwd: dir }).configPath).toBe('other.yaml');
  });

  test('every setting from the environment', () => {
    const s = resolve([], {
      PORT: '8080',
      HOST: '127.0.0.1',
      WAYSTATION_CONFIG: '/etc/ws.yaml',
      DATABASE_URL: 'postgres://u:p@db/ws',
      REDIS_URL: 'redis://cache:6379',
      ADMIN_KEY: 'sk-admin-xyz',
      WAYSTATION_SECRET: 'topsecret',
      WORKERS: '4',
      WAYSTATION_DATA_DIR: '/var/lib/ws',
      WAYSTATION_SHUTDOWN_GRACE_MS: '5000',
      WAYSTATION_BODY_LIMIT: '512kb',
      LOG_LEVEL: 'debug',
      WAYSTATION_DEMO: '1',
      WAYSTATION_ALLOW_UNPRICED: 'true',
      WAYSTATION_LOG_RETENTION_DAYS: '7',
      WAYSTATION_INLINE_DATA_LIMIT: '8mb',
      WAYSTATION_IMAGE_OUTPUT: 'url',
      WAYSTATION_IMAGE_URL_TTL: '2h',
      WAYSTATION_IMAGE_FETCH_ALLOW_PRIVATE: 'true',
      WAYSTATION_CHANNEL_RETEST: '90s',
    });
    expect(s).toEqual({
      port: 8080,
      host: '127.0.0.1',
      configPath: '/etc/ws.yaml',
      databaseUrl: 'postgres://u:p@db/ws',
      redisUrl: 'redis://cache:6379',
      adminKey: 'sk-admin-xyz',
      secret: 'topsecret',
      workers: 4,
      dataDir: '/var/lib/ws',
      shutdownGraceMs: 5000,
      bodyLimitBytes: 512 * 1024,
      logLevel: 'debug',
      demo: true,
      allowUnpriced: true,
      logRetentionDays: 7,
      inlineDataLimitBytes: 8 * 1024 * 1024,
      imageOutput: 'url',
      imageUrlTtlMs: 2 * 3600 * 1000,
      imageFetchAllowPrivate: true,
      channelRetestMs: 90_000,
    });
  });

  test('log retention takes whole days; 0 keeps forever', () => {
    expect(resolve(['--log-retention-days', '0']).logRetentionDays).toBe(0);
    expect(() => resolve(['--log-retention-days', '1.5'])).toThrow(/--log-retention-days: expected a whole number of days/);
    expect(resolve(['--allow-unpriced']).allowUnpriced).toBe(true);
  });

  test('the channel retest interval takes a duration; 0 turns it off', () => {
    expect(resolve(['--channel-retest', '30s']).channelRetestMs).toBe(30_000);
    expect(resolve(['--channel-retest=0']).channelRetestMs).toBe(0);
    expect(resolve(['--channel-retest', '2m'], { WAYSTATION_CHANNEL_RETEST: '1h' }).channelRetestMs).toBe(120_000);
    expect(failure(['--channel-retest', 'often'])).toBe('--channel-retest: expected a duration such as 30000 (ms), 30s, 2m, 24h or 7d, got "often"');
  });

  test('the default database follows the data dir', () => {
    expect(resolve(['--data-dir', '/srv/ws/']).databaseUrl).toBe('sqlite:/srv/ws/waystation.db');
    expect(resolve([], { WAYSTATION_DATA_DIR: 'state' }).databaseUrl).toBe('sqlite:state/waystation.db');
    expect(resolve(['--data-dir', '/srv/ws', '--database', 'sqlite::memory:']).databaseUrl).toBe('sqlite::memory:');
  });

  test('flags win over the environment, in both spellings', () => {
    const env = { PORT: '8080', HOST: '10.0.0.1', WORKERS: '2', LOG_LEVEL: 'warn', REDIS_URL: 'redis://a' };
    const s = resolve(['--port=9090', '--host', '::', '--workers=auto', '--log-level', 'trace', '--redis=rediss://b:6380'], env);
    expect(s.port).toBe(9090);
    expect(s.host).toBe('::');
    expect(s.workers).toBe(6);
    expect(s.logLevel).toBe('trace');
    expect(s.redisUrl).toBe('rediss://b:6380');
  });

  test('remaining flags', () => {
    const s = resolve([
      '--config=ws.yaml',
      '--database',
      'mysql://root@localhost/ws',
      '--data-dir=/tmp/x',
      '--shutdown-grace',
      '10s',
      '--body-limit=1048576',
      '--demo',
    ]);
    expect(s).toMatchObject({
      configPath: 'ws.yaml',
      databaseUrl: 'mysql://root@localhost/ws',
      dataDir: '/tmp/x',
      shutdownGraceMs: 10_000,
      bodyLimitBytes: 1_048_576,
      demo: true,
    });
    expect(resolve(['--demo=false'], { WAYSTATION_DEMO: 'true' }).demo).toBe(false);
  });

  test('an empty variable counts as unset; the last repeated flag wins', () => {
    expect(resolve([], { PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: 3000, logLevel: 'info' });
    expect(resolve(['--port', '1', '--port=2']).port).toBe(2);
  });

  test('port 0 asks for any free port', () => {
    expect(resolve(['--port', '0']).port).toBe(0);
  });

  test.each([
    [['--port', 'abc'], {}, '--port: expected an integer 1-65535, got "abc"'],
    [['--port=70000'], {}, '--port: expected an integer 1-65535, got "70000"'],
    [['--port=-1'], {}, '--port: expected an integer 1-65535, got "-1"'],
    [[], { PORT: '3.5' }, 'PORT: expected an integer 1-65535, got "3.5"'],
    [['--host='], {}, '--host: expected a host name or IP address, got ""'],
    [['--workers', '0'], {}, '--workers: expected a positive integer or "auto", got "0"'],
    [[], { WORKERS: 'many' }, 'WORKERS: expected a positive integer or "auto", got "many"'],
    [['--body-limit', '32 parsecs'], {}, '--body-limit: expected a size like 32mb, 512kb or 1048576, got "32 parsecs"'],
    [['--body-limit=0'], {}, '--body-limit: expected a size above zero, got "0"'],
    [['--shutdown-grace=soon'], {}, '--shutdown-grace: expected a duration such as 30000 (ms), 30s, 2m, 24h or 7d, got "soon"'],
    [['--log-level', 'loud'], {}, '--log-level: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [['--redis', 'http://x'], {}, '--redis: expected a redis:// or rediss:// URL, got "http://x"'],
    [['--demo=maybe'], {}, '--demo: expected true or false, got "maybe"'],
    [['--data-dir='], {}, '--data-dir: expected a path, got an empty value'],
    [['--config', '   '], {}, '--config: expected a path, got an empty value'],
    [[], { ADMIN_KEY: 'has space' }, 'ADMIN_KEY: expected a key without spaces, got "has space"'],
    [['--prot', '80'], {}, '--prot: unknown option; did you mean --port?'],
    [['--verbose'], {}, '--verbose: unknown option'],
    [['serve'], {}, 'unexpected argument "serve"'],
    [['--port'], {}, '--port: expected a value'],
    [['--port', '--host', 'x'], {}, '--port: expected a value'],
  ])('%j %j → %s', (argv, env, message) => {
    expect(failure(argv, env as NodeJS.ProcessEnv)).toBe(message);
  });

  test('a bad database URL names the accepted forms', () => {
    expect(failure(['--database', 'oracle://x'])).toMatch(/^--database: unsupported database scheme "oracle:"; accepted: sqlite:/);
    expect(failure([], { DATABASE_URL: 'nonsense' })).toMatch(/^DATABASE_URL: unsupported database URL "nonsense"/);
  });

  test('a value with a newline still gives a one-line message', () => {
    expect(failure(['--workers', 'x\ny'])).toBe('--workers: expected a positive integer or "auto", got "x\\ny"');
  });
});

describe('parseByteSize', () => {
  test.each([
    ['1048576', 1_048_576],
    ['512kb', 512 * 1024],
    ['32mb', 32 * 1024 * 1024],
    ['32MB', 32 * 1024 * 1024],
    ['32 MiB', 32 * 1024 * 1024],
    ['1gb', 1024 ** 3],
    ['1.5m', 1.5 * 1024 * 1024],
    ['100b', 100],
    ['64k', 65_536],
    [' 2kb ', 2048],
  ])('%s → %d', (input, bytes) => {
    expect(parseByteSize(input)).toBe(bytes);
  });

  test('numbers pass through', () => {
    expect(parseByteSize(4096)).toBe(4096);
  });

  test.each(['', 'mb', '-1kb', '12tb', '1e6', '1,000', 'lots'])('%j is rejected', (input) => {
    expect(() => parseByteSize(input)).toThrow(`expected a size like 32mb, 512kb or 1048576, got ${JSON.stringify(input)}`);
  });

  test('absurd sizes are rejected', () => {
    expect(() => parseByteSize('99999999999999gb')).toThrow(/too large/);
    expect(() => parseByteSize(-5)).toThrow(/expected a size/);
  });
});
