// The admin console (web/, built by Vite into web/dist) served at `/`.
// Built assets carry a content hash in their names, so they are cached for a
// year; index.html is always revalidated so a new build shows at once.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { consolePlaceholder } from './console-placeholder.js';

/**
 * web/dist of this installation: found by walking up from this file, which
 * runs from src/server (tests) or dist/src/server (the built gateway).
 */
export function findConsoleDir(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** `consoleDir: null` serves the placeholder (the console was not built). */
export function registerConsole(app: FastifyInstance, consoleDir: string | null | undefined = findConsoleDir()): void {
  if (!consoleDir) {
    app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(consolePlaceholder()));
    return;
  }
  void app.register(fastifyStatic, {
    root: consoleDir,
    prefix: '/',
    // Only the files present at start-up get routes: unknown paths keep the
    // dialect-shaped 404 of the relay and API routes.
    wildcard: false,
    index: 'index.html',
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
}
