import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { post, sseData } from './helpers.js';

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

/** Reads a PCM WAV file's format fields and samples. */
function readWav(buf: Buffer) {
  expect(buf.toString('ascii', 0, 4)).toBe('RIFF');
  expect(buf.readUInt32LE(4)).toBe(buf.length - 8);
  expect(buf.toString('ascii', 8, 16)).toBe('WAVEfmt ');
  const dataSize = buf.readUInt32LE(40);
  expect(buf.toString('ascii', 36, 40)).toBe('data');
  expect(dataSize).toBe(buf.length - 44);
  return { format: buf.readUInt16LE(20), channels: buf.readUInt16LE(22), rate: buf.readUInt32LE(24), bits: buf.readUInt16LE(34), samples: buf.subarray(44) };
}

/** A silent 16-bit mono WAV of the given length. */
function wavOf(seconds: number, rate = 16_000): Buffer {
  const data = Math.round(seconds * rate) * 2;
  const buf = Buffer.alloc(44 + data);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + data, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(data, 40);
  return buf;
}

describe('audio speech', () => {
  it('answers a valid WAV of silence through the SDK, longer for longer input', async () => {
    const speak = async (input: string) => {
      const res = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input, response_format: 'wav' });
      expect(res.headers.get('content-type')).toBe('audio/wav');
      return readWav(Buffer.from(await res.arrayBuffer()));
    };
    const short = await speak('Hello there.');
    expect(short).toMatchObject({ format: 1, channels: 1, rate: 24_000, bits: 16 });
    expect(short.samples.length).toBeGreaterThan(0);
    expect(short.samples.every((b) => b === 0)).toBe(true);
    const long = await speak('Hello there. '.repeat(20));
    expect(long.samples.length).toBeGreaterThan(short.samples.length);
  });

  it('answers raw PCM and each compressed format with its content type and magic bytes', async () => {
    const bytes = async (response_format: 'pcm' | 'mp3' | 'opus' | 'aac' | 'flac') => {
      const res = await client.audio.speech.create({ model: 'tts-1', voice: 'nova', input: 'Fifteen chars!!', response_format });
      return { type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
    };
    const pcm = await bytes('pcm');
    expect(pcm.type).toBe('audio/pcm');
    expect(pcm.buf.length).toBe(24_000 * 2); // 15 characters ≈ one second at 24 kHz, 16-bit
    const mp3 = await bytes('mp3');
    expect(mp3.type).toBe('audio/mpeg');
    expect([mp3.buf[0], mp3.buf[1]! & 0xe0]).toEqual([0xff, 0xe0]);
    expect(mp3.buf.length % 96).toBe(0);
    const opus = await bytes('opus');
    expect(opus.type).toBe('audio/opus');
    expect(opus.buf.toString('ascii', 0, 4)).toBe('OggS');
    expect(opus.buf.toString('ascii', 28, 36)).toBe('OpusHead');
    const aac = await bytes('aac');
    expect(aac.type).toBe('audio/aac');
    expect([aac.buf[0], aac.buf[1]! & 0xf6]).toEqual([0xff, 0xf0]);
    const flac = await bytes('flac');
    expect(flac.type).toBe('audio/flac');
    expect(flac.buf.toString('ascii', 0, 4)).toBe('fLaC');
  });

  it('streams speech.audio.delta events and a done event with usage for stream_format sse', async () => {
    const res = await post(`${sim.url}/v1/audio/speech`, { model: 'gpt-4o-mini-tts', voice: 'coral', input: 'A few words to say', response_format: 'wav', stream_format: 'sse' }, { authorization: 'Bearer k' });
    const events = sseData(res.text).map((d) => JSON.parse(d));
    const audio = Buffer.concat(events.filter((e) => e.type === 'speech.audio.delta').map((e) => Buffer.from(e.audio, 'base64')));
    expect(readWav(audio).rate).toBe(24_000);
    const done = events[events.length - 1];
    expect(done.type).toBe('speech.audio.done');
    expect(done.usage.total_tokens).toBe(done.usage.input_tokens + done.usage.output_tokens);
  });

  it('refuses bad voices, formats and missing input in OpenAI’s shape', async () => {
    await expect(client.audio.speech.create({ model: 'tts-1', voice: 'robot' as 'alloy', input: 'x' })).rejects.toMatchObject({ status: 400, param: 'voice', code: 'invalid_value' });
    await expect(client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'x', response_format: 'ogg' as 'mp3' })).rejects.toMatchObject({ status: 400, param: 'response_format' });
    await expect(client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'x'.repeat(4097) })).rejects.toMatchObject({ status: 400, code: 'string_above_max_length' });
    const missing = await post(`${sim.url}/v1/audio/speech`, { model: 'tts-1', voice: 'alloy' }, { authorization: 'Bearer k' });
    expect(missing.json.error).toMatchObject({ param: 'input', code: 'missing_required_parameter' });
  });
});

describe('audio transcriptions', () => {
  it('transcribes through the SDK with whisper-1: json with duration usage, the same text each time', async () => {
    const file = () => toFile(wavOf(2), 'clip.wav', { type: 'audio/wav' });
    const r = await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1' });
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.usage).toEqual({ type: 'duration', seconds: 2 });
    const again = await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1' });
    expect(again.text).toBe(r.text);
    const text = await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'text' });
    expect(text).toBe(`${r.text}\n`);
  });

  it('answers verbose_json with segments and words, and srt subtitles', async () => {
    const v = await client.audio.transcriptions.create({
      file: await toFile(wavOf(6), 'talk.wav', { type: 'audio/wav' }),
      model: 'whisper-1',
      response_format: 'verbose_json',
      language: 'de',
      timestamp_granularities: ['word', 'segment'],
    });
    expect(v.duration).toBe(6);
    expect(v.language).toBe('german');
    expect(v.segments?.length).toBeGreaterThan(0);
    expect(v.segments?.map((s) => s.text.trim()).join(' ')).toBe(v.text);
    expect(v.segments?.at(-1)?.end).toBe(6);
    expect(v.words?.length).toBe(v.text.split(' ').length);
    const srt = await client.audio.transcriptions.create({ file: await toFile(wavOf(6), 'talk.wav', { type: 'audio/wav' }), model: 'whisper-1', response_format: 'srt' });
    expect(srt).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\n/);
  });

  it('reports token usage for gpt-4o-transcribe and streams text deltas', async () => {
    const file = () => toFile(wavOf(3), 'q.wav', { type: 'audio/wav' });
    const r = await client.audio.transcriptions.create({ file: await file(), model: 'gpt-4o-transcribe', prompt: 'names: Oslo' });
    expect(r.usage).toMatchObject({ type: 'tokens', input_token_details: { text_tokens: 3, audio_tokens: 30 } });
    if (r.usage?.type !== 'tokens') throw new Error('expected token usage');
    expect(r.usage.total_tokens).toBe(r.usage.input_tokens + r.usage.output_tokens);
    const stream = await client.audio.transcriptions.create({ file: await file(), model: 'gpt-4o-mini-transcribe', stream: true });
    let text = '';
    let done: any;
    for await (const event of stream) {
      if (event.type === 'transcript.text.delta') text += event.delta;
      if (event.type === 'transcript.text.done') done = event;
    }
    expect(done.text).toBe(text);
    expect(done.usage.type).toBe('tokens');
    await expect(client.audio.transcriptions.create({ file: await file(), model: 'gpt-4o-transcribe', response_format: 'srt' })).rejects.toMatchObject({ status: 400, param: 'response_format' });
  });

  it('refuses unsupported files and audio that is too short', async () => {
    const bad = await client.audio.transcriptions.create({ file: await toFile(Buffer.from('hello'), 'notes.txt', { type: 'text/plain' }), model: 'whisper-1' }).catch((e) => e);
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('Invalid file format. Supported formats:');
    await expect(client.audio.transcriptions.create({ file: await toFile(wavOf(0.05), 'tiny.wav', { type: 'audio/wav' }), model: 'whisper-1' })).rejects.toMatchObject({ status: 400, code: 'audio_too_short' });
    const form = new FormData();
    form.append('model', 'whisper-1');
    const res = await fetch(`${sim.url}/v1/audio/transcriptions`, { method: 'POST', body: form, headers: { authorization: 'Bearer k' } });
    expect(((await res.json()) as any).error).toMatchObject({ param: 'file', code: 'missing_required_parameter' });
  });
});
