import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The node arguments of an npm script such as `start` (`node … dist/src/main.js`), so tests that
 * spawn the bot run exactly what `npm start` runs, with this test's Node binary.
 */
export function npmScriptArgs(name: string): string[] {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const [program, ...args] = (scripts[name] ?? '').split(/\s+/);
  if (program !== 'node') throw new Error(`npm script ${name} is expected to run node: ${scripts[name]}`);
  return args;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * `npm start` runs dist/, built at install. A test run after editing src/ rebuilds it first,
 * so the process tests never exercise stale JavaScript.
 */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync('dist/src/main.js').mtimeMs;
  } catch {
    // never built
  }
  const sources = Math.max(
    newestMtime('src'),
    statSync('tsconfig.json').mtimeMs,
    statSync('tsconfig.build.json').mtimeMs,
  );
  if (sources > built) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
