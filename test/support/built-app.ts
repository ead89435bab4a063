import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './fixtures';

/** `dist/app.js`, what `npm start` runs, compiled again first when `src/` is newer, so a test runs the code in front of it. */
export function builtApp(): string {
  const app = path.join(REPO, 'dist', 'app.js');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const file = path.join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
    }, 0);
  if (!fs.existsSync(app) || fs.statSync(app).mtimeMs < newest(path.join(REPO, 'src'))) {
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe' });
  }
  return app;
}
