// Channel id → name, for admins (plain users never see channels). Shared
// with the dashboard's health table; a candidate for src/api/.
import type { Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';

export interface ChannelName {
  id: number;
  name: string;
}

export function useChannelNames(): { channels: ChannelName[]; nameOf: (id: number | null | undefined) => string } {
  const { isAdmin } = useSession();
  const list = useApi((a) => (isAdmin ? a.get<Page<ChannelName>>('/api/channels', { page_size: 100 }) : Promise.resolve(undefined)), [isAdmin]);
  const channels = list.data?.items ?? [];
  const nameOf = (id: number | null | undefined) => {
    if (id === null || id === undefined) return '–';
    const c = channels.find((ch) => ch.id === id);
    return c ? `${c.name} (#${id})` : `#${id}`;
  };
  return { channels, nameOf };
}
