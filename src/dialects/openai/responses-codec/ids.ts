import { randomUUID } from 'node:crypto';

export type ItemPrefix = 'resp' | 'msg' | 'rs' | 'fc' | 'ig';

/** A fresh id in OpenAI's `<prefix>_<hex>` style (randomUUID draws from a cached pool: cheap per item). */
export function newId(prefix: ItemPrefix): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

/** The response id the client sees: an upstream id is kept, with `resp_` in front when it lacks it. */
export function responseId(upstreamId: string | undefined): string {
  if (!upstreamId) return newId('resp');
  return upstreamId.startsWith('resp_') ? upstreamId : `resp_${upstreamId}`;
}
