#!/usr/bin/env node
// The same .env as the bot's, for the commands that open its database (backup, forget-team).
import 'dotenv/config';
import { runCli } from './run-cli';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
);
