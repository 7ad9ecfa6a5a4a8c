import { waitForSignal } from './serve-command.js';
import { startSimulator } from '../simulator/server.js';

/** `waystation simulate [--port 9000] [--host 127.0.0.1]`. */
export async function runSimulate(argv: string[]): Promise<number> {
  let port = 9000;
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (flag === '--port') {
      port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected an integer 0-65535, got "${value ?? ''}"`);
    } else if (flag === '--host') {
      if (!value) throw new Error('--host: expected an address');
      host = value;
    } else {
      throw new Error(`simulate: unknown option "${flag}"; try --help`);
    }
  }
  const sim = await startSimulator({ port, host });
  const signalled = waitForSignal();
  process.stdout.write(`Waystation simulator listening on ${sim.url} (OpenAI /v1, Anthropic /v1/messages, Gemini /v1beta)\n`);
  await signalled;
  await sim.close();
  return 0;
}
