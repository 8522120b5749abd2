export * from './format.ts';
export * from './quantize.ts';
export * from './dot.ts';
