// The Test button against the real simulator and a closed port, and the live
// breaker state the list polls for.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { adminApi, gatewayUrl, renderSignedIn, tokenKey, unique } from '../../testing/render';
import { ChannelsPage } from './index';
import { createChannel, deadPort, fill, simulatorUrl, setupUser } from './testing';

/** These drive a large form against a gateway other test files share: generous time under load. */
const SLOW = 40_000;
const made: number[] = [];
afterEach(async () => {
  for (const id of made.splice(0)) await adminApi().delete(`/api/channels/${id}`).catch(() => undefined);
});

async function showOnly(name: string) {
  const user = setupUser();
  await renderSignedIn(<ChannelsPage />);
  await fill(user, await screen.findByRole('searchbox', { name: 'Name' }), name);
  await screen.findByRole('button', { name: `Edit ${name}` });
  return user;
}

describe('ChannelsPage: test', () => {
  it('Test on a simulator channel reports success with model and latency', async () => {
    const ch = await createChannel({ base_url: await simulatorUrl(), keys: ['sim-key'], models: ['gpt-4o-mini'] });
    made.push(ch.id);
    const user = await showOnly(ch.name);
    await user.click(screen.getByRole('button', { name: `Test ${ch.name}` }));
    const region = screen.getByRole('status', { name: 'Test result' });
    await waitFor(() => expect(region).toHaveTextContent(`Test of ${ch.name} passed: gpt-4o-mini answered in`));
    expect(region).toHaveTextContent(/\d+ ms \(HTTP 200\)/);
  }, SLOW);

  it('Test on a channel at a closed port shows the failure message', async () => {
    const ch = await createChannel({ base_url: `http://127.0.0.1:${await deadPort()}`, keys: ['sim-key'], models: ['gpt-4o-mini'] });
    made.push(ch.id);
    const user = await showOnly(ch.name);
    await user.click(screen.getByRole('button', { name: `Test ${ch.name}` }));
    const region = screen.getByRole('status', { name: 'Test result' });
    await waitFor(() => expect(region).toHaveTextContent(`Test of ${ch.name} failed:`));
    expect(region).toHaveTextContent(/ECONNREFUSED|refused/i);
  }, SLOW);

  it('the edit dialog tests a chosen model, mapped names included', async () => {
    const alias = unique('alias');
    const ch = await createChannel({ base_url: await simulatorUrl(), models: ['gpt-4o-mini'], model_mapping: { [alias]: 'claude-sonnet-4-5' } });
    made.push(ch.id);
    const user = await showOnly(ch.name);
    await user.click(screen.getByRole('button', { name: `Edit ${ch.name}` }));
    const d = within(screen.getByRole('dialog'));
    await user.selectOptions(d.getByLabelText('Model to test'), alias);
    await user.click(d.getByRole('button', { name: 'Run test' }));
    const region = d.getByRole('status', { name: 'Test result' });
    await waitFor(() => expect(region).toHaveTextContent(`passed: ${alias} answered in`));
  }, SLOW);

  it('the list shows a breaker opening, with its cooldown and last error, without a reload', async () => {
    // A client model only this channel serves (priced through its mapping), at a closed port; one failure opens the breaker.
    const alias = unique('brk');
    const ch = await createChannel({
      base_url: `http://127.0.0.1:${await deadPort()}`,
      keys: ['sim-key'],
      models: [alias],
      model_mapping: { [alias]: 'gpt-4o-mini' },
      // The shared token's group, so the relay call below can reach it.
      groups: ['default'],
      settings: { breaker: { failures: 1, cooldown_ms: 120_000 } },
    });
    made.push(ch.id);
    await showOnly(ch.name);
    const row = screen.getByRole('button', { name: `Edit ${ch.name}` }).closest('tr')!;
    expect(row).toHaveTextContent('closed');
    const res = await fetch(`${gatewayUrl()}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenKey()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: alias, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    // The page polls every few seconds: the row changes by itself.
    await waitFor(() => expect(row).toHaveTextContent(/open\s*probe in \d+ s/), { timeout: 12_000 });
    expect(row).toHaveTextContent(/ECONNREFUSED|refused|connect/i);
  }, SLOW);
});
