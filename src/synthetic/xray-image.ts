/**
 * Generated grayscale images that look like a frontal (PA) chest radiograph: soft tissue, two
 * lungs, spine, ribs, clavicles, the heart shadow and film grain, drawn with smooth shapes, with
 * the findings of the record they belong to (a lobar consolidation, an enlarged heart,
 * hyperinflated lungs). Synthetic demo images only. Radiographs are viewed with the patient's
 * right on the image's left, so the heart sits right of centre and "R" marks the top left.
 */
import { encodeGrayscalePng } from './png-encoder.js';
import type { SeededRandom } from './seeded-random.js';

export const LUNG_ZONES = ['right-upper', 'right-middle', 'right-lower', 'left-upper', 'left-lower'] as const;
export type LungZone = (typeof LUNG_ZONES)[number];

export interface ChestXraySpec {
  /** Airspace opacity in this zone (pneumonia), or none. */
  readonly consolidation?: LungZone;
  /** Cardiothoracic ratio above 0.5 (heart failure). */
  readonly cardiomegaly: boolean;
  /** Large, lucent lungs with flat diaphragms (COPD). */
  readonly hyperinflation: boolean;
}

/** Default edge length: small enough to seed quickly, large enough to look like an image. */
export const XRAY_SIZE = 256;

/** Image coordinates (0..1, x to the right, y down) of each zone's centre. */
const ZONE_CENTRES: Record<LungZone, readonly [number, number]> = {
  'right-upper': [0.33, 0.32],
  'right-middle': [0.3, 0.52],
  'right-lower': [0.32, 0.64],
  'left-upper': [0.67, 0.32],
  'left-lower': [0.69, 0.63],
};

const smoothstep = (e0: number, e1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** 1 inside the ellipse, 0 outside, with a soft edge of relative width `soft`. */
const ellipse = (
  x: number,
  y: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  soft = 0.08,
): number => {
  const d = Math.sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2);
  return 1 - smoothstep(1 - soft, 1 + soft, d);
};

/** 1 on a line segment of half-width `w`, fading out. */
const segment = (x: number, y: number, x0: number, y0: number, x1: number, y1: number, w: number): number => {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = Math.min(1, Math.max(0, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
  const d = Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
  return 1 - smoothstep(w * 0.5, w, d);
};

/** A 5×7 "R" marker. */
const R_GLYPH = ['11110', '10001', '10001', '11110', '10100', '10010', '10001'];

/** The pixels (row-major, 0 = black) of a chest radiograph with `spec`'s findings. */
export function chestXrayPixels(spec: ChestXraySpec, rng: SeededRandom, size = XRAY_SIZE): Uint8Array {
  const jitter = (s: number): number => (rng.float() - 0.5) * s;
  const lungRy = (spec.hyperinflation ? 0.3 : 0.265) + jitter(0.02);
  const lungCy = spec.hyperinflation ? 0.5 : 0.47;
  const lungs: Array<readonly [number, number, number, number]> = [
    [0.33 + jitter(0.015), lungCy, 0.135 + jitter(0.01), lungRy],
    [0.67 + jitter(0.015), lungCy, 0.125 + jitter(0.01), lungRy * 0.97],
  ];
  const heart = spec.cardiomegaly ? [0.57, 0.63, 0.2, 0.15] : [0.56, 0.63, 0.135 + jitter(0.01), 0.115];
  const [hx, hy, hrx, hry] = heart as [number, number, number, number];
  const ribGap = 0.062 + jitter(0.004);
  const grain = rng.bytes(size * size);
  const opacityNoise = rng.bytes(size * size);
  const raw = new Float32Array(size * size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      const body = Math.max(
        ellipse(x, y, 0.5, 0.62, 0.47, 0.58, 0.05),
        ellipse(x, y, 0.5, 0.3, 0.5, 0.2, 0.15),
        ellipse(x, y, 0.5, 0.05, 0.09, 0.15, 0.2),
      );
      let v = 10 + 72 * body;
      // Lungs: air is dark; the ribs cross them.
      let lung = 0;
      for (const [cx, cy, rx, ry] of lungs) lung = Math.max(lung, ellipse(x, y, cx, cy, rx, ry, 0.1));
      v -= 50 * lung * (spec.hyperinflation ? 1.12 : 1);
      // Vascular markings fan out from the hila.
      const hilum = Math.min(Math.hypot(x - 0.4, y - 0.48), Math.hypot(x - 0.6, y - 0.48));
      v += lung * 14 * Math.exp(-hilum * 7);
      // Heart and mediastinum (soft tissue over the lungs' inner edges).
      v += 58 * Math.max(ellipse(x, y, hx, hy, hrx, hry, 0.12), ellipse(x, y, 0.5, 0.35, 0.07, 0.22, 0.2));
      // Diaphragm and abdomen below the lungs.
      v += 22 * smoothstep(lungCy + lungRy * 0.85, lungCy + lungRy + 0.05, y) * body;
      // Spine with vertebral bodies.
      const spine = 1 - smoothstep(0.028, 0.04, Math.abs(x - 0.5));
      v += spine * body * (38 + 12 * Math.cos(y * 2 * Math.PI * 15));
      // Posterior ribs: arcs falling away from the spine on each side.
      let rib = 0;
      for (let k = 0; k < 10; k++) {
        const side = x < 0.5 ? -1 : 1;
        const lateral = Math.abs(x - 0.5);
        if (lateral < 0.04 || lateral > 0.42) continue;
        const yRib =
          0.17 +
          k * ribGap +
          0.6 * lateral ** 2 * (side < 0 ? 1 : 1.04) -
          0.06 * Math.sin((Math.PI * lateral) / 0.42);
        rib = Math.max(rib, 1 - smoothstep(0.006, 0.013, Math.abs(y - yRib)));
      }
      v += rib * (18 + 10 * lung) * body;
      // Clavicles.
      v +=
        60 *
        Math.max(segment(x, y, 0.45, 0.17, 0.2, 0.12, 0.018), segment(x, y, 0.55, 0.17, 0.8, 0.12, 0.018));
      // Consolidation: patchy airspace opacity, confined to the lung.
      if (spec.consolidation !== undefined) {
        const [cx, cy] = ZONE_CENTRES[spec.consolidation];
        const blob = Math.exp(-(((x - cx) / 0.085) ** 2 + ((y - cy) / 0.07) ** 2));
        const patch = 0.65 + 0.35 * ((opacityNoise[py * size + px] as number) / 255);
        v += 48 * blob * patch * lung;
      }
      // Exposure falls off towards the edges.
      v *= 0.88 + 0.12 * (1 - Math.hypot(x - 0.5, y - 0.5));
      raw[py * size + px] = v;
    }
  }
  // Film grain, softened by averaging with the neighbours.
  const out = new Uint8Array(size * size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const i = py * size + px;
      const n = ((grain[i] as number) + (grain[py * size + ((px + 1) % size)] as number)) / 2 - 127.5;
      out[i] = Math.max(0, Math.min(255, Math.round((raw[i] as number) * 1.35 + n * 0.06)));
    }
  }
  // The orientation marker.
  const scale = Math.max(1, Math.round(size / 128));
  R_GLYPH.forEach((row, gy) => {
    for (let gx = 0; gx < row.length; gx++) {
      if (row[gx] !== '1') continue;
      for (let sy = 0; sy < scale; sy++)
        for (let sx = 0; sx < scale; sx++) out[(6 + gy * scale + sy) * size + 6 + gx * scale + sx] = 235;
    }
  });
  return out;
}

/** A PNG chest radiograph with `spec`'s findings (`size` × `size`, 8-bit grayscale). */
export function chestXrayPng(spec: ChestXraySpec, rng: SeededRandom, size = XRAY_SIZE): Buffer {
  return encodeGrayscalePng(size, size, chestXrayPixels(spec, rng, size));
}
