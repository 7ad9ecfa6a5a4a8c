// POST /v1/audio/speech, like OpenAI's text-to-speech: real silent audio in
// the asked format (audio-files.ts), about 15 characters a second, sent
// chunked as OpenAI streams it (cut-after:N counts chunks); `stream_format:
// sse` (gpt-4o-mini-tts) sends base64 speech.audio.delta events and a
// speech.audio.done with token usage instead.

import { asRecord, type SimContext } from './context.js';
import { openaiError, openaiInvalidValue, openaiMissing, openaiModelNotFound } from './errors.js';
import { AUDIO_CONTENT_TYPES, AUDIO_FORMATS, silentAudio, type AudioFormat } from './audio-files.js';
import { newId } from './ids.js';
import { countTokens } from './text.js';

const VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
const MAX_INPUT_CHARS = 4096;
const CHARS_PER_SECOND = 15;
const MIN_SECONDS = 0.2;
const MAX_SECONDS = 30;
const CHUNK_BYTES = 64 * 1024;
const SSE_CHUNK_BYTES = 12 * 1024;
// Rough audio output tokens a second for gpt-4o-mini-tts usage.
const AUDIO_TOKENS_PER_SECOND = 20;

export function handleSpeech(ctx: SimContext): void {
  const body = asRecord(ctx.json);
  const model = ctx.model;
  if (!model) return ctx.reply.error(openaiMissing('model'));
  if (model.includes('nonexistent')) return ctx.reply.error(openaiModelNotFound(model));
  const input = body.input;
  if (input === undefined) return ctx.reply.error(openaiMissing('input'));
  if (typeof input !== 'string') {
    return ctx.reply.error(openaiError(400, `Invalid type for 'input': expected a string, but got ${typeof input} instead.`, 'invalid_request_error', 'input', 'invalid_type'));
  }
  if (input.length > MAX_INPUT_CHARS) {
    return ctx.reply.error(openaiError(400, `Invalid 'input': string too long. Expected a string with maximum length ${MAX_INPUT_CHARS}, but got a string with length ${input.length} instead.`, 'invalid_request_error', 'input', 'string_above_max_length'));
  }
  const voice = body.voice;
  if (voice === undefined) return ctx.reply.error(openaiMissing('voice'));
  const customVoice = typeof asRecord(voice).id === 'string';
  if (!customVoice && (typeof voice !== 'string' || !VOICES.includes(voice))) return ctx.reply.error(openaiInvalidValue('voice', voice, VOICES));
  const format = body.response_format ?? 'mp3';
  if (typeof format !== 'string' || !(AUDIO_FORMATS as readonly string[]).includes(format)) {
    return ctx.reply.error(openaiInvalidValue('response_format', format, AUDIO_FORMATS));
  }
  const speed = body.speed ?? 1;
  if (typeof speed !== 'number' || !(speed >= 0.25 && speed <= 4)) {
    return ctx.reply.error(openaiError(400, `Invalid 'speed': expected a number between 0.25 and 4.0, but got ${JSON.stringify(speed)} instead.`, 'invalid_request_error', 'speed', 'invalid_value'));
  }
  const sse = body.stream_format === 'sse';
  if (body.stream_format !== undefined && body.stream_format !== 'sse' && body.stream_format !== 'audio') {
    return ctx.reply.error(openaiInvalidValue('stream_format', body.stream_format, ['sse', 'audio']));
  }
  if (sse && model.startsWith('tts-1')) {
    return ctx.reply.error(openaiError(400, `stream_format 'sse' is not supported for model '${model}'.`, 'invalid_request_error', 'stream_format', 'unsupported_value'));
  }

  const seconds = Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, input.length / CHARS_PER_SECOND / speed));
  const audio = silentAudio(format as AudioFormat, seconds);
  const { reply } = ctx;
  const headers = { 'x-request-id': newId('req_'), 'openai-processing-ms': '1' };
  if (sse) {
    reply.open(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
    for (let at = 0; at < audio.length; at += SSE_CHUNK_BYTES) {
      const delta = { type: 'speech.audio.delta', audio: audio.subarray(at, at + SSE_CHUNK_BYTES).toString('base64') };
      if (!reply.event(`data: ${JSON.stringify(delta)}\n\n`)) return;
    }
    const inputTokens = countTokens(input) + countTokens(typeof body.instructions === 'string' ? body.instructions : '');
    const outputTokens = Math.ceil(seconds * AUDIO_TOKENS_PER_SECOND);
    const done = { type: 'speech.audio.done', usage: { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens } };
    if (reply.event(`data: ${JSON.stringify(done)}\n\n`)) reply.end();
    return;
  }
  reply.open(200, { 'content-type': AUDIO_CONTENT_TYPES[format as AudioFormat], ...headers });
  for (let at = 0; at < audio.length; at += CHUNK_BYTES) {
    if (!reply.event(audio.subarray(at, at + CHUNK_BYTES))) return;
  }
  reply.end();
}
