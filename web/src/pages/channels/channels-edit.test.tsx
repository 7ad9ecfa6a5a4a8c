// Editing, key actions, JSON checks before submit, enable/disable and delete,
// each checked through the API.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminApi, renderSignedIn } from '../../testing/render';
import { ChannelsPage } from './index';
import { channelByName, createChannel, fill, getChannel, setupUser } from './testing';

/** These drive a large form against a gateway other test files share: generous time under load. */
const SLOW = 40_000;
const made: number[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const id of made.splice(0)) await adminApi().delete(`/api/channels/${id}`).catch(() => undefined);
});

/** The page narrowed to one channel by the name filter, and its edit dialog opened. */
async function openEditor(name: string) {
  const user = setupUser();
  await renderSignedIn(<ChannelsPage />);
  await fill(user, await screen.findByRole('searchbox', { name: 'Name' }), name);
  await user.click(await screen.findByRole('button', { name: `Edit ${name}` }));
  const dialog = screen.getByRole('dialog', { name: `Edit channel ${name}` });
  return { user, d: within(dialog) };
}

describe('ChannelsPage: edit', () => {
  it('saves priority and weight and keeps keys and other settings', async () => {
    const ch = await createChannel({ keys: ['sim-k1', 'sim-k2'], models: ['gpt-4o-mini'], priority: 1, weight: 1, settings: { breaker: { failures: 3 }, test_model: 'gpt-4o-mini' } });
    made.push(ch.id);
    const { user, d } = await openEditor(ch.name);
    expect(d.getByLabelText('Test model')).toHaveValue('gpt-4o-mini');
    await fill(user, d.getByLabelText('Priority'), '42');
    await fill(user, d.getByLabelText('Weight'), '9');
    await user.click(d.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(`Channel ${ch.name} saved.`)).toBeInTheDocument();
    const stored = await getChannel(ch.id);
    expect(stored).toMatchObject({ priority: 42, weight: 9, key_count: 2, models: ['gpt-4o-mini'] });
    // Settings the form does not show survive the round trip.
    expect(stored.settings).toEqual({ breaker: { failures: 3 }, test_model: 'gpt-4o-mini' });
    expect(stored.keys.map((k) => k.id)).toEqual(ch.keys.map((k) => k.id));
  }, SLOW);

  it('disables and re-enables one key at once, and adds and removes keys on save', async () => {
    const ch = await createChannel({ keys: ['sim-key-first-0001', 'sim-key-second-0002'], models: ['gpt-4o-mini'] });
    made.push(ch.id);
    const [first, second] = ch.keys;
    const { user, d } = await openEditor(ch.name);
    const disable = d.getAllByRole('button', { name: /^Disable key / });
    expect(disable).toHaveLength(2);
    await user.click(disable[0]!);
    await waitFor(async () => expect((await getChannel(ch.id)).keys.find((k) => k.id === first!.id)?.status).toBe('disabled'));
    expect((await getChannel(ch.id)).keys.find((k) => k.id === second!.id)?.status).toBe('enabled');
    const enable = await d.findByRole('button', { name: `Enable key ${first!.key}` });
    await user.click(enable);
    await waitFor(async () => expect((await getChannel(ch.id)).keys.find((k) => k.id === first!.id)?.status).toBe('enabled'));

    // Drop the second stored key, add a new one: stored keys are kept by id.
    await user.click(d.getByRole('button', { name: `Remove key ${second!.key}` }));
    await fill(user, d.getByLabelText('Add keys, one per line'), 'sim-key-third-0003');
    await user.click(d.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const stored = await getChannel(ch.id);
    expect(stored.key_count).toBe(2);
    expect(stored.keys[0]!.id).toBe(first!.id);
    expect(stored.keys.map((k) => k.key)).toEqual([first!.key, 'sim-key…0003']);
  }, SLOW);

  it('refuses a bad param_override before submit: no call made, the channel unchanged', async () => {
    const ch = await createChannel({ models: ['gpt-4o-mini'], priority: 3, settings: { param_override: { temperature: 0.5 } } });
    made.push(ch.id);
    const { user, d } = await openEditor(ch.name);
    const override = d.getByLabelText('Parameter override (JSON)');
    expect(JSON.parse((override as HTMLTextAreaElement).value)).toEqual({ temperature: 0.5 });
    await fill(user, d.getByLabelText('Priority'), '99');
    await fill(user, override, '{"temperature": 0.2,');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    await user.click(d.getByRole('button', { name: 'Save' }));
    expect(override).toHaveAccessibleDescription(/Not valid JSON/);
    expect(d.getByText('Some fields need attention; nothing was sent.')).toBeInTheDocument();
    const writes = fetchSpy.mock.calls.filter(([, init]) => init?.method !== undefined && init.method !== 'GET');
    expect(writes).toEqual([]);
    const stored = await getChannel(ch.id);
    expect(stored).toMatchObject({ priority: 3, updated_at: ch.updated_at });
    expect(stored.settings).toEqual({ param_override: { temperature: 0.5 } });

    // An array is JSON but not an object; header values must be strings; then a good edit goes through.
    await fill(user, override, '[1, 2]');
    await user.click(d.getByRole('button', { name: 'Save' }));
    expect(override).toHaveAccessibleDescription(/Expected a JSON object/);
    await fill(user, override, '{"temperature": 0.2, "top_p": null}');
    await fill(user, d.getByLabelText('Header override (JSON)'), '{"x-team": "ops"}');
    await fill(user, d.getByLabelText('Status code mapping (JSON)'), '{"404": 500}');
    await user.click(d.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect((await getChannel(ch.id)).settings).toEqual({
      param_override: { temperature: 0.2, top_p: null },
      header_override: { 'x-team': 'ops' },
      status_code_mapping: { '404': 500 },
    });
  }, SLOW);

  it('sends proxy and all four timeouts; the API refuses a bad proxy with its own message', async () => {
    const ch = await createChannel({ models: ['gpt-4o-mini'] });
    made.push(ch.id);
    const { user, d } = await openEditor(ch.name);
    await fill(user, d.getByLabelText('Connect'), '1500');
    await fill(user, d.getByLabelText('First byte'), '20000');
    await fill(user, d.getByLabelText('Idle between chunks'), '30000');
    await fill(user, d.getByLabelText('Whole request'), '600000');
    // Passes the page's check (a socks5 URL), refused by the gateway (no host-less path allowed).
    await fill(user, d.getByLabelText('Proxy'), 'socks5://proxy.example:1080/path');
    await user.click(d.getByRole('button', { name: 'Save' }));
    expect(await d.findByText(/proxy/i, { selector: '.notice-error' })).toBeInTheDocument();
    expect(d.getByLabelText('Proxy')).toHaveAccessibleDescription(/Refused by the gateway: .*without a path/);
    expect((await getChannel(ch.id)).settings).toEqual({});
    await fill(user, d.getByLabelText('Proxy'), 'http://ops:secret@proxy.example:8080');
    await user.click(d.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const stored = await getChannel(ch.id);
    // The password never comes back; the rest does.
    expect(stored.settings).toEqual({
      proxy: 'http://ops:…@proxy.example:8080',
      timeouts: { connect_ms: 1500, first_byte_ms: 20000, idle_ms: 30000, total_ms: 600000 },
    });
  }, SLOW);

  it('disables, enables and deletes a channel from its row', async () => {
    const ch = await createChannel({ models: ['gpt-4o-mini'] });
    made.push(ch.id);
    const user = setupUser();
    await renderSignedIn(<ChannelsPage />);
    await fill(user, await screen.findByRole('searchbox', { name: 'Name' }), ch.name);
    await user.click(await screen.findByRole('button', { name: `Disable ${ch.name}` }));
    expect(await screen.findByRole('button', { name: `Enable ${ch.name}` })).toBeInTheDocument();
    expect((await getChannel(ch.id)).status).toBe('disabled');
    await user.click(screen.getByRole('button', { name: `Enable ${ch.name}` }));
    await waitFor(async () => expect((await getChannel(ch.id)).status).toBe('enabled'));

    await user.click(await screen.findByRole('button', { name: `Delete ${ch.name}` }));
    const confirm = within(screen.getByRole('dialog', { name: 'Delete channel' }));
    expect(confirm.getByText(`Delete ${ch.name}? This cannot be undone.`)).toBeInTheDocument();
    await user.click(confirm.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText(`Channel ${ch.name} deleted.`)).toBeInTheDocument();
    expect(await channelByName(ch.name)).toBeUndefined();
    await waitFor(() => expect(screen.queryByRole('button', { name: `Edit ${ch.name}` })).not.toBeInTheDocument());
  }, SLOW);
});
