/**
 * The reference sections of docs/ that are generated from the source, so they
 * cannot go stale: the config keys (from the zod schema, via its JSON Schema,
 * with the resolved defaults) and the commands with their options (from the
 * commander program itself) and the speed tables (from the committed
 * `bench --json` report). `npm run docs` rewrites each section between its
 * marker comments; a test fails when a committed section differs.
 */
import { readFileSync } from "node:fs";
import type { Command, Option } from "commander";
import { formatFullBenchReport, type FullBenchReport } from "../bench/report.js";
import { packagePath } from "../package/assets.js";
import { configJsonSchema } from "../config/schema.js";
import { DEFAULTS, PERTURB_DEFAULTS } from "../config/resolved.js";
import { findOptimizer, optimizerKinds } from "../methods/optimizers/registry.js";
import { buildProgram } from "./main.js";
import type { Io } from "./io.js";

/** A JSON Schema node, as much of it as the tables read. */
interface Node {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Node[];
  properties?: Record<string, Node>;
  additionalProperties?: Node | boolean;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  description?: string;
}

/** The largest safe integer zod writes as the maximum of every integer: not a real limit. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** `|` inside a table cell would end the cell. */
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** One node's accepted values in a few words: `integer > 0`, `number ≥ 0 or formula`, `a | b`. */
function typeText(node: Node): string {
  if (node.anyOf) {
    const parts = node.anyOf.map((n) => (n.type === "string" && n.description?.startsWith("a mathjs formula") ? "formula" : typeText(n)));
    return [...new Set(parts)].join(" or ");
  }
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(" | ");
  const type = Array.isArray(node.type) ? node.type.join("/") : node.type ?? "any";
  const bounds: string[] = [];
  if (node.exclusiveMinimum !== undefined) bounds.push(`> ${node.exclusiveMinimum}`);
  if (node.minimum !== undefined) bounds.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined && node.maximum !== NO_LIMIT) bounds.push(`≤ ${node.maximum}`);
  return [type, ...bounds].join(" ");
}

/** The default of a dotted path: the resolved defaults, perturb's and each optimizer's parameters. */
function defaultOf(path: string): string {
  const optimizerParam = /^(train|finetune)\.optimizer\.(\w+)$/.exec(path);
  if (optimizerParam) {
    const param = optimizerKinds.flatMap((kind) => findOptimizer(kind)?.params ?? []).find((p) => p.name === optimizerParam[2]);
    if (param) return String(param.default);
  }
  const perturb = /^train\.perturb\.(\w+)$/.exec(path);
  if (perturb && perturb[1] in PERTURB_DEFAULTS) return String(PERTURB_DEFAULTS[perturb[1] as keyof typeof PERTURB_DEFAULTS]);
  // train.penalty.{lambda, beta} are train.lambda, train.beta written inside the block
  const lifted = path.replace(/^train\.penalty\.(lambda|beta)$/, "train.$1");
  let value: unknown = DEFAULTS;
  for (const key of lifted.split(".")) {
    if (value === null || typeof value !== "object" || !(key in value)) return "";
    value = (value as Record<string, unknown>)[key];
  }
  return value === null || typeof value === "object" ? "" : String(value);
}

/** Rows `path, values, default, meaning` for every key of the config, depth first, in schema order. */
function keyRows(node: Node, prefix: string): string[][] {
  const rows: string[][] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (key === "$schema") continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.properties && !child.anyOf) {
      rows.push(...keyRows(child, path));
      continue;
    }
    const values = child.properties || path === "sweep" || path === "formulas" ? "mapping" : typeText(child);
    rows.push([`\`${path}\``, values, defaultOf(path), child.description ?? ""]);
  }
  return rows;
}

/** The config reference table: every key, what it accepts, its default and its meaning. */
export function configKeysTable(): string[] {
  const rows = keyRows(configJsonSchema() as Node, "");
  return [
    "| key | accepts | default | meaning |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.map((c, i) => (i === 2 && c !== "" ? `\`${c}\`` : cell(c))).join(" | ")} |`),
  ];
}

/** `run <config> [options]`: the command's name and arguments as `--help` shows them. */
function usageOf(cmd: Command, name = cmd.name()): string {
  return `prune-sense ${name} ${cmd.usage()}`.trim();
}

/** One option row: its flags, its description, and its default when commander knows one. */
function optionRow(option: Option): string {
  const fallback = option.defaultValue === undefined ? "" : ` (default: ${JSON.stringify(option.defaultValue)})`;
  return `| \`${option.flags}\` | ${cell(option.description + fallback)} |`;
}

/** The commands table and, per command, its options: everything `--help` says, from the same program. */
export async function commandsReference(): Promise<string[]> {
  const silent: Io = { out: () => undefined, info: () => undefined, warn: () => undefined, setExitCode: () => undefined };
  const program = await buildProgram(silent, []);
  // a command with subcommands (plugin test) is listed by its subcommands: the group itself does nothing
  const commands = program.commands
    .flatMap((c) => (c.commands.length ? c.commands.map((sub) => ({ cmd: sub, name: `${c.name()} ${sub.name()}` })) : [{ cmd: c, name: c.name() }]))
    .sort((a, b) => a.name.localeCompare(b.name));
  const anchor = (name: string): string => name.replace(/ /g, "-");
  const lines = ["| command | does |", "|---|---|", ...commands.map(({ cmd, name }) => `| [\`${usageOf(cmd, name)}\`](#${anchor(name)}) | ${cell(cmd.description())} |`)];
  for (const { cmd, name } of commands) {
    lines.push("", `### ${name}`, "", `\`${usageOf(cmd, name)}\`: ${cell(cmd.description())}`, "");
    const args = cmd.registeredArguments;
    if (args.length) lines.push(...args.map((a) => `- \`${a.required ? `<${a.name()}>` : `[${a.name()}]`}\`: ${a.description}`), "");
    lines.push("| option | meaning |", "|---|---|", ...cmd.options.map(optionRow), "| `-h, --help` | display help for command |");
  }
  return lines;
}

/** Every generated section, by its marker name. */
/** Where the measured benchmark the docs show is kept (`bench --json`, run idle on a release). */
export const BENCH_JSON = "docs/bench.json";

/**
 * The speed tables of docs/speed.md: the committed `bench --json` report rendered
 * by the same code as `bench`'s terminal output, under a line naming what was measured.
 */
export function benchSection(json: string): string[] {
  const report = JSON.parse(json) as FullBenchReport;
  const date = report.started.slice(0, 10);
  return [
    `prune-sense ${report.prune_sense ?? "0.1.0"}, measured ${date} (\`${BENCH_JSON}\`):`,
    "",
    "```",
    ...formatFullBenchReport(report).split("\n"),
    "```",
  ];
}

/** Where the measured run of the bundled phase diagram is kept (scripts/phase-diagram.mjs writes it). */
export const PHASE_DIAGRAM_JSON = "docs/phase-diagram.json";

/** What scripts/phase-diagram.mjs records of one run of configs/phase-diagram.yaml. */
export interface PhaseDiagramRecord {
  prune_sense: string;
  measured: string;
  machine: string;
  command: string;
  runs: number;
  ok: number;
  diverged: number;
  failed: number;
  /** The λ (as written) and κ of the runs that diverged. */
  diverged_settings: string[];
  /** ε values swept per λ. */
  thresholds_per_lambda: number;
  /** Per λ, the ε at which every run (every κ, k and seed) kept exactly r. */
  all_exact: Array<{ lambda: string; thresholds: string[] }>;
  wall_seconds: number;
  plot_seconds: number;
  by_kappa: Array<{ kappa: number; cells: number; exact_r_cells: number }>;
}

/** The README's lines on the measured phase diagram: how long it took, and how much of it keeps exactly r. */
export function phaseDiagramSection(json: string): string[] {
  const p = JSON.parse(json) as PhaseDiagramRecord;
  const minutes = (p.wall_seconds / 60).toFixed(1);
  const cells = p.by_kappa.map((b) => `${b.exact_r_cells} of ${b.cells} at κ = ${b.kappa}`).join(", ");
  const n = (x: number) => x.toLocaleString("en-US");
  const band = p.all_exact.map((b) => `λ = ${b.lambda} with ε from ${b.thresholds[0]} to ${b.thresholds[b.thresholds.length - 1]} ` +
    `(${b.thresholds.length} of ${p.thresholds_per_lambda})`).join("; ");
  return [
    `\`${p.command}\` ran its ${n(p.runs)} runs in ${minutes} min (${p.wall_seconds} s) on ${p.machine}, ` +
      `prune-sense ${p.prune_sense}, ${p.measured.slice(0, 10)}; \`plot\` took ${p.plot_seconds} s more. ` +
      `${n(p.ok)} runs finished, ${n(p.diverged)} diverged in training (${p.diverged_settings.join(", ") || "none"}), ${n(p.failed)} failed. ` +
      `Cells (λ, ε, k) where every seed kept exactly r: ${cells}. Every run, whatever κ, k and seed, kept exactly r at ${band || "no setting"}.`,
    "",
    "![Phase diagram: columns kept](docs/figures/phase-kept-matrix-sensing.svg)",
    "",
    "![Phase diagram: recovery error](docs/figures/phase-error-matrix-sensing.svg)",
  ];
}

/** What `run configs/sweep-k-lambda-eps.yaml` printed when it ended (scripts/sweep-end.mjs captures it). */
export const SWEEP_END_TXT = "docs/sweep-end.txt";

/** The seconds a sweep's last line reports ("… · total 9.8 s"). */
export function sweepSeconds(text: string): string | null {
  return /· total ([\d.]+ s)\s*$/m.exec(text)?.[1] ?? null;
}

/** The README's tour step 2 output: the captured end of the 108-run sweep, under a line with its time. */
export function sweepEndSection(text: string): string[] {
  return [
    `When it ends it prints one table, seeds aggregated (${sweepSeconds(text) ?? "time not reported"} for the 108 runs with two workers on a 2-core machine):`,
    "",
    "```",
    ...text.trimEnd().split("\n"),
    "```",
  ];
}

export async function generatedSections(): Promise<Record<string, string[]>> {
  const bench = readFileSync(packagePath(BENCH_JSON), "utf8");
  const phase = readFileSync(packagePath(PHASE_DIAGRAM_JSON), "utf8");
  return {
    "config-keys": configKeysTable(), commands: await commandsReference(), bench: benchSection(bench),
    "phase-diagram": phaseDiagramSection(phase),
    "sweep-end": sweepEndSection(readFileSync(packagePath(SWEEP_END_TXT), "utf8")),
  };
}

/** The marker pair around a generated section. */
export function markers(name: string): [string, string] {
  return [`<!-- generated:${name} (npm run docs; do not edit by hand) -->`, `<!-- /generated:${name} -->`];
}

/**
 * `text` with every generated section it holds replaced by `sections`' lines;
 * sections it does not hold are left out, a start marker without its end is an error.
 */
export function fillSections(text: string, sections: Record<string, string[]>): string {
  let out = text;
  for (const [name, lines] of Object.entries(sections)) {
    const [start, end] = markers(name);
    const from = out.indexOf(start);
    if (from < 0) continue;
    const to = out.indexOf(end, from);
    if (to < 0) throw new Error(`${start} has no ${end}`);
    out = out.slice(0, from + start.length) + "\n" + lines.join("\n") + "\n" + out.slice(to);
  }
  return out;
}
