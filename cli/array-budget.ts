/**
 * The array budget of `npugen gen` and `npugen synth`: before a generator builds a PE array, its
 * estimate (sim/array-budget.ts) is checked against the resource budget verify uses
 * (sim/budget.ts); over it, the run is refused (exit 2) naming the shape and `--allow-large`;
 * within it, a long run prints its estimate and then each phase as it starts. `--progress`
 * asks for both on any run.
 */
import { describeShape, arrayShapeOf, type ArrayShape } from '../sim/array-budget.ts';
import { formatEstimate, overBudget, worthAnnouncing, type VerifyEstimate } from '../sim/budget.ts';
import type { PlannedBuild } from './design-file.ts';
import { startProgress, type Progress } from './progress.ts';
import { UsageError, type CliIo } from './io.ts';

export interface ArrayBudgetOptions {
  /** The command, for messages: `gen` or `synth`. */
  readonly command: string;
  readonly estimate: (shape: ArrayShape) => VerifyEstimate;
  /** Where the estimate's disk use goes (the output directory, or the temporary directory). */
  readonly diskIn: string;
  readonly allowLarge: boolean;
  /** `--progress`: print the estimate and every phase even when the run is short. */
  readonly progress: boolean;
}

/**
 * Budget and progress of one gen/synth run. Pass `beforeBuild` to `loadDesign`; then `start`
 * gives the run's progress (already started, at the build phase, when a generator built an array).
 */
export class ArrayBudget {
  private progress: Progress | undefined;
  private eager: boolean;

  constructor(private readonly io: CliIo, private readonly o: ArrayBudgetOptions) {
    this.eager = o.progress;
  }

  readonly beforeBuild = (b: PlannedBuild): void => {
    const shape = arrayShapeOf(b.generator, b.params);
    if (shape === undefined) return;
    const estimate = this.o.estimate(shape);
    const over = overBudget(estimate);
    const what = `${describeShape(shape)}: npugen ${this.o.command} needs ${formatEstimate(estimate, this.o.diskIn)}`;
    if (over.length > 0 && !this.o.allowLarge) {
      throw new UsageError(`params rows, cols: ${what}, over the budget (${over.join('; ')}); use a smaller array, or add --allow-large to run it anyway`);
    }
    this.eager ||= worthAnnouncing(estimate);
    if (this.eager) this.io.err(`npugen: ${this.o.command} ${b.name}: ${what}`);
    this.progress = startProgress(this.io, `${this.o.command} ${b.name}`, { estimateSeconds: estimate.seconds, eager: this.eager });
    this.progress.phase(`build ${describeShape(shape)}`);
  };

  /** The run's progress (started here for a design that is not a generated array). */
  start(label: string): Progress {
    this.progress ??= startProgress(this.io, label, { eager: this.eager });
    return this.progress;
  }
}
