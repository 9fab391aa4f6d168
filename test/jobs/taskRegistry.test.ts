import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../src/jobs/tasks/index.js';

describe('task registry', () => {
  it('registers every file under src/jobs/tasks/, each with its file name as task id', () => {
    const files = readdirSync(new URL('../../src/jobs/tasks/', import.meta.url))
      .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(tasks.map((task) => task.id).sort()).toEqual(files);
  });
});
