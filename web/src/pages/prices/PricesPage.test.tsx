import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminApi, renderSignedIn, unique } from '../../testing/render';
import type { PriceEntry } from './price-shapes';
import { priceBody, priceFormFrom } from './price-shapes';
import { PricesPage } from '.';

type User = ReturnType<typeof userEvent.setup>;

/** Narrows the list to `model` (pasted: typing into a page of 60 priced models is slow in jsdom). */
async function filter(user: User, model: string): Promise<void> {
  const box = screen.getByLabelText('Filter by model');
  await user.clear(box);
  await user.click(box);
  await user.paste(model);
  await user.keyboard('{Enter}');
}

async function filterTo(user: User, model: string): Promise<HTMLElement> {
  await filter(user, model);
  return (await screen.findByText(model, { selector: 'strong' })).closest('tr')!;
}

// gpt-4.1-nano has a built-in price and no channel in the test gateway serves
// it, so overriding it for a moment changes no other test's costs.
const BUILTIN_MODEL = 'gpt-4.1-nano';

describe('prices page', () => {
  it('edits a built-in price, per-image sizes included, and reverts it', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<PricesPage />);
    let row = await filterTo(user, BUILTIN_MODEL);
    expect(within(row).getByText('built-in')).toBeInTheDocument();
    expect(within(row).getByText('$0.1')).toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: `Edit price of ${BUILTIN_MODEL}` }));
    const form = within(await screen.findByRole('dialog', { name: `Price of ${BUILTIN_MODEL}` }));
    expect(form.getByLabelText('Input')).toHaveValue('0.1');
    expect(form.getByLabelText('Input')).toHaveAccessibleDescription('built-in: $0.1');
    await user.clear(form.getByLabelText('Input'));
    await user.type(form.getByLabelText('Input'), '0.2');
    await user.type(form.getByLabelText('Price per image, 1K'), '0.05');
    await user.type(form.getByLabelText('Price per image, 4K'), '0.2');
    await user.click(form.getByRole('button', { name: 'Add a size' }));
    await user.type(form.getByLabelText('Name of size 6'), 'high:1024x1024');
    await user.type(form.getByLabelText('Price per image, high:1024x1024'), '0.3');
    await user.click(form.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Price of ${BUILTIN_MODEL} saved.`);

    const saved = await adminApi().get<PriceEntry>(`/api/prices/${BUILTIN_MODEL}`);
    expect(saved.source).toBe('api');
    expect(saved.price).toEqual({
      input_per_mtok: 0.2,
      cached_input_per_mtok: 0.025,
      output_per_mtok: 0.4,
      per_image: { '1K': 0.05, '4K': 0.2, 'high:1024x1024': 0.3 },
    });
    row = (await screen.findByText(BUILTIN_MODEL, { selector: 'strong' })).closest('tr')!;
    await waitFor(() => expect(within(row).getByText('set here')).toBeInTheDocument());
    expect(within(row).getByText('1K $0.05 · 4K $0.2 · high:1024x1024 $0.3')).toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: `Revert ${BUILTIN_MODEL} to the built-in price` }));
    const confirm = within(await screen.findByRole('dialog', { name: 'Revert to the built-in price' }));
    await user.click(confirm.getByRole('button', { name: 'Revert' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`${BUILTIN_MODEL} is back on the built-in price.`);
    const reverted = await adminApi().get<PriceEntry>(`/api/prices/${BUILTIN_MODEL}`);
    expect(reverted.source).toBe('builtin');
    expect(reverted.price.input_per_mtok).toBe(0.1);
    expect(reverted.price.per_image).toBeUndefined();
  }, 40_000);

  it('sets a price for a model the gateway does not know, then deletes it', async () => {
    const user = userEvent.setup();
    const model = unique('acme/model');
    await renderSignedIn(<PricesPage />);
    await filter(user, model);
    await screen.findByText('Nothing here yet.');
    await user.click(screen.getByRole('button', { name: 'New price' }));
    const form = within(await screen.findByRole('dialog', { name: 'New model price' }));
    await user.click(form.getByRole('button', { name: 'Save' }));
    expect(form.getByLabelText('Model')).toHaveAccessibleDescription(/Name the model/);
    await user.type(form.getByLabelText('Model'), model);
    await user.type(form.getByLabelText('Output (text)'), 'abc');
    await user.click(form.getByRole('button', { name: 'Save' }));
    expect(form.getByLabelText('Output (text)')).toHaveAccessibleDescription(/A USD amount/);
    await user.clear(form.getByLabelText('Output (text)'));
    await user.type(form.getByLabelText('Per call'), '0.01');
    await user.type(form.getByLabelText('Price per image, default'), '0.04');
    await user.click(form.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Price of ${model} saved.`);
    const saved = await adminApi().get<PriceEntry>(`/api/prices/${model}`);
    expect(saved).toMatchObject({ source: 'api', builtin: null, price: { per_call: 0.01, per_image: { default: 0.04 } } });

    const row = await filterTo(user, model);
    await user.click(within(row).getByRole('button', { name: `Delete price of ${model}` }));
    const confirm = within(await screen.findByRole('dialog', { name: 'Delete price' }));
    await user.click(confirm.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Price of ${model} deleted.`);
    await expect(adminApi().get(`/api/prices/${model}`)).rejects.toMatchObject({ status: 404 });
  });

  it('filters by source', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<PricesPage />);
    await screen.findByText('gpt-4o-mini', { selector: 'strong' });
    await user.selectOptions(screen.getByLabelText('Source'), 'config');
    await waitFor(() => expect(screen.queryByText('gpt-4o-mini', { selector: 'strong' })).toBeNull());
    const rows = screen.queryAllByRole('row').slice(1);
    for (const row of rows) expect(within(row).getByText('config file')).toBeInTheDocument();
  });
});

describe('price form', () => {
  it('keeps every per-image size of a price it did not touch', () => {
    const price = { input_per_mtok: 5, per_image: { 'low:1024x1024': 0.011, '2K': 0.1, default: 0.04 }, per_call: 0 };
    expect(priceBody(priceFormFrom('gpt-image-1', price))).toEqual(price);
  });
});
