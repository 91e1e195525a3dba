#!/usr/bin/env node
// Starts the program, nothing else: all logic lives in src/cli (compiled to dist/, bundled into dist/bundle/).
// A bare --version is answered before the program loads: it needs only package.json (start-up time, docs/speed.md).
import { readFileSync, writeSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  try {
    writeSync(1, `${version}\n`);
  } catch (err) {
    // a reader that went away (| head -0) is not an error; anything else is
    if (err?.code !== "EPIPE") throw err;
  }
} else {
  const { main } = await import("../dist/bundle/main.js");
  main(process.argv);
}
