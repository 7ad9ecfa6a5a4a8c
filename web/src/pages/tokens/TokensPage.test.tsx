import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../api/client';
import { adminApi, gatewayUrl, renderSignedIn, unique } from '../../testing/render';
import type { TokenView } from './token-shapes';
import { TokensPage } from '.';

const relayModels = (key: string) => fetch(`${gatewayUrl()}/v1/models`, { headers: { authorization: `Bearer ${key}` } });

async function tokenNamed(name: string, userId?: number | 'all'): Promise<TokenView | undefined> {
  const page = await adminApi().get<Page<TokenView>>('/api/token/search', { keyword: name, user_id: userId });
  return page.items.find((t) => t.name === name);
}

/** A token made through the API, as fixtures for the row actions. */
async function apiToken(name: string, extra: Record<string, unknown> = {}): Promise<TokenView> {
  return adminApi().post<TokenView>('/api/token/', { name, unlimited_quota: true, ...extra });
}

type User = ReturnType<typeof userEvent.setup>;

/**
 * Searches for `name`: the shared gateway's list is long, and role queries
 * over a page of rows are slow in jsdom, so each test narrows it first.
 */
async function narrowTo(user: User, name: string): Promise<void> {
  await user.click(screen.getByLabelText('Search tokens'));
  await user.paste(name);
  await user.keyboard('{Enter}');
}

/** The table row showing `name`, once the list has it. */
async function rowOf(user: User, name: string): Promise<HTMLElement> {
  await narrowTo(user, name);
  const cell = await screen.findByText(name, { selector: 'strong' });
  return cell.closest('tr')!;
}

describe('tokens page', () => {
  it('creates a token with its fields, shows and copies the key, and the key works on the relay', async () => {
    const user = userEvent.setup();
    const name = unique('ui-token');
    await renderSignedIn(<TokensPage />);
    await narrowTo(user, name);
    await screen.findByText('Nothing here yet.');
    await user.click(screen.getByRole('button', { name: 'New token' }));
    const dialog = await screen.findByRole('dialog', { name: 'New token' });
    const form = within(dialog);

    await user.click(form.getByLabelText('Name'));
    await user.paste(name);
    await user.type(form.getByLabelText('Quota (USD)'), '7.5');
    await user.click(form.getByLabelText('Never expires'));
    fireEvent.change(form.getByLabelText('Expires at'), { target: { value: '2031-05-06T07:08' } });
    await user.click(form.getByLabelText('Allow only some models'));
    await user.click(await form.findByRole('checkbox', { name: 'gpt-4o-mini' }));
    await user.click(form.getByLabelText('Other models'));
    await user.paste('claude-sonnet-4-5');
    await user.type(form.getByLabelText('IP allow-list'), '127.0.0.1{enter}::1');
    await user.type(form.getByLabelText('Requests per minute'), '60');
    await user.type(form.getByLabelText('Requests at once'), '3');
    await user.selectOptions(form.getByLabelText('Images in chat answers'), 'markdown');
    await user.click(form.getByRole('button', { name: 'Create token' }));

    const keyDialog = await screen.findByRole('dialog', { name: `Token ${name} created` });
    const keyBox = within(keyDialog).getByLabelText('Token key') as HTMLInputElement;
    expect(keyBox.value).toMatch(/^sk-\S{20,}$/);
    await user.click(within(keyDialog).getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(keyBox.value);
    expect(within(keyDialog).getByRole('button', { name: 'Copied' })).toBeInTheDocument();

    const saved = await tokenNamed(name);
    expect(saved).toMatchObject({
      name,
      unlimited_quota: false,
      remain_quota_usd: 7.5,
      model_limits_enabled: true,
      allow_ips: '127.0.0.1\n::1',
      limits: { rpm: 60, concurrency: 3 },
      image_output: 'markdown',
      expires_at: new Date('2031-05-06T07:08').getTime(),
    });
    expect(saved!.model_limits.split(',').sort()).toEqual(['claude-sonnet-4-5', 'gpt-4o-mini']);

    const res = await relayModels(keyBox.value);
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
    expect(ids).toContain('gpt-4o-mini');
    expect(ids).not.toContain('gemini-2.5-flash');

    await user.click(within(keyDialog).getByRole('button', { name: 'Done' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Token ${name} created.`);
  }, 40_000);

  it('names a missing field before sending and shows the server refusal', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<TokensPage />);
    await narrowTo(user, unique('none'));
    await screen.findByText('Nothing here yet.');
    await user.click(screen.getByRole('button', { name: 'New token' }));
    const form = within(await screen.findByRole('dialog', { name: 'New token' }));
    await user.click(form.getByRole('button', { name: 'Create token' }));
    expect(form.getByLabelText('Name')).toHaveAccessibleDescription(/Give the token a name/);

    await user.type(form.getByLabelText('Name'), unique('bad-ip'));
    await user.click(form.getByLabelText('Unlimited quota'));
    await user.type(form.getByLabelText('IP allow-list'), 'not-an-ip');
    await user.click(form.getByRole('button', { name: 'Create token' }));
    await waitFor(() => expect(form.getByLabelText('IP allow-list')).toHaveAccessibleDescription(/not an IP address or CIDR range/));
    expect(screen.getByRole('dialog', { name: 'New token' })).toBeInTheDocument();
  });

  it('shows the key of an existing token on demand, and edits a token through PUT', async () => {
    const user = userEvent.setup();
    const name = unique('edit-token');
    const created = await apiToken(name, { unlimited_quota: false, remain_quota_usd: 1 });
    await renderSignedIn(<TokensPage />);
    const row = await rowOf(user, name);
    expect(within(row).getByText(/\$0 spent \/ \$1 left/)).toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: `Show key of ${name}` }));
    const keyDialog = await screen.findByRole('dialog', { name: `Key of ${name}` });
    await waitFor(() => expect(within(keyDialog).getByLabelText('Token key')).toHaveValue(created.key));
    await user.click(within(keyDialog).getByRole('button', { name: 'Done' }));

    await user.click(within(row).getByRole('button', { name: `Edit ${name}` }));
    const form = within(await screen.findByRole('dialog', { name: `Edit token ${name}` }));
    expect(form.getByLabelText('Quota left (USD)')).toHaveValue(1);
    await user.clear(form.getByLabelText('Quota left (USD)'));
    await user.type(form.getByLabelText('Quota left (USD)'), '2.25');
    await user.type(form.getByLabelText('Tokens per minute'), '5000');
    await user.clear(form.getByLabelText('Name'));
    await user.type(form.getByLabelText('Name'), `${name}-renamed`);
    await user.click(form.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('status')).toHaveTextContent(`Token ${name}-renamed saved.`);
    const after = await adminApi().get<TokenView>(`/api/token/${created.id}`);
    expect(after).toMatchObject({ name: `${name}-renamed`, remain_quota_usd: 2.25, limits: { tpm: 5000 }, unlimited_quota: false });
  });

  it('disables a token so the relay refuses it, enables it again, and deletes it after confirming', async () => {
    const user = userEvent.setup();
    const name = unique('toggle-token');
    const created = await apiToken(name);
    expect((await relayModels(created.key)).status).toBe(200);
    await renderSignedIn(<TokensPage />);
    const row = await rowOf(user, name);

    await user.click(within(row).getByRole('button', { name: `Disable ${name}` }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Token ${name} disabled.`);
    await waitFor(() => expect(within(row).getByText('disabled')).toBeInTheDocument());
    const refused = await relayModels(created.key);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/disabled/);

    await user.click(within(row).getByRole('button', { name: `Enable ${name}` }));
    await waitFor(() => expect(within(row).getByText('enabled')).toBeInTheDocument());
    expect((await relayModels(created.key)).status).toBe(200);

    await user.click(within(row).getByRole('button', { name: `Delete ${name}` }));
    const confirm = within(await screen.findByRole('dialog', { name: 'Delete token' }));
    expect(confirm.getByText(`Delete ${name}? This cannot be undone.`)).toBeInTheDocument();
    await user.click(confirm.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Token ${name} deleted.`);
    await expect(adminApi().get(`/api/token/${created.id}`)).rejects.toMatchObject({ status: 404 });
    expect((await relayModels(created.key)).status).toBe(401);
  });

  it('shows what a token has used and links to its logs', async () => {
    const user = userEvent.setup();
    const name = unique('usage-token');
    const created = await apiToken(name);
    const chat = await fetch(`${gatewayUrl()}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(chat.status).toBe(200);
    // The usage log is written after the answer; wait for it to land.
    await waitFor(async () => expect((await adminApi().get<Page<unknown>>('/api/logs', { token_id: created.id })).total).toBe(1), { timeout: 10_000, interval: 100 });
    await renderSignedIn(<TokensPage />);
    const row = await rowOf(user, name);
    await user.click(within(row).getByRole('button', { name: `Usage of ${name}` }));
    const dialog = within(await screen.findByRole('dialog', { name: `Usage of ${name}` }));
    const requests = dialog.getByText('Requests').closest('div')!;
    await waitFor(() => expect(requests).toHaveTextContent(/Requests\s*1$/));
    const spent = dialog.getByText('Spent').closest('div')!;
    expect(spent).not.toHaveTextContent(/^Spent\s*\$0$/);
    const link = dialog.getByRole('link', { name: 'View the usage logs of this token' });
    expect(link.getAttribute('href')).toMatch(new RegExp(`/logs\\?token_id=${created.id}$`));
  }, 40_000);

  it('lets an admin list another account’s tokens, and a plain user only their own', async () => {
    const user = userEvent.setup();
    const username = unique('tok-owner');
    const account = await adminApi().post<{ id: number; access_key: string }>('/api/users', { name: username, balance_usd: 1 });
    const theirs = unique('theirs');
    await adminApi().post('/api/token/', { name: theirs, user_id: account.id, unlimited_quota: true });

    // The users page links to `#/tokens?user_id=N`.
    const admin = await renderSignedIn(<TokensPage />, { path: `/tokens?user_id=${account.id}` });
    await waitFor(() => expect(screen.getByLabelText('Owner')).toHaveDisplayValue(username));
    const row = await rowOf(user, theirs);
    expect(within(row).getByText(username)).toBeInTheDocument();
    // A new token starts out as theirs.
    await user.click(screen.getByRole('button', { name: 'New token' }));
    const adminForm = within(await screen.findByRole('dialog', { name: 'New token' }));
    expect(adminForm.getByLabelText('Owner')).toHaveDisplayValue(username);
    admin.unmount();

    await renderSignedIn(<TokensPage />, { accessKey: account.access_key });
    expect(screen.queryByLabelText('Owner')).not.toBeInTheDocument();
    expect(await screen.findByText(theirs, { selector: 'strong' })).toBeInTheDocument();
    // A plain user's new token is theirs, whatever the form holds.
    await user.click(screen.getByRole('button', { name: 'New token' }));
    const form = within(await screen.findByRole('dialog', { name: 'New token' }));
    const mine = unique('mine');
    await user.type(form.getByLabelText('Name'), mine);
    await user.type(form.getByLabelText('Quota (USD)'), '0.5');
    await user.click(form.getByRole('button', { name: 'Create token' }));
    await screen.findByRole('dialog', { name: `Token ${mine} created` });
    expect((await tokenNamed(mine, account.id))?.user_id).toBe(account.id);
  });
});
