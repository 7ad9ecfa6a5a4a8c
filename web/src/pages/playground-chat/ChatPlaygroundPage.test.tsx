// The chat playground against the real test gateway and simulator (whose
// replies are deterministic: they quote the last user message).
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from '../../api/client';
import { formatUsd } from '../../components/format';
import { adminApi, gatewayUrl, renderSignedIn, tokenKey, unique } from '../../testing/render';
import type { UsageRow } from '../playground-image/usage-row';
import { ChatPlaygroundPage } from '.';

beforeEach(() => sessionStorage.clear());

async function openPage(headers?: Record<string, string>) {
  await renderSignedIn(<ChatPlaygroundPage requestHeaders={headers} />);
  await screen.findByRole('heading', { name: 'Chat playground' });
  await waitFor(() => expect(screen.getByLabelText('Model')).toHaveValue('gpt-4o-mini'));
}

async function pickTestToken() {
  const option = await screen.findByRole('option', { name: /^test \(/ });
  await userEvent.selectOptions(screen.getByLabelText('Token'), option);
  await waitFor(() => expect(sessionStorage.getItem('waystation.playground.key')).toContain(tokenKey()));
}

/** The whole (non-streamed) reply the simulator gives to one user message. */
async function fullReply(message: string): Promise<string> {
  const res = await fetch(`${gatewayUrl()}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenKey()}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: message }] }),
  });
  const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
  return body.choices[0]!.message.content;
}

const assistantText = () => screen.getAllByTestId('assistant-text').at(-1)!.textContent ?? '';

describe('chat playground', () => {
  it('streams a reply from gpt-4o-mini and shows its tokens and logged cost', async () => {
    await openPage();
    await pickTestToken();
    const message = `Hello there ${unique('chat')}`;
    await userEvent.type(screen.getByLabelText('Message'), message);
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(await screen.findByText(message)).toBeInTheDocument();
    const whole = await fullReply(message);
    await waitFor(() => expect(assistantText()).toBe(whole), { timeout: 10_000 });
    expect(whole).toContain(`Simulated reply to "${message}"`);
    expect(screen.getByLabelText('Message')).toHaveValue('');

    const usage = await screen.findByText(/^Last answer: \d+ tokens in, \d+ out/);
    const requestId = usage.querySelector('code')!.textContent!;
    let row: (UsageRow & { is_stream: boolean }) | undefined;
    await waitFor(
      async () => {
        const page = await adminApi().get<Page<UsageRow & { is_stream: boolean }>>('/api/logs', { model: 'gpt-4o-mini', page_size: 100 });
        row = page.items.find((r) => r.request_id === requestId);
        expect(row).toBeDefined();
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(row).toMatchObject({ status: 200, is_stream: true });
    expect(usage).toHaveTextContent(`Last answer: ${row!.input_tokens} tokens in, ${row!.output_text_tokens} out`);
    await waitFor(() => expect(usage).toHaveTextContent(`cost ${formatUsd(row!.cost_usd)}`), { timeout: 30_000 });
    expect(row!.cost_usd).toBeGreaterThan(0);
  });

  it('renders the answer while it streams, and Stop aborts it keeping what arrived', async () => {
    // The simulator sends one stream event every 150 ms.
    await openPage({ 'x-sim-fault': 'drip:150' });
    await pickTestToken();
    const message = `Tell me a long story ${unique('stop')}`;
    const whole = await fullReply(message);
    await userEvent.type(screen.getByLabelText('Message'), message);
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    // Text shows up while the answer is still being written.
    await waitFor(() => expect(assistantText().length).toBeGreaterThan(0), { timeout: 10_000 });
    expect(screen.getByRole('status')).toHaveTextContent('Answering…');
    await userEvent.click(screen.getByRole('button', { name: 'Stop' }));

    expect(await screen.findByText(/^Stopped\./)).toBeInTheDocument();
    expect(screen.getByText('stopped')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
    const partial = assistantText();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(whole.length);
    expect(whole.startsWith(partial)).toBe(true);
  });

  it('remembers the chosen token for this browser tab, never in localStorage', async () => {
    const first = await renderSignedIn(<ChatPlaygroundPage />);
    await pickTestToken();
    const chosen = (screen.getByLabelText('Token') as HTMLSelectElement).value;
    first.unmount();
    await renderSignedIn(<ChatPlaygroundPage />);
    await waitFor(() => expect(screen.getByLabelText('Token')).toHaveValue(chosen));
    expect(JSON.stringify({ ...localStorage })).not.toContain(tokenKey());
  });

  it('clears the conversation', async () => {
    await openPage();
    await pickTestToken();
    await userEvent.type(screen.getByLabelText('Message'), `short ${unique('c')}`);
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(assistantText()).toMatch(/^Simulated reply/), { timeout: 10_000 });
    await userEvent.click(screen.getByRole('button', { name: 'Clear conversation' }));
    expect(screen.queryAllByTestId('assistant-text')).toHaveLength(0);
    expect(screen.getByText('No messages yet.')).toBeInTheDocument();
  });

  it('shows a refused key in plain words and checks the settings first', async () => {
    await openPage();
    await userEvent.type(screen.getByLabelText('Temperature'), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Temperature must be between 0 and 2.')).toBeInTheDocument();
    expect(screen.getByText('Choose a token or paste a token key first.')).toBeInTheDocument();
    expect(screen.getByText('Write a message.')).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText('Temperature'));
    await userEvent.selectOptions(screen.getByLabelText('Token'), 'paste');
    await userEvent.type(screen.getByLabelText('Token key'), 'sk-not-a-real-token-key-000000');
    await userEvent.type(screen.getByLabelText('Message'), 'hi');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The gateway answered 401');
    expect(alert).toHaveTextContent('The token key was not accepted');
    expect(screen.getByText('failed')).toBeInTheDocument();
  });
});
