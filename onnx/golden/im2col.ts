/**
 * 2-D convolution as a GEMM (im2col), the way a GEMM accelerator runs ONNX Conv / QLinearConv:
 * A[(n, oh, ow)][(c, kh, kw)] = X[n][c][oh*sh - pt + kh*dh][ow*sw - pl + kw*dw] (the padding
 * value outside X: the input zero point, i.e. real 0), B[(c, kh, kw)][oc] = W[oc][c][kh][kw], so
 * Y[n][oc][oh][ow] = (A . B)[(n, oh, ow)][oc]. groups = 1. Exact: only data movement.
 */
export interface ConvGeometry {
  readonly n: number; readonly c: number; readonly h: number; readonly w: number;
  readonly oc: number; readonly kh: number; readonly kw: number;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  /** [top, left, bottom, right], ONNX order. */
  readonly pads: readonly [number, number, number, number];
}

export function outputSize(g: ConvGeometry): { oh: number; ow: number } {
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, pl, pb, pr] = g.pads;
  return { oh: Math.floor((g.h + pt + pb - dh * (g.kh - 1) - 1) / sh) + 1, ow: Math.floor((g.w + pl + pr - dw * (g.kw - 1) - 1) / sw) + 1 };
}

type Codes = Int8Array | Uint8Array;

/** The im2col matrix A, (n*oh*ow) x (c*kh*kw), row-major, of an NCHW input. */
export function im2col<T extends Codes>(x: T, g: ConvGeometry, padValue: number): T {
  const { oh, ow } = outputSize(g);
  const k = g.c * g.kh * g.kw;
  const a = new (x.constructor as new (len: number) => T)(g.n * oh * ow * k);
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, pl] = g.pads;
  let r = 0;
  for (let n = 0; n < g.n; n++) {
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++, r++) {
        let col = 0;
        for (let c = 0; c < g.c; c++) {
          for (let i = 0; i < g.kh; i++) {
            const iy = y * sh - pt + i * dh;
            for (let j = 0; j < g.kw; j++, col++) {
              const ix = xo * sw - pl + j * dw;
              const inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
              a[r * k + col] = inside ? x[((n * g.c + c) * g.h + iy) * g.w + ix]! : padValue;
            }
          }
        }
      }
    }
  }
  return a;
}

/** B = the OIHW weights as a (c*kh*kw) x oc matrix. */
export function convWeightsAsB<T extends Codes>(w: T, g: ConvGeometry): T {
  const k = g.c * g.kh * g.kw;
  const b = new (w.constructor as new (len: number) => T)(k * g.oc);
  for (let o = 0; o < g.oc; o++) for (let t = 0; t < k; t++) b[t * g.oc + o] = w[o * k + t]!;
  return b;
}

/** The GEMM output rows (n, oh, ow) x oc back to NCHW. */
export function rowsToNchw<T extends Int8Array | Uint8Array | Int32Array>(y: T, g: ConvGeometry): T {
  const { oh, ow } = outputSize(g);
  const out = new (y.constructor as new (len: number) => T)(y.length);
  const hw = oh * ow;
  for (let n = 0; n < g.n; n++) for (let p = 0; p < hw; p++) for (let o = 0; o < g.oc; o++) out[(n * g.oc + o) * hw + p] = y[(n * hw + p) * g.oc + o]!;
  return out;
}
