import { loadDesign } from '../cli/design-file.ts';
import { verifyDesign } from '../sim/cosim/verify.ts';
const [file, n, dir] = process.argv.slice(2);
const l = await loadDesign(file!);
const t = performance.now();
const r = await verifyDesign(l.design, { model: l.model!, simulators: ['icarus'], vectors: Number(n), seed: 4, corners: false, runDirFor: () => dir! });
console.log(r.outcomes[0]!.passed, r.outcomes[0]!.timingsMs, performance.now() - t);
