// Creating a channel in the dialog, then reading what the API stored.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { adminApi, renderSignedIn, unique } from '../../testing/render';
import { ChannelsPage } from './index';
import { channelByName, ensureTestGroup, fill, simulatorUrl, TEST_GROUP, setupUser } from './testing';

/** These drive a large form against a gateway other test files share: generous time under load. */
const SLOW = 40_000;
const made: number[] = [];
afterEach(async () => {
  for (const id of made.splice(0)) await adminApi().delete(`/api/channels/${id}`).catch(() => undefined);
});

describe('ChannelsPage: create', () => {
  it('creates a simulator channel with two keys, models and a mapping', async () => {
    const user = setupUser();
    const name = unique('ui-create');
    const simUrl = await simulatorUrl();
    await ensureTestGroup();
    await renderSignedIn(<ChannelsPage />);
    await user.click(await screen.findByRole('button', { name: 'New channel' }));
    const dialog = screen.getByRole('dialog', { name: 'New channel' });
    const d = within(dialog);

    await fill(user, d.getByLabelText('Name'), name);
    await user.selectOptions(d.getByLabelText('Type'), 'simulator');
    // The type's default address is offered as the placeholder; the simulator has none, openai does.
    expect(d.getByLabelText('Base URL')).toHaveAttribute('placeholder', '');
    await fill(user, d.getByLabelText('Base URL'), simUrl);
    await fill(user, d.getByLabelText('API keys, one per line'), 'sim-key-a\nsim-key-b\n');
    await fill(user, d.getByLabelText('New model'), 'gpt-4o-mini, claude-sonnet-4-5');
    await user.keyboard('{Enter}');
    expect(d.getByRole('button', { name: 'Remove model gpt-4o-mini' })).toBeInTheDocument();
    await user.click(d.getByRole('button', { name: 'Add mapping' }));
    await fill(user, d.getByLabelText('Client model'), `${name}-fast`);
    await fill(user, d.getByLabelText('Upstream model'), 'gpt-4o-mini');
    // Quick add: the mapping's client model becomes a served model in one click.
    await user.click(d.getByRole('button', { name: 'Add 1 mapped model' }));
    // Served to this page's test group only, so no other test's relay call lands here.
    await user.click(d.getByRole('checkbox', { name: TEST_GROUP }));
    await user.click(d.getByRole('checkbox', { name: 'default' }));
    await fill(user, d.getByLabelText('Priority'), '7');
    await user.selectOptions(d.getByLabelText('Key rotation'), 'random');
    await fill(user, d.getByLabelText('First byte'), '15000');
    await fill(user, d.getByLabelText('Connect'), '2500');
    await user.click(d.getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText(`Channel ${name} created.`)).toBeInTheDocument();
    const stored = await channelByName(name);
    expect(stored).toBeDefined();
    made.push(stored!.id);
    expect(stored).toMatchObject({
      type: 'simulator',
      base_url: simUrl.replace(/\/+$/, ''),
      key_count: 2,
      models: ['gpt-4o-mini', 'claude-sonnet-4-5', `${name}-fast`],
      model_mapping: { [`${name}-fast`]: 'gpt-4o-mini' },
      groups: [TEST_GROUP],
      priority: 7,
      weight: 1,
      status: 'enabled',
    });
    expect(stored!.settings).toEqual({ key_rotation: 'random', timeouts: { first_byte_ms: 15000, connect_ms: 2500 } });
    expect(stored!.keys.map((k) => k.status)).toEqual(['enabled', 'enabled']);
    // The new row is listed (filtering by name narrows the shared list to it).
    await fill(user, screen.getByRole('searchbox', { name: 'Name' }), name);
    expect(await screen.findByRole('button', { name: `Edit ${name}` })).toBeInTheDocument();
  }, SLOW);

  it('refuses before sending: a missing name, an openai-compatible channel without URL, no keys', async () => {
    const user = setupUser();
    const name = unique('ui-refused');
    await renderSignedIn(<ChannelsPage />);
    await user.click(await screen.findByRole('button', { name: 'New channel' }));
    const d = within(screen.getByRole('dialog'));
    expect(d.getByLabelText('Base URL')).toHaveAttribute('placeholder', 'https://api.openai.com');
    await user.selectOptions(d.getByLabelText('Type'), 'openai-compatible');
    await user.click(d.getByRole('button', { name: 'Create' }));
    expect(d.getByLabelText('Name')).toHaveAccessibleDescription('Required.');
    expect(d.getByLabelText('Base URL')).toHaveAccessibleDescription(/needs its server’s URL/);
    expect(d.getByLabelText('API keys, one per line')).toHaveAccessibleDescription('Add at least one key.');
    await fill(user, d.getByLabelText('Name'), name);
    await user.click(d.getByRole('button', { name: 'Create' }));
    expect(await channelByName(name)).toBeUndefined();
  }, SLOW);

  it('shows the server’s refusal near the form', async () => {
    const user = setupUser();
    await renderSignedIn(<ChannelsPage />);
    await user.click(await screen.findByRole('button', { name: 'New channel' }));
    const d = within(screen.getByRole('dialog'));
    // The shared channel's name is taken: the API answers 409 and the dialog stays open with its message.
    await fill(user, d.getByLabelText('Name'), 'sim');
    await user.selectOptions(d.getByLabelText('Type'), 'simulator');
    await user.click(d.getByRole('button', { name: 'Create' }));
    expect(await d.findByRole('alert')).toHaveTextContent(/sim/);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  }, SLOW);
});

describe('ChannelsPage: access', () => {
  it('a plain user is told the page is for administrators, and sees no channel', async () => {
    const user = await adminApi().post<{ access_key: string }>('/api/users', { name: unique('plain') });
    await renderSignedIn(<ChannelsPage />, { accessKey: user.access_key });
    expect(await screen.findByText('Only administrators manage channels.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New channel' })).not.toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  }, SLOW);
});
