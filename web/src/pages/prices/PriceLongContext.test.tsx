import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminApi, renderSignedIn } from '../../testing/render';
import type { PriceEntry } from './price-shapes';
import { priceBody, priceFormFrom, priceFormProblems } from './price-shapes';
import { PricesPage } from '.';

type User = ReturnType<typeof userEvent.setup>;

// gemini-2.5-pro has a built-in long-context tier (above 200k) and no channel
// in the test gateway serves it, so overriding it for a moment changes no
// other test's costs.
const MODEL = 'gemini-2.5-pro';

async function openEditor(user: User): Promise<ReturnType<typeof within>> {
  const box = screen.getByLabelText('Filter by model');
  await user.clear(box);
  await user.click(box);
  await user.paste(MODEL);
  await user.keyboard('{Enter}');
  const row = (await screen.findByText(MODEL, { selector: 'strong' })).closest('tr')!;
  await user.click(within(row).getByRole('button', { name: `Edit price of ${MODEL}` }));
  return within(await screen.findByRole('dialog', { name: `Price of ${MODEL}` }));
}

async function replace(user: User, input: HTMLElement, value: string): Promise<void> {
  await user.clear(input);
  if (value !== '') await user.type(input, value);
}

async function save(user: User, form: ReturnType<typeof within>): Promise<void> {
  await user.click(form.getByRole('button', { name: 'Save' }));
  expect(await screen.findByRole('status')).toHaveTextContent(`Price of ${MODEL} saved.`);
}

describe('prices page: long-context rates', () => {
  it('prefills the built-in tier, saves an edited one, shows it again, and drops it when emptied', async () => {
    const user = userEvent.setup();
    await renderSignedIn(<PricesPage />);

    // Overriding the built-in price starts from its tier, each field with its built-in value.
    let form = await openEditor(user);
    expect(form.getByLabelText('Above (input tokens)')).toHaveValue('200000');
    expect(form.getByLabelText('Above (input tokens)')).toHaveAccessibleDescription('built-in: 200,000');
    expect(form.getByLabelText('Long prompt: input')).toHaveValue('2.5');
    expect(form.getByLabelText('Long prompt: cached input')).toHaveValue('0.25');
    expect(form.getByLabelText('Long prompt: output (text)')).toHaveValue('15');
    expect(form.getByLabelText('Long prompt: output (text)')).toHaveAccessibleDescription('built-in: $15');
    expect(form.getByLabelText('Long prompt: reasoning')).toHaveValue('');

    await replace(user, form.getByLabelText('Above (input tokens)'), '100000');
    await replace(user, form.getByLabelText('Long prompt: output (text)'), '16');
    await replace(user, form.getByLabelText('Long prompt: cached input'), '');
    await save(user, form);
    const saved = await adminApi().get<PriceEntry>(`/api/prices/${MODEL}`);
    expect(saved.source).toBe('api');
    expect(saved.price).toEqual({
      input_per_mtok: 1.25,
      cached_input_per_mtok: 0.125,
      output_per_mtok: 10,
      long_context: { above_input_tokens: 100000, input_per_mtok: 2.5, output_per_mtok: 16 },
    });

    // The saved tier comes back into the form; the built-in one stays as hints.
    form = await openEditor(user);
    expect(form.getByLabelText('Above (input tokens)')).toHaveValue('100000');
    expect(form.getByLabelText('Long prompt: output (text)')).toHaveValue('16');
    expect(form.getByLabelText('Long prompt: cached input')).toHaveValue('');
    expect(form.getByLabelText('Long prompt: cached input')).toHaveAccessibleDescription('built-in: $0.25');

    // Rates without a threshold are refused before anything is sent.
    await replace(user, form.getByLabelText('Above (input tokens)'), '');
    await user.click(form.getByRole('button', { name: 'Save' }));
    expect(form.getByLabelText('Above (input tokens)')).toHaveAccessibleDescription(/built-in: 200,000.*Set the number of input tokens/);
    expect(form.getByLabelText('Above (input tokens)')).toHaveAttribute('aria-invalid', 'true');

    // Emptying the tier saves a price without one (a PUT replaces the whole price).
    await replace(user, form.getByLabelText('Long prompt: input'), '');
    await replace(user, form.getByLabelText('Long prompt: output (text)'), '');
    await save(user, form);
    const flat = await adminApi().get<PriceEntry>(`/api/prices/${MODEL}`);
    expect(flat.price.long_context).toBeUndefined();
    expect(flat.builtin?.long_context?.above_input_tokens).toBe(200000);

    await adminApi().delete(`/api/prices/${MODEL}`);
  }, 40_000);
});

describe('price form: long-context tier', () => {
  it('keeps every long-context rate of a price it did not touch', () => {
    const price = {
      input_per_mtok: 3,
      output_per_mtok: 15,
      long_context: {
        above_input_tokens: 200000,
        input_per_mtok: 6,
        cached_input_per_mtok: 0.6,
        cache_write_5m_per_mtok: 7.5,
        cache_write_1h_per_mtok: 12,
        output_per_mtok: 22.5,
        reasoning_per_mtok: 22.5,
      },
    };
    expect(priceBody(priceFormFrom('claude-sonnet-4-5', price))).toEqual(price);
  });

  it('checks the threshold and asks for a rate with it', () => {
    const form = priceFormFrom('m', { input_per_mtok: 1, long_context: { above_input_tokens: 100, output_per_mtok: 2 } });
    expect(priceFormProblems(form, false)).toEqual({});
    for (const bad of ['0', '1.5', '-3', 'many']) expect(priceFormProblems({ ...form, longAbove: bad }, false)).toEqual({ long_above: 'errors.threshold' });
    expect(priceFormProblems({ ...form, longRates: { ...form.longRates, output_per_mtok: '' } }, false)).toEqual({ long_above: 'errors.longRateNeeded' });
    expect(priceFormProblems({ ...form, longRates: { ...form.longRates, input_per_mtok: 'x' } }, false)).toEqual({ 'long:input_per_mtok': 'errors.amount' });
  });
});
