import { checkCode, type AnyFormat } from './format.ts';

/** SCHEMA "bits": lowercase `0x…` zero-padded to ceil(width/4) hex digits. */
export function formatBits(fmt: AnyFormat, code: number): string {
  checkCode(fmt, code);
  return `0x${code.toString(16).padStart(Math.ceil(fmt.width / 4), '0')}`;
}

/**
 * Parses SCHEMA "bits" of `fmt`: `0x` + exactly ceil(width/4) hex digits, value inside the width.
 * Throws SyntaxError / RangeError otherwise.
 */
export function parseBits(fmt: AnyFormat, text: string): number {
  const digits = Math.ceil(fmt.width / 4);
  if (!/^0x[0-9a-fA-F]+$/.test(text) || text.length !== 2 + digits) {
    throw new SyntaxError(`${fmt.name}: "${text}" is not 0x followed by ${digits} hex digits`);
  }
  const code = parseInt(text.slice(2), 16);
  checkCode(fmt, code);
  return code;
}
