/** The package version, stamped into generated files. */
export const NPUGEN_VERSION = '0.1.0';
