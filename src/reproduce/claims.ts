/**
 * The paper's claims as checks over results folders. Each claim names the
 * bundled config (configs/paper/NAME.yaml) whose runs it reads, says what it
 * measured, and whether that holds. Pure functions of the summary rows (and,
 * for one claim, the column norms), so they are unit-testable on fixtures.
 */
import type { RunRecord } from "../output/results.js";
import { formatRate } from "../figures/data.js";
import { weakestColumnSurvives } from "../config/erasure.js";
import { plantedSingularValues } from "../solvers/ground-truth.js";
import { findSolver } from "../solvers/registry.js";

/** What a claim's check gets: the records of its config's runs, and column norms after training. */
export interface ClaimInput {
  records: RunRecord[];
  trainedNorms(runId: string): number[];
}

export interface ClaimOutcome {
  measured: string;
  holds: boolean;
}

export interface Claim {
  id: string;
  /** The config under configs/paper/ whose results it reads. */
  config: string;
  statement: string;
  check(input: ClaimInput): ClaimOutcome;
}

/** Factor within which a column counts as "comparable" to the largest (claim spread). */
export const COMPARABLE_FACTOR = 4;
/** Fine-tuning must reach this relative recovery error (noiseless). */
export const FINETUNE_ERROR_TOL = 1e-6;
/** Approximate SOSP: ‖∇f‖ ≤ GRAD_TOL and λ_min(∇²f) ≥ −HESSIAN_GAMMA. */
export const GRAD_TOL = 1e-3;
export const HESSIAN_GAMMA = 1e-3;
/** Accepted range of the log–log slope of squared error against n (1/n is −1). */
export const SLOPE_RANGE: [number, number] = [-1.3, -0.7];
/** Accepted range of the log–log slope of squared error against the noise level σ (σ² is 2). */
export const NOISE_SLOPE_RANGE: [number, number] = [1.7, 2.3];
/** The top-r cut of the unregularized model must leave at least this relative recovery error. */
export const TOP_R_ERROR_FLOOR = 0.5;
/** "Keeps its trained error": the error right after the cut is within this factor of the trained one. */
export const KEPT_ERROR_FACTOR = 1.01;
/** The regularized model's columns beyond the r-th are below this fraction of the largest (greedy pruning at ε keeps the same r). */
export const NEGLIGIBLE_NORM = 1e-3;

const ok = (r: RunRecord) => r.status === "ok";
/** The training penalty of a run (records from before penalties were configurable used the default). */
const penaltyOf = (r: RunRecord) => r.config.train.penalty?.kind ?? "smooth-group-lasso";
/** Weight decay's trained UUᵀ must be this close to M* (relative Frobenius error) to count as near rank r. */
export const WEIGHT_DECAY_FIT = 0.1;
const kinds = (rs: RunRecord[]) => [...new Set(rs.map((r) => r.config.problem.kind))];
const fmt = (x: number) => (Math.abs(x) >= 1e-2 && Math.abs(x) < 1e3 ? x.toFixed(3) : x.toExponential(1));

/** f's verdict for each problem kind among the records (f gets that kind's records, never none), all of them needed. */
function byKind(records: RunRecord[], f: (kindRecords: RunRecord[], kind: string) => ClaimOutcome): ClaimOutcome {
  const parts = kinds(records).map((k) => f(records.filter((r) => r.config.problem.kind === k), k));
  if (parts.length === 0) return { measured: "no runs", holds: false };
  return { measured: parts.map((p) => p.measured).join("; "), holds: parts.every((p) => p.holds) };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Least-squares slope of y against x. */
export function slope(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** Whether a run's λ and β were scaled by σ_r (given as formulas, as in configs/ill-conditioned.yaml). */
export function isScaled(r: RunRecord): boolean {
  return r.config.formulas["train.lambda"] !== undefined;
}

/** Whether the stationarity bound (config/erasure.ts) says the run's weakest true column survives its λ, β. */
export function boundSaysSurvives(r: RunRecord): boolean {
  const { kind, r: rank, kappa } = r.config.problem;
  const s = plantedSingularValues(rank, kappa);
  return weakestColumnSurvives(s[s.length - 1], r.config.train.lambda, r.config.train.beta, findSolver(kind)?.columnLossFactor ?? 1);
}

/** Fine-tuning of the regularized runs: fitted rate < 1 and final error < FINETUNE_ERROR_TOL, per kind. */
function linearRate(records: RunRecord[]): ClaimOutcome {
  return byKind(records.filter((r) => r.config.train.lambda > 0), (rs, kind) => {
    const rates = rs.map((r) => r.metrics.finetune_rate);
    const errors = rs.map((r) => r.metrics.recovery_error);
    return {
      measured: `${kind}: rate ${formatRate(Math.min(...rates))}–${formatRate(Math.max(...rates))}, error ≤ ${fmt(Math.max(...errors))}`,
      holds: rs.every(ok) && Math.max(...rates) < 1 && Math.max(...errors) < FINETUNE_ERROR_TOL,
    };
  });
}

export const CLAIMS: readonly Claim[] = [
  {
    id: "exact-r",
    config: "pruning",
    statement: "With the group-Lasso penalty, greedy pruning keeps exactly r columns.",
    check: ({ records }) =>
      byKind(records.filter((r) => r.config.train.lambda > 0), (rs, kind) => {
        const exact = rs.filter((r) => ok(r) && r.metrics.kept_columns === r.config.problem.r).length;
        return { measured: `${kind}: kept = r in ${exact}/${rs.length} runs`, holds: exact === rs.length };
      }),
  },
  {
    id: "spread",
    config: "pruning",
    statement: `Without the penalty (λ = 0), many columns have norms within a factor ${COMPARABLE_FACTOR} of the largest, so the same ε keeps far more than r.`,
    check: ({ records, trainedNorms }) =>
      byKind(records.filter((r) => r.config.train.lambda === 0), (rs, kind) => {
        const comparable = rs.map((r) => {
          const norms = trainedNorms(r.run_id);
          const max = Math.max(...norms);
          return norms.filter((x) => x >= max / COMPARABLE_FACTOR).length;
        });
        const kept = rs.map((r) => r.metrics.kept_columns);
        const r0 = rs[0].config.problem.r;
        return {
          measured: `${kind}: ${Math.min(...comparable)}–${Math.max(...comparable)} comparable columns, ${Math.min(...kept)}–${Math.max(...kept)} kept (r = ${r0})`,
          holds: rs.every(ok) && Math.min(...comparable) >= 3 * r0 && Math.min(...kept) >= 3 * r0,
        };
      }),
  },
  {
    id: "linear-rate",
    config: "pruning",
    statement: `Fine-tuning the pruned model contracts linearly (fitted rate < 1) to relative recovery error < ${FINETUNE_ERROR_TOL}.`,
    check: ({ records }) => linearRate(records),
  },
  {
    id: "sosp",
    config: "pruning",
    statement: `Training reaches an approximate second-order stationary point: ‖∇f‖ ≤ ${GRAD_TOL} and λ_min(∇²f) ≥ −${HESSIAN_GAMMA} (30 Lanczos steps on Hessian-vector products).`,
    check: ({ records }) =>
      byKind(records.filter((r) => r.config.train.lambda > 0), (rs, kind) => {
        const grads = rs.map((r) => r.metrics.grad_norm_trained);
        const eigs = rs.map((r) => r.metrics.hessian_min_eig_trained);
        return {
          measured: `${kind}: ‖∇f‖ ≤ ${fmt(Math.max(...grads))}, λ_min ≥ ${fmt(Math.min(...eigs))}`,
          holds: rs.every(ok) && Math.max(...grads) <= GRAD_TOL && Math.min(...eigs) >= -HESSIAN_GAMMA,
        };
      }),
  },
  {
    id: "kept-grid",
    config: "kept-grid",
    statement: "Over k × λ × ε, the penalty keeps exactly r columns in every cell; without it the number kept grows with k.",
    check: ({ records }) =>
      byKind(records, (rs, kind) => {
        const reg = rs.filter((r) => r.config.train.lambda > 0 && r.config.model.k >= r.config.problem.r);
        const exact = reg.filter((r) => ok(r) && r.metrics.kept_columns === r.config.problem.r).length;
        const unreg = rs.filter((r) => r.config.train.lambda === 0);
        const ks = [...new Set(unreg.map((r) => r.config.model.k))].sort((a, b) => a - b);
        const keptAt = (k: number) => mean(unreg.filter((r) => r.config.model.k === k).map((r) => r.metrics.kept_columns));
        const growth = ks.map(keptAt);
        const grows = growth.every((v, i) => i === 0 || v > growth[i - 1]);
        return {
          measured: `${kind}: λ > 0 keeps r in ${exact}/${reg.length} runs; λ = 0 keeps ${growth.map((g) => g.toFixed(1)).join(" → ")} for k = ${ks.join(", ")}`,
          holds: reg.length > 0 && exact === reg.length && ks.length >= 2 && grows,
        };
      }),
  },
  {
    id: "error-rate",
    config: "generalization",
    statement: `With noise, the pruned + fine-tuned model's squared recovery error falls like 1/n (log–log slope in [${SLOPE_RANGE.join(", ")}]), the rate of an r-column model (∝ σ²dr/n).`,
    check: ({ records }) =>
      byKind(records.filter((r) => r.config.train.lambda > 0), (rs, kind) => {
        const ns = [...new Set(rs.map((r) => r.config.problem.n))].sort((a, b) => a - b);
        const err2 = ns.map((n) => mean(rs.filter((r) => r.config.problem.n === n).map((r) => r.metrics.recovery_error ** 2)));
        const s = slope(ns.map(Math.log), err2.map(Math.log));
        return {
          measured: `${kind}: slope ${s.toFixed(2)} over n = ${ns[0]}…${ns[ns.length - 1]}`,
          holds: ns.length >= 2 && rs.every(ok) && s >= SLOPE_RANGE[0] && s <= SLOPE_RANGE[1],
        };
      }),
  },
  {
    id: "pruned-beats-dense",
    config: "generalization",
    statement: "At every n, the pruned + fine-tuned model recovers M* better than the unpruned model trained without the penalty (all k columns).",
    check: ({ records }) =>
      byKind(records, (rs, kind) => {
        const ns = [...new Set(rs.map((r) => r.config.problem.n))].sort((a, b) => a - b);
        const ratios = ns.map((n) => {
          const at = rs.filter((r) => r.config.problem.n === n);
          const pruned = mean(at.filter((r) => r.config.train.lambda > 0).map((r) => r.metrics.recovery_error));
          const dense = mean(at.filter((r) => r.config.train.lambda === 0).map((r) => r.metrics.recovery_error_trained));
          return pruned / dense;
        });
        return {
          measured: `${kind}: pruned/unpruned error ${ratios.map((x) => x.toFixed(2)).join(", ")}`,
          holds: ns.length > 0 && rs.every(ok) && ratios.every((x) => x < 1),
        };
      }),
  },
  {
    id: "conditioning",
    config: "conditioning",
    statement:
      "With λ ∝ σ_r³, β ∝ σ_r² (configs/ill-conditioned.yaml) pruning keeps exactly r at every condition number κ; " +
      "with the fixed defaults λ = β = 0.1 the weakest column is lost exactly where the stationarity bound says it has no nonzero stationary point.",
    check: ({ records }) => {
      const outcome = byKind(records, (rs, kind) => {
        const kappas = [...new Set(rs.map((r) => r.config.problem.kappa))].sort((a, b) => a - b);
        const scaled = rs.filter(isScaled);
        const fixed = rs.filter((r) => !isScaled(r));
        const exact = (r: RunRecord) => ok(r) && r.metrics.kept_columns === r.config.problem.r;
        const keptAt = (group: RunRecord[]) => kappas.map((k) => String(+mean(group.filter((r) => r.config.problem.kappa === k).map((r) => r.metrics.kept_columns)).toFixed(2))).join(", ");
        const predicted = fixed.filter((r) => exact(r) === boundSaysSurvives(r)).length;
        const erased = fixed.filter((r) => !boundSaysSurvives(r)).length;
        return {
          measured: `${kind}: kept at κ = ${kappas.join(", ")} (r = ${rs[0].config.problem.r}): scaled ${keptAt(scaled)}, fixed λ ${keptAt(fixed)}; bound predicted ${predicted}/${fixed.length} fixed runs`,
          holds: kappas.length >= 2 && scaled.length > 0 && scaled.every(exact) && fixed.length > 0 && fixed.every(ok) && predicted === fixed.length,
        };
      });
      // not vacuous: at least one fixed-λ run is one the bound says loses its weakest column
      const someErased = records.some((r) => !isScaled(r) && !boundSaysSurvives(r));
      return { measured: outcome.measured, holds: outcome.holds && someErased };
    },
  },
  {
    id: "top-r-baseline",
    config: "top-r",
    statement:
      `Cutting the unregularized model (λ = 0) to its r largest columns leaves relative recovery error > ${TOP_R_ERROR_FLOOR} right after the cut; ` +
      "the regularized model's r largest columns (the rest are below 1e-3 of the largest, so greedy pruning at ε keeps the same) keep its trained error.",
    check: ({ records, trainedNorms }) =>
      byKind(records, (rs, kind) => {
        const unreg = rs.filter((r) => r.config.train.lambda === 0);
        const reg = rs.filter((r) => r.config.train.lambda > 0);
        const cutErrors = unreg.map((r) => r.metrics.recovery_error_pruned);
        const ratios = reg.map((r) => r.metrics.recovery_error_pruned / r.metrics.recovery_error_trained);
        const negligible = reg.every((r) => {
          const norms = [...trainedNorms(r.run_id)].sort((a, b) => b - a);
          return norms.length > r.config.problem.r && norms[r.config.problem.r] < NEGLIGIBLE_NORM * norms[0];
        });
        return {
          measured: `${kind}: after the cut λ = 0 ${fmt(Math.min(...cutErrors))}–${fmt(Math.max(...cutErrors))}, ` +
            `λ > 0 ${fmt(Math.min(...reg.map((r) => r.metrics.recovery_error_pruned)))}–${fmt(Math.max(...reg.map((r) => r.metrics.recovery_error_pruned)))} (trained × ${fmt(Math.max(...ratios))} at most)`,
          holds: unreg.length > 0 && reg.length > 0 && rs.every(ok) && rs.every((r) => r.metrics.kept_columns === r.config.problem.r) &&
            Math.min(...cutErrors) > TOP_R_ERROR_FLOOR && Math.max(...ratios) <= KEPT_ERROR_FACTOR && negligible,
        };
      }),
  },
  {
    id: "error-vs-noise",
    config: "noise",
    statement: `At fixed n, the pruned + fine-tuned model's squared recovery error grows like σ² (log–log slope in σ in [${NOISE_SLOPE_RANGE.join(", ")}]).`,
    check: ({ records }) =>
      byKind(records, (rs, kind) => {
        const sigmas = [...new Set(rs.map((r) => r.config.problem.noise))].filter((s) => s > 0).sort((a, b) => a - b);
        const err2 = sigmas.map((s) => mean(rs.filter((r) => r.config.problem.noise === s).map((r) => r.metrics.recovery_error ** 2)));
        const s = slope(sigmas.map(Math.log), err2.map(Math.log));
        return {
          measured: `${kind}: slope ${s.toFixed(2)} over σ = ${sigmas[0]}…${sigmas[sigmas.length - 1]} at n = ${rs[0].config.problem.n}`,
          holds: sigmas.length >= 2 && rs.every(ok) && rs.every((r) => r.metrics.kept_columns === r.config.problem.r) &&
            s >= NOISE_SLOPE_RANGE[0] && s <= NOISE_SLOPE_RANGE[1],
        };
      }),
  },
  {
    id: "gap-rule",
    config: "gap",
    statement: "Pruning at the largest ratio between consecutive sorted norms (prune: { gap: 10 }, no ε) keeps exactly r with the penalty, and not without it.",
    check: ({ records }) =>
      byKind(records, (rs, kind) => {
        const reg = rs.filter((r) => r.config.train.lambda > 0);
        const unreg = rs.filter((r) => r.config.train.lambda === 0);
        const exact = (r: RunRecord) => r.metrics.kept_columns === r.config.problem.r;
        const kept = (group: RunRecord[]) => `${Math.min(...group.map((r) => r.metrics.kept_columns))}–${Math.max(...group.map((r) => r.metrics.kept_columns))}`;
        return {
          measured: `${kind}: λ > 0 keeps r in ${reg.filter(exact).length}/${reg.length} runs; λ = 0 keeps ${kept(unreg)} (r = ${rs[0].config.problem.r})`,
          holds: reg.length > 0 && unreg.length > 0 && rs.every(ok) && reg.every(exact) && !unreg.some(exact),
        };
      }),
  },
  {
    id: "weight-decay-dense",
    config: "penalties",
    statement: `Weight decay ‖U‖²_F brings UUᵀ within ${WEIGHT_DECAY_FIT} of the rank-r M* (relative error after training), yet leaves at least 3r columns above ε: low rank is not column sparsity.`,
    check: ({ records }) =>
      byKind(records.filter((r) => penaltyOf(r) === "weight-decay"), (rs, kind) => {
        const kept = rs.map((r) => r.metrics.kept_columns);
        const fit = rs.map((r) => r.metrics.recovery_error_trained);
        const r0 = rs[0].config.problem.r;
        return {
          measured: `${kind}: ${Math.min(...kept)}–${Math.max(...kept)} of k = ${rs[0].config.model.k} kept (r = ${r0}), trained error ${fmt(Math.min(...fit))}–${fmt(Math.max(...fit))}`,
          holds: rs.every(ok) && Math.min(...kept) >= 3 * r0 && Math.max(...fit) <= WEIGHT_DECAY_FIT,
        };
      }),
  },
  {
    id: "exact-zeros",
    config: "penalties",
    statement: "The exact group Lasso Σ‖u_i‖, applied by its proximal step (block soft-thresholding), sets all but r columns exactly to zero, so pruning keeps r for any ε > 0.",
    check: ({ records, trainedNorms }) =>
      byKind(records.filter((r) => penaltyOf(r) === "group-lasso"), (rs, kind) => {
        const zeros = rs.map((r) => trainedNorms(r.run_id).filter((x) => x === 0).length);
        const exact = rs.filter((r, i) => ok(r) && r.metrics.kept_columns === r.config.problem.r && zeros[i] === r.config.model.k - r.config.problem.r).length;
        return {
          measured: `${kind}: ${Math.min(...zeros)}–${Math.max(...zeros)} columns exactly 0 of k = ${rs[0].config.model.k}; kept = r with k − r exact zeros in ${exact}/${rs.length} runs`,
          holds: exact === rs.length,
        };
      }),
  },
  {
    id: "sgd-exact-r",
    config: "sgd",
    statement: `Trained and fine-tuned by minibatch SGD, the penalty still makes pruning keep exactly r columns (λ = 0: at least 3r), and SGD fine-tuning reaches relative recovery error < ${FINETUNE_ERROR_TOL}.`,
    check: ({ records }) =>
      byKind(records.filter((r) => r.config.train.optimizer?.kind === "sgd"), (rs, kind) => {
        const reg = rs.filter((r) => r.config.train.lambda > 0);
        const unreg = rs.filter((r) => r.config.train.lambda === 0);
        const exact = reg.filter((r) => ok(r) && r.metrics.kept_columns === r.config.problem.r).length;
        const spread = unreg.filter((r) => ok(r) && r.metrics.kept_columns >= 3 * r.config.problem.r).length;
        const errors = reg.map((r) => r.metrics.recovery_error);
        return {
          measured: `${kind}: kept = r in ${exact}/${reg.length} runs with λ > 0, ≥ 3r in ${spread}/${unreg.length} with λ = 0; error ≤ ${fmt(Math.max(...errors))}`,
          holds: reg.length > 0 && unreg.length > 0 && exact === reg.length && spread === unreg.length && Math.max(...errors) < FINETUNE_ERROR_TOL,
        };
      }),
  },
  {
    id: "asymmetric-exact-r",
    config: "asymmetric",
    statement: "In asymmetric sensing M* = U*V*ᵀ, the penalty on the paired columns [u_i; v_i] makes pruning keep exactly r pairs; without it (λ = 0) the same ε keeps at least 3r.",
    check: ({ records }) =>
      byKind(records, (rs, kind) => {
        const reg = rs.filter((r) => r.config.train.lambda > 0);
        const unreg = rs.filter((r) => r.config.train.lambda === 0);
        const exact = reg.filter((r) => ok(r) && r.metrics.kept_columns === r.config.problem.r).length;
        const kept = unreg.map((r) => r.metrics.kept_columns);
        const r0 = rs[0].config.problem.r;
        return {
          measured: `${kind}: kept = r in ${exact}/${reg.length} runs with λ > 0; λ = 0 keeps ${Math.min(...kept)}–${Math.max(...kept)} (r = ${r0})`,
          holds: reg.length > 0 && unreg.length > 0 && exact === reg.length && unreg.every(ok) && Math.min(...kept) >= 3 * r0,
        };
      }),
  },
  {
    id: "asymmetric-linear-rate",
    config: "asymmetric",
    statement: `In asymmetric sensing, fine-tuning the pruned UVᵀ contracts linearly (fitted rate < 1) to relative recovery error ‖UVᵀ − M*‖_F/‖M*‖_F < ${FINETUNE_ERROR_TOL}.`,
    check: ({ records }) => linearRate(records),
  },
];
