#!/usr/bin/env node
// Starts the program, nothing else: all logic lives in src/cli (compiled to dist/, bundled into dist/bundle/).
import { main } from "../dist/bundle/main.js";

main(process.argv);
