#!/usr/bin/env node
// Entry point: the CLI is TypeScript, run through tsx's loader so there is no build step
// between editing a file and running it (npm start, npx kilohash).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../host/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
