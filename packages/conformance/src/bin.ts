#!/usr/bin/env node
// The entry file: the only place that reads process.argv or sets the exit code.
import { runCli } from "./cli.js";

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
