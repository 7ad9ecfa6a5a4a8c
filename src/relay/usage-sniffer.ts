import { anthropicUsage, mergeAnthropicUsage } from '../dialects/anthropic/usage.js';
import { geminiUsage } from '../dialects/gemini/usage.js';
import { openaiUsage } from '../dialects/openai/usage.js';
import type { DialectName } from '../dialects/types.js';
import type { Usage } from '../dialects/usage.js';
import { JsonObjectSniffer } from './json-object-sniffer.js';

/** Reads the upstream's usage report from a response body or stream as it passes. */
export class UsageSniffer {
  usage: Usage | undefined;
  private readonly sniffer: JsonObjectSniffer;

  constructor(dialect: DialectName) {
    if (dialect === 'gemini') {
      // Every stream chunk may carry cumulative usageMetadata: the last one wins.
      this.sniffer = new JsonObjectSniffer('usageMetadata', (v) => (this.usage = geminiUsage(v) ?? this.usage));
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
  }
}
