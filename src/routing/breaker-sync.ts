// Breaker state shared between nodes: every open and close a board decides
// goes out as a peer notice on the change bus (Redis pub/sub across nodes),
// and every notice from another board is adopted. Transitions only — the
// request path never waits on Redis.
import type { ChangeBus, PeerNotice } from '../store/change-bus.js';
import type { AdoptedTransition, BreakerBoard, BreakerError, BreakerFailureKind } from './circuit-breaker.js';

export const BREAKER_TOPIC = 'breaker';

/** On the wire (snake_case, like the admin API). */
interface WireTransition {
  origin: string;
  channel_id: number;
  key_id: number | null;
  to: 'open' | 'closed';
  opened_until: number | null;
  remaining_ms: number;
  reopens: number;
  last_error: BreakerError | null;
}

/** Publishes the board's own transitions and adopts everyone else's; returns the function that stops both. */
export function shareBreakers(board: BreakerBoard, bus: Pick<ChangeBus, 'notify' | 'onNotice'>): () => void {
  const offBoard = board.onTransition((t) => {
    if (t.remote) return;
    const data: WireTransition = {
      origin: board.id,
      channel_id: t.channelId,
      key_id: t.keyId,
      to: t.to,
      opened_until: t.openedUntil,
      remaining_ms: t.openedUntil === null ? 0 : Math.max(0, t.openedUntil - t.at),
      reopens: t.reopens,
      last_error: t.lastError,
    };
    bus.notify({ topic: BREAKER_TOPIC, data });
  });
  const offBus = bus.onNotice((notice) => {
    const t = parseNotice(notice, board.id);
    if (t) board.adopt(t);
  });
  return () => {
    offBoard();
    offBus();
  };
}

const KINDS = new Set<BreakerFailureKind>(['key_invalid', 'key_no_credit', 'rate_limited', 'server', 'client', 'network']);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** A notice from another board, checked field by field (it came over the network); undefined = not ours or malformed. */
function parseNotice(notice: PeerNotice, selfId: string): AdoptedTransition | undefined {
  if (notice.topic !== BREAKER_TOPIC) return undefined;
  const d = notice.data as Partial<WireTransition> | null;
  if (!d || typeof d !== 'object' || typeof d.origin !== 'string' || d.origin === selfId) return undefined;
  if (!isId(d.channel_id) || !(d.key_id === null || isId(d.key_id)) || (d.to !== 'open' && d.to !== 'closed')) return undefined;
  const t: AdoptedTransition = { channelId: d.channel_id, keyId: d.key_id, to: d.to };
  if (d.to === 'open') {
    if (!isMs(d.remaining_ms)) return undefined;
    t.remainingMs = d.remaining_ms;
    if (isMs(d.reopens)) t.reopens = Math.floor(d.reopens);
  }
  const e = d.last_error;
  if (e && typeof e === 'object' && KINDS.has(e.kind) && typeof e.reason === 'string' && isMs(e.at)) {
    t.lastError = { kind: e.kind, reason: e.reason.slice(0, 500), at: e.at };
  }
  return t;
}
