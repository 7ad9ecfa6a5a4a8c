// OpenAI chat streams report usage only when the client sets
// `stream_options.include_usage`. The gateway always asks (it bills from it);
// when the client did not, this filter keeps that extra chunk — the one with
// `"choices":[]` — from reaching a client that does not expect it. It is given
// whole events only: the passthrough splits the stream at event boundaries
// first (`sse-event-boundary.ts`), so nothing here holds bytes back.
import { nextEventEnd } from './sse-event-boundary.js';

const USAGE_ONLY = Buffer.from('"choices":[]');

export class UsageChunkFilter {
  /** `events` (whole events, or the stream's unterminated last one) minus the usage-only chunk; `events` itself when it has none. */
  filter(events: Buffer): Buffer {
    return events.indexOf(USAGE_ONLY) < 0 ? events : withoutUsageEvents(events);
  }
}

function withoutUsageEvents(events: Buffer): Buffer {
  const kept: Buffer[] = [];
  let start = 0;
  while (start < events.length) {
    const stop = nextEventEnd(events, start);
    const event = events.subarray(start, stop);
    if (event.indexOf(USAGE_ONLY) < 0) kept.push(event);
    start = stop;
  }
  return kept.length === 1 ? kept[0]! : Buffer.concat(kept);
}
