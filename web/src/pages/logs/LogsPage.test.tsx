import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../../testing/render';
import { formatUsd } from '../../components/format';
import { formatMicros } from './CostBreakdown';
import { chat, logsOf, newAccount, rootToken } from './test-traffic';
import { LogsPage } from '.';

const logTable = () => screen.getByRole('table', { name: 'Usage log entries' });
/** Body rows of the log table (the header row left out). */
const bodyRows = () => within(logTable()).queryAllByRole('row').slice(1);

describe('usage logs page', () => {
  it('filters by token and status (kept in the URL), and a row opens its attempt chain and cost', { timeout: 60_000 }, async () => {
    const user = userEvent.setup();
    const token = await rootToken('logs-admin');
    expect(await chat(token.key, 'gpt-4o-mini', { text: 'First question for the logs page.' })).toBe(200);
    expect(await chat(token.key, 'gpt-4o-mini', { fault: '400' })).toBe(400);
    expect(await chat(token.key, 'no-such-model-logs')).toBe(404);
    const rows = await logsOf(token.id, 3);
    const ok = rows.find((r) => r.status === 200)!;
    expect(ok.cost_detail).toBeTruthy();

    const { router } = await renderSignedIn(<LogsPage />);
    expect(await screen.findByRole('heading', { name: 'Usage logs' })).toBeInTheDocument();
    expect(within(logTable()).getByRole('columnheader', { name: 'Channel' })).toBeInTheDocument();

    // Token filter: only this token's three rows, and the URL says so.
    const tokenSelect = screen.getByLabelText('Token');
    await within(tokenSelect).findByRole('option', { name: new RegExp(`^${token.name} `) });
    await user.selectOptions(tokenSelect, String(token.id));
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(bodyRows()).toHaveLength(3));
    expect(router.state.location.search).toBe(`?token_id=${token.id}`);
    for (const row of bodyRows()) expect(row).toHaveTextContent(token.name);
    expect(screen.getByRole('status')).toHaveTextContent('3 matching requests.');

    // Narrowed to failures: the upstream 400 and the unknown model.
    await user.selectOptions(screen.getByLabelText('Status'), 'error');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(bodyRows()).toHaveLength(2));
    expect(new URLSearchParams(router.state.location.search).get('status')).toBe('error');
    const refused = bodyRows().find((r) => r.textContent!.includes('no-such-model-logs'))!;
    expect(refused).toHaveTextContent('404 (failed)');

    // The upstream failure: its one attempt on the sim channel, with the reason.
    await user.click(bodyRows().find((r) => r.textContent!.includes('400 (failed)'))!);
    let dialog = within(await screen.findByRole('dialog', { name: /^Request #\d+$/ }));
    const attempts = within(dialog.getByRole('table', { name: 'Attempts' }));
    const attempt = attempts.getAllByRole('row')[1]!;
    expect(attempt).toHaveTextContent('sim (#1)');
    expect(attempt).toHaveTextContent('400 (failed)');
    expect(attempt).toHaveTextContent('Simulated error 400.');
    expect(attempt).toHaveTextContent(/\d+ ms/);
    await user.click(dialog.getAllByRole('button', { name: 'Close' })[0]!);

    // The refused request never reached an upstream.
    await user.click(refused);
    dialog = within(await screen.findByRole('dialog', { name: /^Request #\d+$/ }));
    expect(dialog.getByText(/No upstream was tried/)).toBeInTheDocument();
    expect(dialog.getByText(/No channel serves model "no-such-model-logs"/)).toBeInTheDocument();
    await user.keyboard('{Escape}');

    // Back to every status: the answered row's cost, part by part.
    await user.selectOptions(screen.getByLabelText('Status'), '');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(bodyRows()).toHaveLength(3));
    await user.click(bodyRows().find((r) => r.textContent!.includes(formatUsd(ok.cost_usd)) && r.textContent!.includes('200'))!);
    dialog = within(await screen.findByRole('dialog', { name: `Request #${ok.id}` }));
    expect(within(dialog.getByRole('table', { name: 'Attempts' })).getAllByRole('row')[1]).toHaveTextContent(/sim \(#1\).*200/);
    const cost = within(dialog.getByRole('table', { name: 'Cost breakdown' }));
    const outputRow = cost.getByRole('row', { name: /^Output text tokens/ });
    expect(within(outputRow).getAllByRole('cell')[0]).toHaveTextContent(String(ok.output_text_tokens));
    expect(within(outputRow).getAllByRole('cell')[1]).toHaveTextContent(formatMicros(ok.cost_detail!.output!));
    const inputRow = cost.getByRole('row', { name: /^Input tokens/ });
    expect(within(inputRow).getAllByRole('cell')[0]).toHaveTextContent(String(ok.input_tokens));
    expect(cost.getByRole('row', { name: /^Reasoning tokens/ })).toHaveTextContent('0');
    expect(dialog.getByText('Total charged').nextElementSibling).toHaveTextContent(formatUsd(ok.cost_usd));
    expect(dialog.getByText('Group ratio').nextElementSibling).toHaveTextContent('×1');
  });

  it('reads its filters from a shared link', { timeout: 60_000 }, async () => {
    const token = await rootToken('logs-link');
    expect(await chat(token.key, 'gpt-4o-mini')).toBe(200);
    expect(await chat(token.key, 'no-such-model-link')).toBe(404);
    await logsOf(token.id, 2);

    await renderSignedIn(<LogsPage />, { path: `/?token_id=${token.id}&status=success` });
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    expect(bodyRows()[0]).toHaveTextContent('gpt-4o-mini');
    expect(screen.getByLabelText('Status')).toHaveValue('success');
    await waitFor(() => expect(screen.getByLabelText('Token')).toHaveValue(String(token.id)));
  });

  it('shows a plain user their own rows without channels or attempts', { timeout: 60_000 }, async () => {
    const user = userEvent.setup();
    const account = await newAccount('logs-user');
    expect(await chat(account.tokenKey, 'gpt-4o-mini')).toBe(200);
    const [row] = await logsOf(account.tokenId, 1);

    await renderSignedIn(<LogsPage />, { accessKey: account.accessKey });
    expect(await screen.findByText('Your requests, newest first.')).toBeInTheDocument();
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    expect(bodyRows()[0]).toHaveTextContent(account.tokenName);
    expect(within(logTable()).queryByRole('columnheader', { name: 'Channel' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Channel')).not.toBeInTheDocument();

    await user.click(bodyRows()[0]!);
    const dialog = within(await screen.findByRole('dialog', { name: `Request #${row!.id}` }));
    expect(dialog.queryByRole('heading', { name: 'Attempts' })).not.toBeInTheDocument();
    expect(dialog.queryByText('Channel')).not.toBeInTheDocument();
    expect(dialog.getByRole('heading', { name: 'Cost breakdown' })).toBeInTheDocument();
    expect(dialog.getByText('Total charged').nextElementSibling).toHaveTextContent(formatUsd(row!.cost_usd));
  });
});
