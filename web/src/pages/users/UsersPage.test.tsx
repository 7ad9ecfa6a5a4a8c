import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../api/client';
import { adminApi, gatewayUrl, renderSignedIn, unique } from '../../testing/render';
import type { UserView } from './user-shapes';
import { UsersPage } from '.';

type User = ReturnType<typeof userEvent.setup>;

const self = (key: string) => fetch(`${gatewayUrl()}/api/user/self`, { headers: { authorization: `Bearer ${key}` } });

async function apiUser(name: string, extra: Record<string, unknown> = {}): Promise<UserView & { access_key: string }> {
  return adminApi().post('/api/users', { name, ...extra });
}

/** The row of `name` after searching for it (role queries over a long list are slow in jsdom). */
async function rowOf(user: User, name: string): Promise<HTMLElement> {
  await user.click(screen.getByLabelText('Search users'));
  await user.paste(name);
  await user.keyboard('{Enter}');
  return (await screen.findByText(name, { selector: 'strong' })).closest('tr')!;
}

describe('users page', () => {
  it('creates a user with its fields and shows the access key once, which signs in', async () => {
    const user = userEvent.setup();
    const name = unique('ui-user');
    const group = unique('grp');
    await adminApi().post('/api/groups', { name: group, ratio: 0.5 });
    await renderSignedIn(<UsersPage />);
    await user.click(screen.getByRole('button', { name: 'New user' }));
    const form = within(await screen.findByRole('dialog', { name: 'New user' }));
    await user.type(form.getByLabelText('User name'), name);
    await user.type(form.getByLabelText('Display name'), 'Alice Example');
    // Root may grant the admin role.
    expect(form.getByRole('option', { name: 'administrator' })).toBeInTheDocument();
    await user.selectOptions(form.getByLabelText('Group'), await form.findByRole('option', { name: group }));
    await user.clear(form.getByLabelText('Balance (USD)'));
    await user.type(form.getByLabelText('Balance (USD)'), '3');
    await user.type(form.getByLabelText('Requests per minute'), '10');
    await user.click(form.getByRole('button', { name: 'Create user' }));

    const shown = within(await screen.findByRole('dialog', { name: `User ${name} created` }));
    expect(shown.getByRole('status')).toHaveTextContent('shown only this once');
    const key = (shown.getByLabelText('Access key') as HTMLInputElement).value;
    expect(key).toMatch(/^ws-/);
    await user.click(shown.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(key);

    const res = await self(key);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: UserView }).data.username).toBe(name);
    const listed = (await adminApi().get<Page<UserView>>('/api/users', { keyword: name })).items[0];
    expect(listed).toMatchObject({ username: name, display_name: 'Alice Example', role: 'user', group, balance_usd: 3, limits: { rpm: 10 } });
  });

  it('tops up a balance, and shows the refusal of a deduction below zero', async () => {
    const user = userEvent.setup();
    const name = unique('topup');
    const created = await apiUser(name, { balance_usd: 1 });
    await renderSignedIn(<UsersPage />);
    const row = await rowOf(user, name);
    expect(within(row).getByText('$1')).toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: `Top up ${name}` }));
    let dialog = within(await screen.findByRole('dialog', { name: `Top up ${name}` }));
    await user.type(dialog.getByLabelText('Amount (USD)'), '2.5');
    await user.click(dialog.getByRole('button', { name: 'Top up' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Balance of ${name} is now $3.5.`);
    expect((await adminApi().get<UserView>(`/api/users/${created.id}`)).balance_usd).toBe(3.5);
    await waitFor(() => expect(within(row).getByText('$3.5')).toBeInTheDocument());

    await user.click(within(row).getByRole('button', { name: `Top up ${name}` }));
    dialog = within(await screen.findByRole('dialog', { name: `Top up ${name}` }));
    await user.type(dialog.getByLabelText('Amount (USD)'), '-10');
    await user.click(dialog.getByRole('button', { name: 'Top up' }));
    await waitFor(() => expect(dialog.getByLabelText('Amount (USD)')).toHaveAccessibleDescription(/below zero/));
    expect((await adminApi().get<UserView>(`/api/users/${created.id}`)).balance_usd).toBe(3.5);
  });

  it('edits display name, balance and limits', async () => {
    const user = userEvent.setup();
    const name = unique('edit-user');
    const created = await apiUser(name, { balance_usd: 2, limits: { rpm: 5 } });
    await renderSignedIn(<UsersPage />);
    const row = await rowOf(user, name);
    await user.click(within(row).getByRole('button', { name: `Edit ${name}` }));
    const form = within(await screen.findByRole('dialog', { name: `Edit user ${name}` }));
    expect(form.getByLabelText('Requests per minute')).toHaveValue(5);
    expect(form.getByLabelText('Display name')).toHaveValue(name);
    await user.clear(form.getByLabelText('Display name'));
    await user.type(form.getByLabelText('Display name'), 'Bob');
    await user.clear(form.getByLabelText('Requests per minute'));
    await user.type(form.getByLabelText('Requests at once'), '2');
    await user.clear(form.getByLabelText('Balance (USD)'));
    await user.type(form.getByLabelText('Balance (USD)'), '4');
    await user.click(form.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`User ${name} saved.`);
    const after = await adminApi().get<UserView>(`/api/users/${created.id}`);
    expect(after).toMatchObject({ display_name: 'Bob', balance_usd: 4, limits: { concurrency: 2 } });
    expect(after.limits.rpm).toBeUndefined();
  });

  it('disables and enables an account, makes a new access key, and deletes after confirming', async () => {
    const user = userEvent.setup();
    const name = unique('life-user');
    const created = await apiUser(name);
    await renderSignedIn(<UsersPage />);
    const row = await rowOf(user, name);

    await user.click(within(row).getByRole('button', { name: `Disable ${name}` }));
    expect(await screen.findByRole('status')).toHaveTextContent(`User ${name} disabled.`);
    expect((await self(created.access_key)).status).toBe(403);
    await user.click(await within(row).findByRole('button', { name: `Enable ${name}` }));
    await within(row).findByRole('button', { name: `Disable ${name}` });
    expect((await self(created.access_key)).status).toBe(200);

    await user.click(within(row).getByRole('button', { name: `New access key for ${name}` }));
    const confirm = within(await screen.findByRole('dialog', { name: 'New access key' }));
    await user.click(confirm.getByRole('button', { name: 'Make a new key' }));
    const shown = within(await screen.findByRole('dialog', { name: `New access key for ${name}` }));
    const fresh = (shown.getByLabelText('Access key') as HTMLInputElement).value;
    expect(fresh).not.toBe(created.access_key);
    expect((await self(fresh)).status).toBe(200);
    expect((await self(created.access_key)).status).toBe(401);
    await user.click(shown.getByRole('button', { name: 'Done' }));

    await user.click(within(row).getByRole('button', { name: `Delete ${name}` }));
    const del = within(await screen.findByRole('dialog', { name: 'Delete user' }));
    await user.click(del.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`User ${name} deleted.`);
    await expect(adminApi().get(`/api/users/${created.id}`)).rejects.toMatchObject({ status: 404 });
  });

  it('offers no disable or delete on the root account, and links to an account’s tokens', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<UsersPage />);
    const root = (await adminApi().get<{ username: string }>('/api/user/self')).username;
    const row = await rowOf(user, root);
    expect(within(row).getByRole('button', { name: `Edit ${root}` })).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: `Disable ${root}` })).toBeNull();
    expect(within(row).queryByRole('button', { name: `Delete ${root}` })).toBeNull();
    expect(within(row).getByRole('link', { name: `Tokens of ${root}` }).getAttribute('href')).toMatch(/\/tokens\?user_id=\d+$/);
  });
});
