/**
 * Byte sizes as people write them ("512M", "8G", "1.5GB", "1e9"), read in one
 * place for every flag and variable that takes one (--max-memory,
 * PRUNE_SENSE_CACHE_MAX_BYTES). No project imports: any folder may use it.
 */

/** What a size may look like, said in every message about a bad one. */
export const BYTE_SIZE_EXAMPLES = "a size such as 512M, 8G or 1e9 (bytes)";

/**
 * The bytes `text` names (binary units: 1K = 1024; a trailing "B" or "iB" is
 * optional), or null when it is not a positive size.
 * @example readByteSize("1.5G") // → 1610612736; readByteSize("8Q") // → null
 */
export function readByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  const scale = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[(m?.[2] ?? "").toLowerCase()];
  const value = m && scale ? Number(m[1]) * scale : NaN;
  return Number.isFinite(value) && value > 0 ? value : null;
}
