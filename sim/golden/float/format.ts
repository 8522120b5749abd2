/**
 * Float format descriptors live in `formats/float.ts` (the leaf shared by the DSL, the golden
 * library and the models); this path re-exports them for existing imports.
 */
export * from '../../../formats/float.ts';
