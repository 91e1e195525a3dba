/** Global teardown: delete the temp cache folder vitest.config.ts points XDG_CACHE_HOME at. */
import { rmSync } from "node:fs";
import { basename } from "node:path";

export default function setup(): () => void {
  const dir = process.env.XDG_CACHE_HOME ?? "";
  return () => {
    if (basename(dir).startsWith("prune-sense-test-cache-")) rmSync(dir, { recursive: true, force: true });
  };
}
