import { anthropicUsage, mergeAnthropicUsage } from '../dialects/anthropic/usage.js';
import type { GatewayError } from '../dialects/errors.js';
import { GeminiResponseScanner } from '../dialects/gemini/response-scanner.js';
import { geminiUsage } from '../dialects/gemini/usage.js';
import { openaiUsage } from '../dialects/openai/usage.js';
import { renderError } from '../dialects/render-error.js';
import type { DialectName } from '../dialects/types.js';
import type { Usage } from '../dialects/usage.js';
import { JsonObjectSniffer } from './json-object-sniffer.js';
import type { ImageFacts, RequestFacts } from './request-facts.js';

/** Reads the upstream's usage report (and, for Gemini, the images) from a response body or stream as it passes. */
export class UsageSniffer {
  usage: Usage | undefined;
  private readonly sniffer: JsonObjectSniffer;
  /** Gemini only: counts final vs thought images and tracks where a stream stands. */
  private readonly gemini: GeminiResponseScanner | undefined;

  constructor(
    private readonly dialect: DialectName,
    private readonly facts?: RequestFacts,
  ) {
    if (dialect === 'gemini') {
      // Every stream chunk may carry cumulative usageMetadata: the last one wins.
      this.sniffer = new JsonObjectSniffer('usageMetadata', (v) => (this.usage = geminiUsage(v) ?? this.usage));
      this.gemini = new GeminiResponseScanner();
    } else if (dialect === 'anthropic') {
      // message_start carries input, message_delta the final output count.
      this.sniffer = new JsonObjectSniffer('usage', (v) => {
        const u = anthropicUsage(v);
        if (u) this.usage = mergeAnthropicUsage(this.usage, u);
      });
    } else {
      this.sniffer = new JsonObjectSniffer('usage', (v) => (this.usage = openaiUsage(v) ?? this.usage));
    }
  }

  push(chunk: Buffer): void {
    this.sniffer.push(chunk);
    this.gemini?.push(chunk);
  }

  /**
   * The images the answer held, for the usage row and billing: final images
   * only (thought images are free), with size and ratio from the request.
   * Undefined when the request asked for none and none came, and for dialects
   * other than Gemini (their images are counted elsewhere).
   */
  get images(): ImageFacts | undefined {
    if (!this.gemini) return undefined;
    const count = this.gemini.finalImages;
    const asked = this.facts?.images;
    if (!asked && count === 0) return undefined;
    return { count, ...(asked?.size !== undefined && { size: asked.size }), ...(asked?.aspectRatio !== undefined && { aspectRatio: asked.aspectRatio }) };
  }

  /**
   * The bytes that end a Gemini JSON-array stream broken after its first
   * byte, so the client's SDK raises an error; undefined when nothing valid
   * can follow (then cut), and for other dialects (their streams are SSE).
   */
  jsonArrayErrorTail(err: GatewayError): string | undefined {
    return this.gemini?.arrayErrorTail(JSON.stringify(renderError('gemini', err).body));
  }
}
