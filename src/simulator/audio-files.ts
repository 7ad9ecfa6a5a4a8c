// Silent audio in each format /v1/audio/speech serves, 24 kHz mono like
// OpenAI's voices. WAV and PCM are plain 16-bit samples. The compressed
// formats are built frame by frame to their specs — MP3 (MPEG-2 Layer III
// frames with empty granules), Ogg Opus (OpusHead/OpusTags pages and the
// standard 3-byte silence packet), AAC (ADTS frames with the known silent
// raw block) and FLAC (STREAMINFO plus CONSTANT-subframe frames with their
// CRCs) — so they parse as what they claim to be; only WAV/PCM are checked
// against a decoder in the tests.

export const SAMPLE_RATE = 24_000;

export const AUDIO_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

export const AUDIO_CONTENT_TYPES: Record<AudioFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

export function silentAudio(format: AudioFormat, seconds: number): Buffer {
  const samples = Math.max(1, Math.round(seconds * SAMPLE_RATE));
  switch (format) {
    case 'wav':
      return wav(samples);
    case 'pcm':
      return Buffer.alloc(samples * 2);
    case 'mp3':
      return mp3(samples);
    case 'opus':
      return opus(samples);
    case 'aac':
      return aac(samples);
    case 'flac':
      return flac(samples);
  }
}

/** RIFF/WAVE, PCM 16-bit mono, sizes filled in. */
function wav(samples: number): Buffer {
  const dataBytes = samples * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(SAMPLE_RATE, 24);
  buf.writeUInt32LE(SAMPLE_RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  return buf;
}

/** Duration in seconds of a PCM WAV file, or undefined when it is not one. */
export function wavSeconds(buf: Buffer): number | undefined {
  if (buf.length < 44 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 16 <= buf.length) byteRate = buf.readUInt32LE(offset + 16);
    if (id === 'data') return byteRate > 0 ? Math.min(size, buf.length - offset - 8) / byteRate : undefined;
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

// MPEG-2 Layer III, 32 kbit/s, 24 kHz, mono: 96-byte frames of 576 samples.
// An all-zero side info means no coded data: each frame decodes to silence.
const MP3_HEADER = [0xff, 0xf3, 0x44, 0xc4];
const MP3_FRAME_BYTES = 96;
const MP3_FRAME_SAMPLES = 576;

function mp3(samples: number): Buffer {
  const frames = Math.ceil(samples / MP3_FRAME_SAMPLES);
  const buf = Buffer.alloc(frames * MP3_FRAME_BYTES);
  for (let f = 0; f < frames; f++) buf.set(MP3_HEADER, f * MP3_FRAME_BYTES);
  return buf;
}

// AAC-LC in ADTS, 24 kHz mono: 1024 samples a frame; the raw block is an SCE
// with no scale factor bands followed by END (the usual silent frame).
const AAC_SILENT_BLOCK = [0x01, 0x40, 0x20, 0x07];
const AAC_FRAME_SAMPLES = 1024;
const AAC_SAMPLING_INDEX_24K = 6;

function aac(samples: number): Buffer {
  const frames = Math.ceil(samples / AAC_FRAME_SAMPLES);
  const length = 7 + AAC_SILENT_BLOCK.length;
  const frame = Buffer.from([
    0xff,
    0xf1, // sync, MPEG-4, layer 0, no CRC
    (1 << 6) | (AAC_SAMPLING_INDEX_24K << 2) | 0, // profile LC, sampling index, private, channel config high bit
    (1 << 6) | ((length >> 11) & 0x03), // channel config 1, frame length high bits
    (length >> 3) & 0xff,
    ((length & 0x07) << 5) | 0x1f, // buffer fullness 0x7FF (VBR)
    0xfc,
    ...AAC_SILENT_BLOCK,
  ]);
  const buf = Buffer.alloc(frames * length);
  for (let f = 0; f < frames; f++) frame.copy(buf, f * length);
  return buf;
}

// ---- Ogg Opus -----------------------------------------------------------

const OGG_CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

function oggCrc(buf: Buffer): number {
  let crc = 0;
  for (let i = 0; i < buf.length; i++) crc = ((crc << 8) ^ (OGG_CRC_TABLE[((crc >>> 24) & 0xff) ^ (buf[i] as number)] as number)) >>> 0;
  return crc;
}

function oggPage(flags: number, granule: number, serial: number, sequence: number, packets: Buffer[]): Buffer {
  const lacing: number[] = [];
  for (const p of packets) {
    let left = p.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    lacing.push(left);
  }
  const header = Buffer.alloc(27 + lacing.length);
  header.write('OggS', 0, 'ascii');
  header[4] = 0;
  header[5] = flags;
  header.writeBigUInt64LE(BigInt(granule), 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = lacing.length;
  header.set(lacing, 27);
  const page = Buffer.concat([header, ...packets]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]); // CELT 20 ms frame of silence
const OPUS_PACKET_SAMPLES_48K = 960;
const OPUS_PRE_SKIP = 312;
const OPUS_PACKETS_PER_PAGE = 50;

function opus(samples: number): Buffer {
  const serial = 0x5349_4d31;
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'ascii');
  head[8] = 1; // version
  head[9] = 1; // channels
  head.writeUInt16LE(OPUS_PRE_SKIP, 10);
  head.writeUInt32LE(SAMPLE_RATE, 12);
  head.writeInt16LE(0, 16);
  head[18] = 0; // mapping family
  const vendor = Buffer.from('waystation-simulator', 'ascii');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'ascii');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  tags.writeUInt32LE(0, 12 + vendor.length);

  const pages = [oggPage(0x02, 0, serial, 0, [head]), oggPage(0x00, 0, serial, 1, [tags])];
  const packets = Math.ceil((samples * 2) / OPUS_PACKET_SAMPLES_48K); // 48 kHz granules
  let written = 0;
  let sequence = 2;
  while (written < packets) {
    const count = Math.min(OPUS_PACKETS_PER_PAGE, packets - written);
    written += count;
    const last = written === packets;
    pages.push(oggPage(last ? 0x04 : 0x00, written * OPUS_PACKET_SAMPLES_48K, serial, sequence++, new Array<Buffer>(count).fill(OPUS_SILENCE)));
  }
  return Buffer.concat(pages);
}

// ---- FLAC ---------------------------------------------------------------

const FLAC_BLOCK = 4096;

function crc8(buf: Buffer): number {
  let crc = 0;
  for (const byte of buf) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function crc16(buf: Buffer): number {
  let crc = 0;
  for (const byte of buf) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** FLAC's UTF-8-style frame number. */
function codedNumber(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x800) return [0xc0 | (n >> 6), 0x80 | (n & 0x3f)];
  return [0xe0 | (n >> 12), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
}

function flacFrame(index: number, blockSize: number): Buffer {
  const full = blockSize === FLAC_BLOCK;
  // Block size code 12 = 4096; 7 = "16-bit (size - 1) follows". Sample rate code 7 = 24 kHz.
  const header = [0xff, 0xf8, ((full ? 12 : 7) << 4) | 7, 0x08, ...codedNumber(index)];
  if (!full) header.push((blockSize - 1) >> 8, (blockSize - 1) & 0xff);
  const head = Buffer.from(header);
  // CONSTANT subframe (type 0, no wasted bits) holding the sample value 0.
  const body = Buffer.concat([head, Buffer.from([crc8(head), 0x00, 0x00, 0x00])]);
  const footer = Buffer.alloc(2);
  footer.writeUInt16BE(crc16(body));
  return Buffer.concat([body, footer]);
}

function flac(samples: number): Buffer {
  const info = Buffer.alloc(4 + 34);
  info[0] = 0x80; // last metadata block, STREAMINFO
  info.writeUIntBE(34, 1, 3);
  info.writeUInt16BE(FLAC_BLOCK, 4);
  info.writeUInt16BE(FLAC_BLOCK, 6);
  // frame sizes (bytes 8–13) unknown: 0; then rate(20) channels-1(3) bits-1(5) total samples(36).
  const packed = (BigInt(SAMPLE_RATE) << 44n) | (0n << 41n) | (15n << 36n) | BigInt(samples);
  info.writeBigUInt64BE(packed, 14);
  // MD5 (bytes 22–37) left zero: "not computed", which the format allows.
  const frames: Buffer[] = [Buffer.from('fLaC', 'ascii'), info];
  for (let index = 0, left = samples; left > 0; index++, left -= FLAC_BLOCK) frames.push(flacFrame(index, Math.min(FLAC_BLOCK, left)));
  return Buffer.concat(frames);
}
