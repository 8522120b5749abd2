export * from './float/index.ts';
export * from './mx/index.ts';
