// `POST /api/channels/{id}/test`: a failed test answers `success: false`
// (which ApiClient raises as an ApiError); both come back here as a result.
import { ApiError, type ApiClient } from '../../api/client';
import type { ChannelTestResult } from './types';

export type TestOutcome = { ok: true; result: ChannelTestResult } | { ok: false; message: string };

export async function runChannelTest(api: ApiClient, channelId: number, model?: string): Promise<TestOutcome> {
  try {
    const result = await api.post<ChannelTestResult>(`/api/channels/${channelId}/test`, model ? { model } : {});
    return result.ok ? { ok: true, result } : { ok: false, message: result.message };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, message: err.message };
    throw err;
  }
}
