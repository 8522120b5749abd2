/** Helpers for transaction models: ports of a format, code ranges, uniform random codes. */
import type { FixedFormat } from '../../formats/index.ts';
import { formatName } from '../../formats/index.ts';
import type { Rng } from '../random.ts';
import type { Port } from '../../formats/port.ts';

export function portOf(name: string, f: FixedFormat, validBy?: string): Port {
  return { name, width: f.width, signed: f.signed, format: formatName(f), ...(validBy ? { validBy } : {}) };
}

/** Inclusive code range of a format. */
export function codeRange(f: Pick<FixedFormat, 'width' | 'signed'>): [bigint, bigint] {
  return f.signed ? [-(1n << BigInt(f.width - 1)), (1n << BigInt(f.width - 1)) - 1n] : [0n, (1n << BigInt(f.width)) - 1n];
}

/** A uniform random code of the format. */
export function randomCode(f: Pick<FixedFormat, 'width' | 'signed'>, rng: Rng): bigint {
  const bits = rng.bigBits(f.width);
  return f.signed && bits >> BigInt(f.width - 1) === 1n ? bits - (1n << BigInt(f.width)) : bits;
}
