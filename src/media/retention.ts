// Deletes stored images after the retention period, on a timer that never
// keeps the process alive.
import type { ImageStore } from './image-store.js';

export interface ImagePruner {
  stop(): void;
}

export interface PrunerHooks {
  /** Called with each failed prune; the pruner keeps going. */
  onError?: (err: unknown) => void;
  onPruned?: (count: number) => void;
}

export function startImagePruner(store: ImageStore, retentionMs: number, intervalMs: number, hooks: PrunerHooks = {}): ImagePruner {
  let running = false;
  let stopped = false;
  const run = (): void => {
    if (running || stopped) return; // a slow prune is not started twice
    running = true;
    store
      .prune(retentionMs)
      .then((count) => hooks.onPruned?.(count), (err: unknown) => hooks.onError?.(err))
      .finally(() => (running = false));
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
