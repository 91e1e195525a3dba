/**
 * Errors of the environment (full disk, read-only or kernel file system,
 * permissions, a file where a folder should be, a name too long) are the
 * user's to fix, not bugs: they become one line naming the path, exit code 2.
 */
import { UserError } from "../errors.js";
import { SpecialFileError } from "../files/special-files.js";
import { TEMP_MARKER } from "../files/temp-names.js";

/**
 * errno codes that mean "this path cannot be used here", never a bug in prune-sense.
 * ENOENT and EEXIST are not among them: when they reach the boundary they are our bug.
 */
export const ENVIRONMENT_CODES = new Set([
  "ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "ENAMETOOLONG", "ELOOP",
  "EIO", "EMFILE", "ENFILE",
]);

/** True for a Node.js file-system error caused by the environment, or a special file where ours should be. */
export function isEnvironmentError(err: unknown): err is NodeJS.ErrnoException | SpecialFileError {
  if (err instanceof SpecialFileError) return true;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && ENVIRONMENT_CODES.has(code);
}

/** The file a temp file stands for: `x.csv.tmp-host-1-2` → `x.csv`. */
function targetOf(path: string): string {
  const i = path.lastIndexOf(TEMP_MARKER);
  return i > 0 ? path.slice(0, i) : path;
}

const READS = new Set(["read", "open-read", "scandir", "stat", "lstat", "access", "readlink"]);

/**
 * One line for an environment error, naming the file it concerns (not our temp name):
 * `results/x/summary.csv: cannot write (ENOSPC: no space left on device)`.
 */
export function environmentErrorLine(err: NodeJS.ErrnoException | SpecialFileError, fallbackPath = ""): string {
  if (err instanceof SpecialFileError) return err.message;
  const path = targetOf(err.path ?? fallbackPath);
  const reason = err.message.replace(/^[A-Z]+: /, "").split(",")[0];
  const verb = READS.has(err.syscall ?? "") ? "cannot read" : "cannot write";
  return `${path || "(unknown path)"}: ${verb} (${err.code}: ${reason})`;
}

/** The UserError (exit 2) for an environment error. */
export function environmentError(err: NodeJS.ErrnoException | SpecialFileError, fallbackPath = ""): UserError {
  return new UserError(environmentErrorLine(err, fallbackPath));
}
