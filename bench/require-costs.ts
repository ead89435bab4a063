import Module from 'node:module';
import path from 'node:path';

/**
 * What loading a module costs, package by package: run as `node require-costs.js <module>`, it loads the
 * module (for roundup, dist/app.js, whose main() does not run when it is required) and prints, as JSON, each
 * package's first load with its time and the growth in resident memory meanwhile (what it loads in turn
 * included). Packages loaded inside another are listed too.
 */
interface Load {
  name: string;
  ms: number;
  mb: number;
  /** The file that loaded it first. */
  from: string;
}

const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const original = loader._load;
const loads: Load[] = [];
const seen = new Set<string>();
loader._load = function (request: string, ...rest: unknown[]) {
  const isPackage = !request.startsWith('.') && !request.startsWith('/') && !request.startsWith('node:');
  const first = isPackage && !Module.builtinModules.includes(request) && !seen.has(request);
  if (first) seen.add(request);
  const started = process.hrtime.bigint();
  const rss = process.memoryUsage().rss;
  try {
    return original.call(this, request, ...rest);
  } finally {
    if (first) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Relative to the working folder, so that results name no machine's paths.
      const from = path.relative(
        process.cwd(),
        (rest[0] as { filename?: string } | undefined)?.filename ?? '',
      );
      loads.push({ name: request, ms, mb: (process.memoryUsage().rss - rss) / 2 ** 20, from });
    }
  }
};

const target = process.argv[2];
if (!target) throw new Error('give the module to load');
const started = process.hrtime.bigint();
require(target);
const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ totalMs, rssMb: process.memoryUsage().rss / 2 ** 20, loads })}\n`);
