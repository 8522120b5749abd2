/** Conv attributes (shared by QLinearConv and the QDQ Conv group) and the im2col GEMM layer. */
import type { QuantGemmOutput, QuantGemmSpec } from '../../sim/layers/quant-gemm.ts';
import { type ConvGeometry, convWeightsAsB, im2col, outputSize, rowsToNchw } from '../golden/im2col.ts';
import { envGet, type Env, type GemmLayer } from '../layer.ts';
import type { LowerContext } from '../lower-context.ts';
import type { OnnxNode } from '../model.ts';
import type { Tensor } from '../tensor.ts';
import { type GemmOutputKind, qtypeOf } from './common.ts';

export interface ConvAttrs {
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly pads: readonly [number, number, number, number] | 'SAME_UPPER' | 'SAME_LOWER';
}

function pair(v: readonly number[] | undefined, dflt: number): [number, number] {
  return [v?.[0] ?? dflt, v?.[1] ?? dflt];
}

export function convAttrs(ctx: LowerContext, node: OnnxNode, w: Tensor): ConvAttrs {
  if (w.dims.length !== 4) throw ctx.error(node, `only 2-D convolution is supported (weights OIHW), got weight dims [${w.dims.join(', ')}]`);
  const group = ctx.intAttr(node, 'group', 1);
  if (group !== 1) throw ctx.error(node, `group = ${group} is not supported (groups = 1 only)`);
  const ks = ctx.intsAttr(node, 'kernel_shape');
  if (ks !== undefined && (ks[0] !== w.dims[2] || ks[1] !== w.dims[3])) throw ctx.error(node, `kernel_shape [${ks.join(', ')}] differs from the weights' [${w.dims.slice(2).join(', ')}]`);
  const autoPad = ctx.stringAttr(node, 'auto_pad', 'NOTSET');
  const strides = pair(ctx.intsAttr(node, 'strides'), 1);
  const dilations = pair(ctx.intsAttr(node, 'dilations'), 1);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return { strides, dilations, pads: autoPad };
  if (autoPad === 'VALID') return { strides, dilations, pads: [0, 0, 0, 0] };
  if (autoPad !== 'NOTSET') throw ctx.error(node, `auto_pad '${autoPad}' is not supported`);
  const p = ctx.intsAttr(node, 'pads') ?? [0, 0, 0, 0];
  return { strides, dilations, pads: [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0] };
}

/** The geometry of X (NCHW) under `attrs`, SAME_* pads resolved as ONNX defines them. */
export function geometryOf(x: Tensor, w: Tensor, attrs: ConvAttrs): ConvGeometry {
  const [n, c, h, wd] = x.dims as [number, number, number, number];
  const [oc, , kh, kw] = w.dims as [number, number, number, number];
  let pads = attrs.pads;
  if (pads === 'SAME_UPPER' || pads === 'SAME_LOWER') {
    const total = (size: number, s: number, d: number, k: number) => Math.max(0, (Math.ceil(size / s) - 1) * s + d * (k - 1) + 1 - size);
    const th = total(h, attrs.strides[0], attrs.dilations[0], kh);
    const tw = total(wd, attrs.strides[1], attrs.dilations[1], kw);
    const lo = (t: number) => (pads === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2));
    pads = [lo(th), lo(tw), th - lo(th), tw - lo(tw)];
  }
  return { n, c, h, w: wd, oc, kh, kw, strides: attrs.strides, dilations: attrs.dilations, pads };
}

export interface ConvLayerArgs {
  readonly node: OnnxNode;
  readonly name: string;
  readonly op: string;
  readonly x: string;
  readonly xZeroPoint: number;
  readonly w: Tensor;
  readonly wZeroPoint: number;
  readonly bias?: Int32Array;
  readonly attrs: ConvAttrs;
  readonly output: string;
  readonly outKind: GemmOutputKind & { kind: 'requant' };
}

/** A quantized 2-D convolution as one im2col GEMM (all images stacked into M). */
export function convLayer(ctx: LowerContext, args: ConvLayerArgs): GemmLayer {
  const { node } = args;
  const wType = qtypeOf(ctx, node, args.w, 'W');
  let formats = '';
  const plan = (env: Env) => {
    const X = envGet(env, args.x);
    const xType = qtypeOf(ctx, node, X, 'X');
    formats = `${xType} x ${wType} -> ${args.outKind.type} (im2col)`;
    if (X.dims.length !== 4) throw ctx.error(node, `X must be NCHW (rank 4), got dims [${X.dims.join(', ')}]`);
    const g = geometryOf(X, args.w, args.attrs);
    if (X.dims[1] !== args.w.dims[1]) throw ctx.error(node, `X has ${X.dims[1]} channels, W expects ${args.w.dims[1]}`);
    const { oh, ow } = outputSize(g);
    if (oh < 1 || ow < 1) throw ctx.error(node, `the output would be empty (${oh} x ${ow})`);
    const a = im2col(X.data as Int8Array | Uint8Array, g, args.xZeroPoint);
    const spec: QuantGemmSpec = {
      m: g.n * oh * ow, k: g.c * g.kh * g.kw, n: g.oc,
      a: { type: xType, data: a, zeroPoint: args.xZeroPoint },
      b: { type: wType, data: convWeightsAsB(args.w.data as Int8Array | Uint8Array, g), zeroPoint: args.wZeroPoint },
      ...(args.bias !== undefined ? { bias: args.bias } : {}),
      output: args.outKind,
    };
    return {
      specs: [spec],
      assemble: ([y]: readonly QuantGemmOutput[]): Tensor => ({ dtype: args.outKind.type, dims: [g.n, g.oc, oh, ow], data: rowsToNchw(y as Int8Array | Uint8Array, g) }),
    };
  };
  return { kind: 'gemm', name: args.name, op: args.op, inputs: [args.x], output: args.output, get formats() { return formats; }, plan };
}

/** One zero point for all output channels (onnxruntime requires per-channel weight zero points to be equal). */
export function uniformZeroPoint(ctx: LowerContext, node: OnnxNode, t: Tensor | undefined, what: string): number {
  if (t === undefined) return 0;
  const v = t.data[0] as number;
  for (let i = 1; i < t.data.length; i++) if (t.data[i] !== v) throw ctx.error(node, `${what} must be the same for every output channel (onnxruntime requires it)`);
  return v;
}
