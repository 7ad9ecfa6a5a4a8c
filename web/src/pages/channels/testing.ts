// Helpers for this page's component tests: channels made straight through the
// API (unique names, a group of their own; the shared `sim` channel is only
// read), the simulator's address, and a port nothing listens on.
import { configure } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { createServer, type AddressInfo } from 'node:net';
import { adminApi, unique } from '../../testing/render';
import type { Page } from '../../api/client';
import type { ChannelView } from './types';

// Saves and tests go through a gateway other test files load at the same time: wait up to 5 s, not 1.
configure({ asyncUtilTimeout: 5_000 });

/** The test simulator's URL, read from the shared `sim` channel. */
export async function simulatorUrl(): Promise<string> {
  const page = await adminApi().get<Page<ChannelView>>('/api/channels', { name: 'sim', page_size: 100 });
  const sim = page.items.find((c) => c.name === 'sim');
  if (!sim?.base_url) throw new Error('the shared sim channel has no base_url');
  return sim.base_url;
}

/**
 * The group this page's test channels serve: no token of the shared gateway
 * routes there, so other test files' relay calls never land on a channel
 * made here (some point at closed ports).
 */
export const TEST_GROUP = 'channels-page-tests';

export async function ensureTestGroup(): Promise<void> {
  await adminApi().post('/api/groups', { name: TEST_GROUP, description: 'channels page component tests' });
}

export async function createChannel(body: Record<string, unknown>): Promise<ChannelView> {
  await ensureTestGroup();
  return adminApi().post<ChannelView>('/api/channels', { name: unique('ch'), type: 'simulator', groups: [TEST_GROUP], ...body });
}

export function getChannel(id: number): Promise<ChannelView> {
  return adminApi().get<ChannelView>(`/api/channels/${id}`);
}

export async function channelByName(name: string): Promise<ChannelView | undefined> {
  const page = await adminApi().get<Page<ChannelView>>('/api/channels', { name, page_size: 100 });
  return page.items.find((c) => c.name === name);
}

/** A port nothing listens on: bind one, then let it go. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Replaces a control's text at once (typing key by key re-renders the whole dialog each time). */
export async function fill(user: UserEvent, control: HTMLElement, text: string): Promise<void> {
  await user.clear(control);
  await user.click(control);
  if (text !== '') await user.paste(text);
}

/** userEvent without the pointer-events check: jsdom loads no CSS, and the check's style walks make each click slow. */
export const setupUser = (): UserEvent => userEvent.setup({ pointerEventsCheck: 0 });
