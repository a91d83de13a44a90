import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const serviceDir = fileURLToPath(new URL('../..', import.meta.url));

describe('configuration', () => {
  it('uses safe defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: '.data', QUEUE_ENABLED: true });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reports every bad variable by name', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://localhost/x',
        ROSTER_ENCRYPTION_KEY: 'short',
        QUEUE_ENABLED: 'maybe',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const variables = (err as ConfigError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['DATABASE_URL', 'PORT', 'QUEUE_ENABLED', 'ROSTER_ENCRYPTION_KEY']);
      expect((err as ConfigError).message).toContain('ROSTER_ENCRYPTION_KEY: must be 32 bytes');
    }
  });

  it('refuses to start with a bad variable and names it on stderr', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: serviceDir,
      env: { ...process.env, PORT: 'not-a-port', DATABASE_URL: '' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('PORT:');
  });
});
