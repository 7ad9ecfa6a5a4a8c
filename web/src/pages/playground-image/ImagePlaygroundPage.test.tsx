// The image playground against the real test gateway and simulator.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from '../../api/client';
import { formatUsd } from '../../components/format';
import { adminApi, renderSignedIn, tokenKey, unique } from '../../testing/render';
import { ImagePlaygroundPage } from '.';
import { solidPng } from './test-png';
import type { UsageRow } from './usage-row';

beforeEach(() => sessionStorage.clear());

const pngFile = (name: string, w = 8, h = 8) => new File([solidPng(w, h)], name, { type: 'image/png' });

async function openPage() {
  await renderSignedIn(<ImagePlaygroundPage />);
  await screen.findByRole('heading', { name: 'Image playground' });
  // The model list has loaded once the model picker holds the preselected model.
  await waitFor(() => expect(screen.getByLabelText('Model')).toHaveValue('gemini-2.5-flash-image'));
}

async function pickTestToken() {
  const option = await screen.findByRole('option', { name: /^test \(/ });
  await userEvent.selectOptions(screen.getByLabelText('Token'), option);
  await waitFor(() => expect(sessionStorage.getItem('waystation.playground.key')).toContain(tokenKey()));
}

function options(label: string): string[] {
  return within(screen.getByLabelText(label)).getAllByRole('option').map((o) => (o as HTMLOptionElement).value);
}

/** The call's usage row, read as the admin (rows land a moment after the answer). */
async function logRow(requestId: string): Promise<UsageRow> {
  let row: UsageRow | undefined;
  await waitFor(
    async () => {
      const page = await adminApi().get<Page<UsageRow>>('/api/logs', { page_size: 100 });
      row = page.items.find((r) => r.request_id === requestId);
      expect(row).toBeDefined();
    },
    { timeout: 30_000, interval: 500 },
  );
  return row!;
}

describe('image playground', () => {
  it('generates with gemini-2.5-flash-image at 16:9: the image, its pixel size and the logged cost appear', async () => {
    await openPage();
    await pickTestToken();
    await userEvent.selectOptions(screen.getByLabelText('Aspect ratio'), '16:9');
    await userEvent.type(screen.getByLabelText('Prompt'), `a harbour at dawn ${unique('p')}`);
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));

    const img = await screen.findByRole('img', { name: 'Generated image 1' }, { timeout: 15_000 });
    expect(img.getAttribute('src')).toMatch(/^(blob:|data:image\/png;base64,)/);
    expect(screen.getByText('1344 × 768 px')).toBeInTheDocument();
    expect(screen.getByText('Size class: 1K')).toBeInTheDocument();
    // (By text, not role: jsdom takes minutes to compute roles over a multi-megabyte data-URL href.)
    const download = screen.getByText('Download image 1').closest('a');
    expect(download).toHaveAttribute('download', 'gemini-2.5-flash-image-1.png');
    expect(download).toHaveAttribute('href', img.getAttribute('src'));

    const requestId = screen.getByText(/^req|^[0-9a-f-]{8,}/i, { selector: 'code' }).textContent!;
    const row = await logRow(requestId);
    expect(row).toMatchObject({ model: 'gemini-2.5-flash-image', status: 200, image_count: 1, aspect_ratio: '16:9' });
    expect(row.cost_usd).toBeGreaterThan(0);
    await waitFor(() => expect(screen.getByText(formatUsd(row.cost_usd))).toBeInTheDocument(), { timeout: 30_000 });
  });

  it('offers only the ratios and sizes the chosen model accepts', async () => {
    await openPage();
    const model = screen.getByLabelText('Model');
    // 2.5 Flash Image: ten ratios, a fixed size.
    expect(options('Aspect ratio')).toContain('21:9');
    expect(options('Aspect ratio')).not.toContain('1:8');
    expect(screen.getByLabelText('Image size')).toBeDisabled();
    expect(options('Image size')).toEqual(['1K']);

    await userEvent.selectOptions(model, 'gemini-3.1-flash-image-preview');
    expect(options('Image size')).toEqual(['512', '1K', '2K', '4K']);
    expect(options('Aspect ratio')).toEqual(expect.arrayContaining(['1:8', '8:1', '1:4', '4:1', '16:9']));
    await userEvent.selectOptions(screen.getByLabelText('Image size'), '512');
    await userEvent.selectOptions(screen.getByLabelText('Aspect ratio'), '1:8');
    expect(screen.getByText('Expected output: 192 × 1536 px')).toBeInTheDocument();

    // 3 Pro: no 512 and no 1:8 — both fall back to what it takes.
    await userEvent.selectOptions(model, 'gemini-3-pro-image-preview');
    expect(options('Image size')).toEqual(['1K', '2K', '4K']);
    expect(options('Aspect ratio')).not.toContain('1:8');
    expect(screen.getByLabelText('Image size')).toHaveValue('1K');
    expect(screen.getByLabelText('Aspect ratio')).toHaveValue('1:1');
    expect(screen.getByLabelText('Image size')).toBeEnabled();
  });

  it('refuses a 15th reference image and removes one on request', async () => {
    await openPage();
    const files = Array.from({ length: 14 }, (_, i) => pngFile(`ref-${i + 1}.png`));
    await userEvent.upload(screen.getByLabelText('Add reference images'), files);
    await screen.findByText('Reference images: 14 of 14');
    expect(screen.getAllByRole('img', { name: /^Reference image \d+:/ })).toHaveLength(14);

    fireEvent.drop(screen.getByTestId('reference-drop-zone'), { dataTransfer: { files: [pngFile('fifteen.png')], types: ['Files'] } });
    expect(await screen.findByRole('alert')).toHaveTextContent('At most 14 reference images per request; not added: fifteen.png');
    expect(screen.getByText('Reference images: 14 of 14')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Remove ref-3.png' }));
    expect(screen.getByText('Reference images: 13 of 14')).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /ref-3\.png/ })).not.toBeInTheDocument();
    // A file Gemini would refuse is named, not added.
    await userEvent.upload(screen.getByLabelText('Add reference images'), new File(['hello'], 'notes.txt', { type: 'text/plain' }), { applyAccept: false });
    expect(await screen.findByRole('alert')).toHaveTextContent('notes.txt');
    expect(screen.getByText('Reference images: 13 of 14')).toBeInTheDocument();
  });

  it('a dropped reference image travels: with the ratio on auto the image follows its 16:9 shape', async () => {
    await openPage();
    await pickTestToken();
    await userEvent.selectOptions(screen.getByLabelText('Aspect ratio'), '');
    fireEvent.drop(screen.getByTestId('reference-drop-zone'), { dataTransfer: { files: [pngFile('wide.png', 32, 18)], types: ['Files'] } });
    await screen.findByRole('img', { name: 'Reference image 1: wide.png' });
    await userEvent.type(screen.getByLabelText('Prompt'), `make it blue ${unique('p')}`);
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));

    await screen.findByRole('img', { name: 'Generated image 1' }, { timeout: 15_000 });
    expect(screen.getByText('1344 × 768 px')).toBeInTheDocument();
    const requestId = screen.getByText(/./, { selector: '.result-facts code' }).textContent!;
    const row = await logRow(requestId);
    expect(row.aspect_ratio).toBe('16:9');
    expect(row.input_tokens).toBeGreaterThanOrEqual(258); // one input image on 2.5 Flash Image
  });

  it('a wrong pasted key is refused in plain words', async () => {
    await openPage();
    await userEvent.selectOptions(screen.getByLabelText('Token'), 'paste');
    await userEvent.type(screen.getByLabelText('Token key'), 'sk-not-a-real-token-key-000000');
    await userEvent.type(screen.getByLabelText('Prompt'), 'anything');
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/The gateway answered 40[01]/);
    expect(alert).toHaveTextContent(/token key was not accepted|refused as invalid/);
    expect(screen.queryByRole('img', { name: 'Generated image 1' })).not.toBeInTheDocument();
  });

  it('asks for a key and a prompt before sending', async () => {
    await openPage();
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));
    expect(await screen.findByText('Choose a token or paste a token key first.')).toBeInTheDocument();
    expect(screen.getByText('Write a prompt.')).toBeInTheDocument();
  });

  it('shows the request as curl, Python and Node, without the key unless asked', async () => {
    await openPage();
    await pickTestToken();
    await userEvent.selectOptions(screen.getByLabelText('Model'), 'gemini-3.1-flash-image-preview');
    await userEvent.selectOptions(screen.getByLabelText('Image size'), '2K');
    await userEvent.type(screen.getByLabelText('Prompt'), 'a fox');
    await userEvent.click(screen.getByRole('button', { name: 'Copy as code…' }));
    const dialog = await screen.findByRole('dialog', { name: 'This request as code' });
    const code = () => within(dialog).getByLabelText(/^(curl|Python|Node) code$/).textContent ?? '';
    expect(code()).toContain('curl');
    expect(code()).toContain('gemini-3.1-flash-image-preview:generateContent');
    expect(code()).toContain('"imageSize": "2K"');
    expect(code()).not.toContain(tokenKey());

    await userEvent.click(within(dialog).getByRole('tab', { name: 'Python' }));
    expect(code()).toContain('import requests');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Include my token key in the code' }));
    expect(code()).toContain(tokenKey());
    await userEvent.click(within(dialog).getByRole('tab', { name: 'Node' }));
    expect(code()).toContain('await fetch(url');
    expect(within(dialog).getByRole('button', { name: 'Copy Node' })).toBeInTheDocument();
  });
});
