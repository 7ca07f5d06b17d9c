#!/usr/bin/env node
// Entry point of the `sealnet` command. Node 24 runs the TypeScript sources directly.
import { main } from '../client/cli/main.ts'

process.exitCode = await main(process.argv.slice(2))
