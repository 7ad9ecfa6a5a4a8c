import sharp from 'sharp';

/** A real image of `format`, made by sharp. */
export function makeImage(format: 'png' | 'jpeg' | 'webp' | 'gif', width = 8, height = 8, alpha = false): Promise<Buffer> {
  return sharp({ create: { width, height, channels: alpha ? 4 : 3, background: alpha ? { r: 255, g: 0, b: 0, alpha: 0.5 } : '#3366ff' } })
    .toFormat(format)
    .toBuffer();
}

/** The first bytes of a HEIF-family file with these brands (major first). */
export function ftypHeader(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size + 8);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + 4 * i, 'latin1'));
  return box;
}
