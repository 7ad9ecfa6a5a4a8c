// Shared set-up for the Gemini end-to-end tests: a simulator, a gateway with
// one simulator channel, an @google/genai client pointed at the gateway, and
// small readers for the usage log and the simulator journal.
import { GoogleGenAI } from '@google/genai';
import { TOKEN_KEY, simulatorConfig, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

export { TOKEN_KEY };

export interface GeminiRig {
  sim: TestSimulator;
  gw: TestGateway;
  ai: GoogleGenAI;
  /** The newest usage row, after flushing the writer. */
  lastRow(): Promise<any>;
  /** POSTs a raw body to a Gemini method through the gateway. */
  post(model: string, method: string, body: string | object, headers?: Record<string, string>, query?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startRig(yaml?: (simUrl: string) => string): Promise<GeminiRig> {
  const sim = await startTestSimulator();
  const gw = await startTestGateway(yaml ? yaml(sim.url) : simulatorConfig(sim.url));
  const ai = new GoogleGenAI({ apiKey: TOKEN_KEY, httpOptions: { baseUrl: gw.url } });
  return {
    sim,
    gw,
    ai,
    async lastRow() {
      await gw.gw.usage.flush();
      return (await gw.gw.repos.usageLogs.query({ limit: 1 })).items[0];
    },
    post(model, method, body, headers = {}, query = '') {
      return fetch(`${gw.url}/v1beta/models/${model}:${method}${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': TOKEN_KEY, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await gw.close();
      await sim.close();
    },
  };
}

/** The final (non-thought) image parts of a response, and the thought ones. */
export function imageParts(response: any): { final: any[]; thought: any[] } {
  const parts: any[] = (response.candidates ?? []).flatMap((c: any) => c.content?.parts ?? []);
  const images = parts.filter((p) => p.inlineData?.mimeType?.startsWith('image/'));
  return { final: images.filter((p) => !p.thought), thought: images.filter((p) => p.thought) };
}
