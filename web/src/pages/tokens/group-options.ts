// The groups a form may offer. Admins read them all (`GET /api/groups`, plus
// "default", which always exists even when not listed); a plain user may put
// a token only in their own group, which the server enforces too.
import { useApi } from '../../api/use-api';
import type { Page } from '../../api/client';
import { useSession } from '../../auth/session';

export interface GroupView {
  id: number;
  name: string;
  ratio: number;
  description: string;
}

export const DEFAULT_GROUP = 'default';

export function useGroupNames(): string[] {
  const { isAdmin, user } = useSession();
  const { data } = useApi((api) => (isAdmin ? api.get<Page<GroupView>>('/api/groups') : Promise.resolve(undefined)), [isAdmin]);
  if (!isAdmin) return [user.group];
  const names = new Set([DEFAULT_GROUP, ...(data?.items.map((g) => g.name) ?? [])]);
  return [...names].sort((a, b) => a.localeCompare(b));
}
