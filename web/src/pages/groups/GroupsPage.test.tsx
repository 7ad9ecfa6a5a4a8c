import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminApi, renderSignedIn, unique } from '../../testing/render';
import type { GroupView } from '../tokens/group-options';
import { GroupsPage } from '.';

const rowOf = async (name: string) => (await screen.findByText(name, { selector: 'strong' })).closest('tr')!;

describe('groups page', () => {
  it('creates, edits and deletes a group', async () => {
    const user = userEvent.setup();
    const name = unique('ui-group');
    await renderSignedIn(<GroupsPage />);
    await user.click(screen.getByRole('button', { name: 'New group' }));
    const form = within(await screen.findByRole('dialog', { name: 'New group' }));
    await user.type(form.getByLabelText('Name'), name);
    await user.clear(form.getByLabelText('Price ratio'));
    await user.type(form.getByLabelText('Price ratio'), '0.75');
    await user.type(form.getByLabelText('Description'), 'Resellers');
    await user.click(form.getByRole('button', { name: 'Create group' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Group ${name} created.`);
    expect(await adminApi().get<GroupView>(`/api/groups/${name}`)).toMatchObject({ name, ratio: 0.75, description: 'Resellers' });

    const row = await rowOf(name);
    expect(within(row).getByText('×0.75')).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: `Edit ${name}` }));
    const edit = within(await screen.findByRole('dialog', { name: `Edit group ${name}` }));
    await user.clear(edit.getByLabelText('Price ratio'));
    await user.type(edit.getByLabelText('Price ratio'), '1.5');
    await user.click(edit.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Group ${name} saved.`);
    expect((await adminApi().get<GroupView>(`/api/groups/${name}`)).ratio).toBe(1.5);

    await user.click(within(await rowOf(name)).getByRole('button', { name: `Delete ${name}` }));
    const del = within(await screen.findByRole('dialog', { name: 'Delete group' }));
    expect(await del.findByText('Used now by 0 user(s), 0 token(s) and 0 channel(s).')).toBeInTheDocument();
    await user.click(del.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Group ${name} deleted.`);
    await expect(adminApi().get(`/api/groups/${name}`)).rejects.toMatchObject({ status: 404 });
  });

  it('shows the server refusing to delete a group in use, and keeps it', async () => {
    const user = userEvent.setup();
    const name = unique('busy-group');
    await adminApi().post('/api/groups', { name, ratio: 1 });
    await adminApi().post('/api/users', { name: unique('member'), group: name });
    await renderSignedIn(<GroupsPage />);
    await user.click(within(await rowOf(name)).getByRole('button', { name: `Delete ${name}` }));
    const del = within(await screen.findByRole('dialog', { name: 'Delete group' }));
    expect(await del.findByText('Used now by 1 user(s), 0 token(s) and 0 channel(s).')).toBeInTheDocument();
    await user.click(del.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(del.getByRole('alert')).toHaveTextContent(`group "${name}" is in use by 1 user(s), 0 token(s) and 0 channel(s); move them first`));
    expect((await adminApi().get<GroupView>(`/api/groups/${name}`)).name).toBe(name);
  });

  it('will not create a group over an existing one', async () => {
    const user = userEvent.setup();
    const name = unique('taken-group');
    await adminApi().post('/api/groups', { name, ratio: 2 });
    await renderSignedIn(<GroupsPage />);
    await rowOf(name);
    await user.click(screen.getByRole('button', { name: 'New group' }));
    const form = within(await screen.findByRole('dialog', { name: 'New group' }));
    await user.type(form.getByLabelText('Name'), name);
    await user.click(form.getByRole('button', { name: 'Create group' }));
    expect(form.getByLabelText('Name')).toHaveAccessibleDescription(/exists already/);
    expect((await adminApi().get<GroupView>(`/api/groups/${name}`)).ratio).toBe(2);
  });
});
