import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../../testing/render';
import { chat, logsOf, newAccount } from '../logs/test-traffic';
import { DashboardPage } from '.';

/** The value shown on a summary card (a group named after the card). */
const card = (name: string) => screen.getByRole('group', { name });
const cardValue = (name: string) => card(name).querySelector('.stat-value')!.textContent;
/** A chart's data-table rows that are not all zeros, as their cell texts. */
const busyRows = (figure: HTMLElement) =>
  within(figure)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell').map((c) => c.textContent))
    .filter((cells) => cells.some((c) => c !== '0'));

describe('dashboard', () => {
  it("shows a plain user's own counts, errors, top models and tokens, and no channel health", { timeout: 60_000 }, async () => {
    const account = await newAccount('dash-user');
    expect(await chat(account.tokenKey, 'gpt-4o-mini')).toBe(200);
    expect(await chat(account.tokenKey, 'gpt-4o-mini', { text: 'A second question.' })).toBe(200);
    expect(await chat(account.tokenKey, 'no-such-model-dash')).toBe(404);
    const rows = await logsOf(account.tokenId, 3);
    const costUsd = rows.reduce((s, r) => s + r.cost_usd, 0);
    expect(costUsd).toBeGreaterThan(0);

    const { router } = await renderSignedIn(<DashboardPage />, { accessKey: account.accessKey });
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(screen.getByText('Your own usage.')).toBeInTheDocument();
    await waitFor(() => expect(cardValue('Requests')).toBe('3'));
    expect(cardValue('Errors')).toBe('1');
    expect(card('Errors')).toHaveTextContent('33.3% of requests');
    expect(cardValue('Cost')).toMatch(/^\$0\.0000\d+$/);
    // Two answered requests give a latency, with p50 / p95 / first byte beside it.
    expect(cardValue('Average latency')).toMatch(/^\d+ ms$/);
    expect(card('Average latency')).toHaveTextContent(/p50 \d+ ms · p95 \d+ ms · first byte \d+ ms/);
    const totalTokens = rows.reduce((s, r) => s + r.input_tokens + r.output_text_tokens, 0);
    expect(cardValue('Tokens')).toBe(totalTokens.toLocaleString('en-US'));

    // Chart summaries say it in words, and the data tables hold the same numbers.
    const requestsChart = screen.getByRole('figure', { name: 'Requests and errors' });
    expect(requestsChart).toHaveAccessibleDescription(/Requests: 3, errors: 1 \(33\.3%\)/);
    expect(within(requestsChart).getAllByRole('row')).toHaveLength(8); // header + 7 days, empty ones as zeros
    expect(busyRows(requestsChart)).toEqual([['3', '1']]);
    expect(screen.getByRole('figure', { name: 'Latency' })).toHaveAccessibleDescription(/answered requests: 2/);

    const models = within(screen.getByRole('table', { name: 'Top models' }));
    const mini = models.getByRole('row', { name: /gpt-4o-mini/ });
    expect(within(mini).getAllByRole('cell')[1]).toHaveTextContent('2');
    expect(models.getByRole('row', { name: /no-such-model-dash/ })).toBeInTheDocument();
    const tokens = within(screen.getByRole('table', { name: 'Top tokens' }));
    expect(tokens.getAllByRole('row')).toHaveLength(2); // header + this user's one token
    expect(tokens.getByRole('row', { name: new RegExp(account.tokenName) })).toHaveTextContent('3');

    expect(screen.queryByRole('heading', { name: 'Channel health' })).not.toBeInTheDocument();

    // The 24-hour view reads hourly buckets, ending with the current hour: the same three requests in one of them.
    await userEvent.click(screen.getByRole('radio', { name: 'Last 24 hours' }));
    expect(router.state.location.search).toBe('?range=24h');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Last 24 hours: 3 requests.'));
    const hourly = screen.getByRole('figure', { name: 'Requests and errors' });
    expect(within(hourly).getAllByRole('row')).toHaveLength(25); // header + 24 hours, empty ones as zeros
    expect(busyRows(hourly)).toEqual([['3', '1']]);
    const hour = new Date(Date.now() - (Date.now() % 3_600_000)); // the range ends with the current hour
    expect(within(hourly).getAllByRole('rowheader').at(-1)).toHaveTextContent(new RegExp(` ${String(hour.getHours()).padStart(2, '0')}:00$`));
  });

  it('shows admins everyone’s traffic and the channel breakers', { timeout: 60_000 }, async () => {
    const account = await newAccount('dash-admin');
    expect(await chat(account.tokenKey, 'gpt-4o-mini')).toBe(200);
    await logsOf(account.tokenId, 1);

    await renderSignedIn(<DashboardPage />, { path: '/?range=30d' });
    expect(await screen.findByText('Usage of every account on this gateway.')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Last 30 days' })).toBeChecked();
    await waitFor(() => expect(Number(cardValue('Requests')!.replace(/,/g, ''))).toBeGreaterThanOrEqual(1));
    expect(within(screen.getByRole('table', { name: 'Top models' })).getByRole('row', { name: /gpt-4o-mini/ })).toBeInTheDocument();

    expect(screen.getByRole('heading', { name: 'Channel health' })).toBeInTheDocument();
    const health = within(screen.getByRole('table', { name: 'Channel health' }));
    const simRow = await health.findByRole('row', { name: /sim \(#1\) channel/ });
    expect(simRow).toHaveTextContent(/closed \(healthy\)|half-open|open \(tripped\)/);
  });
});
