import { deflateSync } from 'node:zlib';

/**
 * The app's icons, drawn at build time as PNG (the web manifest needs raster icons of 192 and
 * 512 px): a dark tile with a rising price step line. `maskable` keeps the mark inside the safe
 * zone (the inner 80%) that Android crops to a circle or squircle.
 */
export function iconPng(size: number, maskable = false): Buffer {
  const pixels = new Uint8Array(size * size * 4);
  const background = [13, 17, 23];
  const line = [63, 185, 80];
  const dot = [47, 129, 247];
  const radius = maskable ? 0 : size * 0.18;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (insideRoundedSquare(x + 0.5, y + 0.5, size, radius)) paint(pixels, size, x, y, background);
    }
  }
  const inset = maskable ? 0.22 : 0.16;
  const at = (fx: number, fy: number): [number, number] => [size * (inset + fx * (1 - 2 * inset)), size * (inset + fy * (1 - 2 * inset))];
  // A price ladder stepping up: horizontal, then vertical moves.
  const steps: [number, number][] = [at(0, 0.85), at(0.22, 0.85), at(0.22, 0.6), at(0.45, 0.6), at(0.45, 0.7), at(0.66, 0.7), at(0.66, 0.3), at(0.88, 0.3)];
  const thickness = size * 0.055;
  for (let i = 1; i < steps.length; i++) strokeSegment(pixels, size, steps[i - 1]!, steps[i]!, thickness, line);
  const [cx, cy] = steps[steps.length - 1]!;
  disc(pixels, size, cx, cy, size * 0.075, dot);
  return encodePng(size, size, pixels);
}

function insideRoundedSquare(x: number, y: number, size: number, r: number): boolean {
  const dx = Math.max(r - x, 0, x - (size - r));
  const dy = Math.max(r - y, 0, y - (size - r));
  return dx * dx + dy * dy <= r * r;
}

function paint(pixels: Uint8Array, size: number, x: number, y: number, [r, g, b]: number[]): void {
  if (x < 0 || y < 0 || x >= size || y >= size) return;
  const i = (y * size + x) * 4;
  pixels[i] = r!;
  pixels[i + 1] = g!;
  pixels[i + 2] = b!;
  pixels[i + 3] = 255;
}

function disc(pixels: Uint8Array, size: number, cx: number, cy: number, r: number, colour: number[]): void {
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
    for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) paint(pixels, size, x, y, colour);
    }
  }
}

function strokeSegment(pixels: Uint8Array, size: number, [x1, y1]: [number, number], [x2, y2]: [number, number], thickness: number, colour: number[]): void {
  const length = Math.hypot(x2 - x1, y2 - y1);
  const steps = Math.max(1, Math.ceil(length));
  for (let s = 0; s <= steps; s++) disc(pixels, size, x1 + ((x2 - x1) * s) / steps, y1 + ((y2 - y1) * s) / steps, thickness / 2, colour);
}

/** RGBA, 8 bits a channel, no interlace, every row with filter 0 (PNG spec, ISO/IEC 15948). */
function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(rgba.buffer, y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
