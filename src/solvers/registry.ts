/**
 * Solvers by `problem.kind`. The pipeline looks a solver up here and never
 * branches on its name: adding a model is one file in this folder plus one line below.
 */
import { asymmetricSensing } from "./asymmetric-sensing.js";
import { matrixSensing } from "./matrix-sensing.js";
import { population } from "./population.js";
import { quadraticNet } from "./quadratic-net.js";
import type { Solver } from "./types.js";

const SOLVERS: Solver[] = [population, matrixSensing, quadraticNet, asymmetricSensing];

/** Every kind, built-ins first, then any registered by a plug-in (src/plugins/) in this thread. */
export const solverKinds: readonly string[] = SOLVERS.map((s) => s.kind);

/** Add a plug-in's model (src/plugins/ checks it first). */
export function registerSolver(s: Solver): void {
  SOLVERS.push(s);
  (solverKinds as string[]).push(s.kind);
}

/** The solver for a kind, or undefined (config validation reports unknown kinds). */
export function findSolver(kind: string): Solver | undefined {
  return SOLVERS.find((s) => s.kind === kind);
}
