import cluster from 'node:cluster';
import { resolveSettings, type Settings } from '../config/settings.js';
import { demoCurl } from './demo.js';
import { startGateway, type Gateway } from './gateway.js';
import { runPrimary } from './workers.js';

/** `waystation serve`: resolves settings, starts (or forks workers that start) the gateway. */
export async function runServe(argv: string[]): Promise<number> {
  const settings = resolveSettings(argv, process.env);
  if (settings.workers > 1 && cluster.isPrimary) return runPrimary(settings);
  const gateway = await startGateway(settings);
  const signalled = waitForSignal(); // before the banner: a script may signal as soon as it reads it
  if (cluster.isPrimary) printBanner(settings, gateway);
  await signalled;
  await gateway.stop();
  return 0;
}

function printBanner(settings: Settings, gw: Gateway): void {
  const lines = [`Waystation listening on ${gw.url} (database ${redact(settings.databaseUrl)})`];
  if (gw.adminKeyCreated) {
    lines.push(`Root admin key (shown once, saved in ${settings.dataDir}/admin.key): ${gw.adminKey}`);
  }
  for (const t of gw.createdTokenKeys) lines.push(`Token "${t.name}" created: ${t.key}`);
  if (gw.demo) {
    lines.push('', `Demo: channel "${gw.demo.channelName}" on the built-in simulator, token ${gw.demo.tokenKey}`);
    lines.push('Try a Gemini image generation (16:9), saved to waystation-demo.png:', '', demoCurl(gw.url, gw.demo.tokenKey), '');
  }
  process.stdout.write(lines.join('\n') + '\n');
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** Resolves on the first SIGTERM or SIGINT; a second one exits at once. */
export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      resolve(signal);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
