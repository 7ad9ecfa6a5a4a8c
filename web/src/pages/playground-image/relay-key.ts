// The token key the playgrounds call the relay with (never the access key):
// one of the user's tokens, revealed through the management API, or a pasted
// key. Kept in sessionStorage so a reload keeps it and closing the tab forgets it.
import { useCallback, useState } from 'react';

export type RelayKeyChoice =
  | { source: 'token'; tokenId: number; name: string; key: string; /** The token's model limits; null = any model. */ models: string[] | null }
  | { source: 'pasted'; key: string };

const STORAGE = 'waystation.playground.key';

function isChoice(v: unknown): v is RelayKeyChoice {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  if (typeof c.key !== 'string') return false;
  if (c.source === 'pasted') return true;
  return c.source === 'token' && typeof c.tokenId === 'number' && typeof c.name === 'string' && (c.models === null || Array.isArray(c.models));
}

export function loadRelayKey(): RelayKeyChoice | undefined {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(STORAGE) ?? 'null');
    return isChoice(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function saveRelayKey(choice: RelayKeyChoice | undefined): void {
  if (choice) sessionStorage.setItem(STORAGE, JSON.stringify(choice));
  else sessionStorage.removeItem(STORAGE);
}

/** The remembered choice and a setter that remembers the new one. */
export function useRelayKey(): [RelayKeyChoice | undefined, (choice: RelayKeyChoice | undefined) => void] {
  const [choice, setChoice] = useState(loadRelayKey);
  const set = useCallback((next: RelayKeyChoice | undefined) => {
    saveRelayKey(next);
    setChoice(next);
  }, []);
  return [choice, set];
}

/** The models a choice may call: all of `models`, or those its token is limited to. */
export function allowedModels(models: readonly string[], choice: RelayKeyChoice | undefined): string[] {
  if (choice?.source !== 'token' || !choice.models || choice.models.length === 0) return [...models];
  const limit = new Set(choice.models);
  return models.filter((m) => limit.has(m));
}
