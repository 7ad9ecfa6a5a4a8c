/** One line for any start-up failure: the reason, no stack. */
export function describeStartupError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code === 'EADDRINUSE') return `port ${e.port ?? ''} is already in use${e.address ? ` on ${e.address}` : ''}`.replace('  ', ' ');
  if (e?.code === 'EACCES' && e.syscall === 'listen') return `no permission to listen on port ${e.port ?? ''}`;
  if (e?.code === 'EADDRNOTAVAIL') return `cannot bind address ${e.address ?? ''}`;
  const message = err instanceof Error ? err.message : String(err);
  // Config errors list every problem, one per line: keep them all, on one line.
  return message.trim().replace(/\s*\n\s*/g, '; ');
}
