#!/usr/bin/env node
// Starts the program, nothing else: all logic lives in src/cli (compiled to dist/).
import { main } from "../dist/cli/main.js";

main(process.argv);
