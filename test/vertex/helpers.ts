// Set-up for the Vertex end-to-end tests: a simulator that trusts some
// generated service accounts, a gateway whose vertex channel holds their key
// files (token_uri and base_url pointing at the simulator), an @google/genai
// client on the gateway, and readers for the simulator's journal.
import { GoogleGenAI } from '@google/genai';
import type { JournalEntry } from '../../src/simulator/journal.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.js';
import { createTestServiceAccount, type TestServiceAccount } from '../../src/simulator/test-service-account.js';
import { TOKEN_KEY, startTestGateway, type TestGateway } from '../helpers/gateway.js';

export { TOKEN_KEY };

export const PROJECT = 'vertex-test-project';
export const MODELS = ['gemini-2.5-flash', 'gemini-2.5-flash-image'];

export interface VertexChannelSpec {
  name?: string;
  /** The key files; default: one the simulator trusts. */
  accounts: TestServiceAccount[];
  settings?: Record<string, string>;
  priority?: number;
}

export interface VertexRig {
  sim: RunningSimulator;
  gw: TestGateway;
  ai: GoogleGenAI;
  /** Journal entries for Vertex model routes. */
  vertexCalls(): JournalEntry[];
  /** Journal entries for the token endpoint. */
  tokenCalls(): JournalEntry[];
  post(model: string, method: string, body: object, query?: string): Promise<Response>;
  lastRow(): Promise<any>;
  close(): Promise<void>;
}

/** A key file for the simulator's token endpoint; trusted unless `trusted: false`. */
export function account(sim: RunningSimulator, opts: { trusted?: boolean; tokenUri?: string; name?: string } = {}): TestServiceAccount {
  const sa = createTestServiceAccount({ tokenUri: opts.tokenUri ?? `${sim.url}/token`, projectId: PROJECT, name: opts.name });
  if (opts.trusted !== false) sim.serviceAccounts.register(sa.registration);
  return sa;
}

function channelYaml(sim: RunningSimulator, ch: VertexChannelSpec, i: number): string {
  // JSON.stringify of the key file is a valid YAML double-quoted scalar.
  const keys = ch.accounts.map((a) => `      - ${JSON.stringify(a.json)}`).join('\n');
  const settings = ch.settings ? `    settings: ${JSON.stringify(ch.settings)}\n` : '';
  return `  - name: ${ch.name ?? `vertex-${i}`}
    type: vertex
    base_url: ${sim.url}
    priority: ${ch.priority ?? 0}
    models: [${MODELS.join(', ')}]
    keys:
${keys}
${settings}`;
}

/** `channels` builds the gateway's vertex channels once the simulator is up. */
export async function startVertexRig(channels: (sim: RunningSimulator) => VertexChannelSpec[]): Promise<VertexRig> {
  const sim = await startSimulator({ port: 0 });
  const yaml = `channels:
${channels(sim).map((ch, i) => channelYaml(sim, ch, i)).join('')}
tokens:
  - name: test
    key: ${TOKEN_KEY}
    unlimited: true
`;
  let gw: TestGateway;
  try {
    gw = await startTestGateway(yaml);
  } catch (err) {
    await sim.close();
    throw err;
  }
  const ai = new GoogleGenAI({ apiKey: TOKEN_KEY, httpOptions: { baseUrl: gw.url } });
  const journal = () => sim.journal!.list();
  return {
    sim,
    gw,
    ai,
    vertexCalls: () => journal().filter((e) => e.path.includes('/publishers/google/models/')),
    tokenCalls: () => journal().filter((e) => e.path === '/token'),
    post(model, method, body, query = '') {
      return fetch(`${gw.url}/v1beta/models/${model}:${method}${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': TOKEN_KEY },
        body: JSON.stringify(body),
      });
    },
    async lastRow() {
      await gw.gw.usage.flush();
      return (await gw.gw.repos.usageLogs.query({ limit: 1 })).items[0];
    },
    async close() {
      await gw.close();
      await sim.close();
    },
  };
}

/** The last 4 characters the journal keeps of a redacted `Bearer` header. */
export function bearerTail(entry: JournalEntry): string {
  const auth = entry.headers.authorization;
  const m = /^Bearer \*\*\*(.{4})$/.exec(String(auth));
  if (!m) throw new Error(`not a redacted Bearer header: ${String(auth)}`);
  return m[1]!;
}
