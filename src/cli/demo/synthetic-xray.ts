import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A small, valid greyscale PNG standing in for an X-ray: a bright ribcage-like band pattern over
 * random noise, so its bytes are unique to this run and can be searched for in a stolen copy.
 */
export function syntheticXray(size = 96): Buffer {
  const noise = randomBytes(size * size);
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(size + 1); // filter byte 0, then one byte per pixel
    for (let x = 0; x < size; x++) {
      const rib = Math.abs(Math.sin(y / 5)) > 0.8 && Math.abs(x - size / 2) > 6 ? 150 : 30;
      row[x + 1] = Math.min(255, rib + (noise[y * size + x]! % 60));
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Slices from inside the compressed pixel data: finding any of them means the image leaked. */
export function imageNeedles(png: Buffer, count = 4, length = 24): Buffer[] {
  const start = 8 + 25 + 8; // after signature, IHDR chunk, IDAT header
  const span = png.length - start - 12 - length;
  return Array.from({ length: count }, (_, i) => {
    const at = start + Math.floor((span * (i + 1)) / (count + 1));
    return png.subarray(at, at + length);
  });
}
