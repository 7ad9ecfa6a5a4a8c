// POST /v1/audio/transcriptions (multipart), like OpenAI: `file` checked by
// extension as OpenAI does, duration read from a WAV header (else guessed
// from the size at 128 kbit/s), a deterministic transcript. whisper-1 answers
// json, text, srt, vtt or verbose_json with duration usage; gpt-4o(-mini)-
// transcribe json or text with token usage, and streams
// transcript.text.delta / transcript.text.done events when `stream=true`.

import { createHash } from 'node:crypto';
import type { SimContext } from './context.js';
import { openaiError, openaiInvalidValue, openaiMissing, openaiModelNotFound } from './errors.js';
import { wavSeconds } from './audio-files.js';
import { newId } from './ids.js';
import { countTokens, fakeWords } from './text.js';

const EXTENSIONS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
const FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'];
const TOKEN_FORMATS = ['json', 'text'];
const TOKEN_MODEL = /^gpt-4o(-mini)?-transcribe/;
const GUESSED_BYTES_PER_SECOND = 16_000;
const MIN_SECONDS = 0.1;
const WORDS_PER_SECOND = 2.5;
const MAX_WORDS = 400;
const WORDS_PER_SEGMENT = 12;
// Roughly what gpt-4o-transcribe bills for a second of audio.
const AUDIO_TOKENS_PER_SECOND = 10;
const LANGUAGES: Record<string, string> = { en: 'english', de: 'german', fr: 'french', es: 'spanish', it: 'italian', ja: 'japanese', zh: 'chinese', pt: 'portuguese', nl: 'dutch', ko: 'korean' };

interface Segment {
  start: number;
  end: number;
  words: string[];
}

/** Seeded by the audio (its first MB and its size, so big uploads cost little). */
function transcript(data: Buffer, seconds: number): string {
  const seed = createHash('sha1').update(data.subarray(0, 1 << 20)).update(String(data.length)).digest().readUInt32BE(0);
  const count = Math.min(MAX_WORDS, Math.max(3, Math.round(seconds * WORDS_PER_SECOND)));
  const words = fakeWords(seed, count);
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}

function segments(text: string, seconds: number): Segment[] {
  const words = text.split(' ');
  const out: Segment[] = [];
  const perWord = seconds / words.length;
  for (let i = 0; i < words.length; i += WORDS_PER_SEGMENT) {
    const chunk = words.slice(i, i + WORDS_PER_SEGMENT);
    out.push({ start: round(i * perWord), end: round((i + chunk.length) * perWord), words: chunk });
  }
  return out;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

function subtitles(segs: Segment[], kind: 'srt' | 'vtt'): string {
  if (kind === 'vtt') {
    return `WEBVTT\n\n${segs.map((s) => `${timestamp(s.start, '.')} --> ${timestamp(s.end, '.')}\n${s.words.join(' ')}\n`).join('\n')}\n`;
  }
  return `${segs.map((s, i) => `${i + 1}\n${timestamp(s.start, ',')} --> ${timestamp(s.end, ',')}\n${s.words.join(' ')}\n`).join('\n')}\n`;
}

function verbose(text: string, seconds: number, language: string | undefined, granularities: string[]): Record<string, unknown> {
  const segs = segments(text, seconds);
  const out: Record<string, unknown> = {
    task: 'transcribe',
    language: language ? LANGUAGES[language] ?? language : 'english',
    duration: round(seconds),
    text,
  };
  if (granularities.includes('word')) {
    out.words = segs.flatMap((s) => {
      const step = (s.end - s.start) / s.words.length;
      return s.words.map((word, i) => ({ word: word.replace(/\.$/, ''), start: round(s.start + i * step), end: round(s.start + (i + 1) * step) }));
    });
  }
  if (granularities.length === 0 || granularities.includes('segment')) {
    out.segments = segs.map((s, id) => ({
      id,
      seek: 0,
      start: s.start,
      end: s.end,
      text: ` ${s.words.join(' ')}`,
      tokens: s.words.map((w, i) => 50_364 + ((w.length * 31 + i) % 1000)),
      temperature: 0,
      avg_logprob: -0.21,
      compression_ratio: 1.23,
      no_speech_prob: 0.01,
    }));
  }
  out.usage = { type: 'duration', seconds: Math.ceil(seconds) };
  return out;
}

export function handleTranscriptions(ctx: SimContext): void {
  const form = ctx.form;
  if (!form) return ctx.reply.error(openaiError(400, 'Expected a multipart/form-data body.'));
  const model = ctx.model;
  const file = form.filesNamed('file')[0];
  if (!file) return ctx.reply.error(openaiMissing('file'));
  if (!model) return ctx.reply.error(openaiMissing('model'));
  if (model.includes('nonexistent')) return ctx.reply.error(openaiModelNotFound(model));
  const ext = /\.([A-Za-z0-9]+)$/.exec(file.filename)?.[1]?.toLowerCase();
  if (!ext || !EXTENSIONS.includes(ext)) {
    return ctx.reply.error(openaiError(400, `Invalid file format. Supported formats: [${EXTENSIONS.map((e) => `'${e}'`).join(', ')}]`, 'invalid_request_error'));
  }
  const seconds = wavSeconds(file.data) ?? file.data.length / GUESSED_BYTES_PER_SECOND;
  if (seconds < MIN_SECONDS) {
    return ctx.reply.error(openaiError(400, `Audio file is too short. Minimum audio length is ${MIN_SECONDS} seconds.`, 'invalid_request_error', 'file', 'audio_too_short'));
  }
  const tokenModel = TOKEN_MODEL.test(model);
  const format = form.field('response_format') ?? 'json';
  if (!FORMATS.includes(format)) return ctx.reply.error(openaiInvalidValue('response_format', format, FORMATS));
  if (tokenModel && !TOKEN_FORMATS.includes(format)) {
    return ctx.reply.error(openaiError(400, `response_format '${format}' is not compatible with model '${model}'. Use 'json' or 'text' instead.`, 'invalid_request_error', 'response_format', 'unsupported_value'));
  }

  const text = transcript(file.data, seconds);
  const headers = { 'x-request-id': newId('req_'), 'openai-processing-ms': '1' };
  const promptTokens = countTokens(form.field('prompt') ?? '');
  const audioTokens = Math.ceil(seconds * AUDIO_TOKENS_PER_SECOND);
  const outputTokens = countTokens(text);
  const usage = tokenModel
    ? {
        type: 'tokens',
        input_tokens: promptTokens + audioTokens,
        input_token_details: { text_tokens: promptTokens, audio_tokens: audioTokens },
        output_tokens: outputTokens,
        total_tokens: promptTokens + audioTokens + outputTokens,
      }
    : { type: 'duration', seconds: Math.ceil(seconds) };

  // whisper-1 ignores `stream`, as OpenAI's does.
  if (tokenModel && form.field('stream') === 'true') {
    const { reply } = ctx;
    reply.open(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
    const words = text.split(' ');
    for (let i = 0; i < words.length; i++) {
      const delta = { type: 'transcript.text.delta', delta: i === 0 ? words[i] : ` ${words[i]}` };
      if (!reply.event(`data: ${JSON.stringify(delta)}\n\n`)) return;
    }
    if (reply.event(`data: ${JSON.stringify({ type: 'transcript.text.done', text, usage })}\n\n`)) reply.end();
    return;
  }
  switch (format) {
    case 'text':
      return ctx.reply.send(200, `${text}\n`, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    case 'srt':
    case 'vtt':
      return ctx.reply.send(200, subtitles(segments(text, seconds), format), { 'content-type': 'text/plain; charset=utf-8', ...headers });
    case 'verbose_json':
      return ctx.reply.json(200, verbose(text, seconds, form.field('language'), form.all('timestamp_granularities[]')), headers);
    default:
      return ctx.reply.json(200, { text, usage }, headers);
  }
}
