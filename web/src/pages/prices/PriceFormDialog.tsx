// Set a model's price (an override of the built-in one, or a price for a
// model the gateway does not know): token rates, per call, the long-context
// tier (its threshold and rates), and per image by size. Each field shows the
// built-in value beside it when there is one.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { DialogButtons } from '../../components/DialogButtons';
import { Field } from '../../components/Field';
import { formatNumber, formatUsd } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import {
  LONG_RATE_FIELDS,
  priceBody,
  priceFormFrom,
  priceFormProblems,
  pricePath,
  RATE_FIELDS,
  type LongRateField,
  type ModelPrice,
  type PriceEntry,
  type PriceForm,
} from './price-shapes';

export interface PriceFormDialogProps {
  /** The entry being edited; absent = a price for a new model. */
  entry?: PriceEntry;
  onClose: () => void;
  onSaved: (entry: PriceEntry) => void;
}

export function PriceFormDialog({ entry, onClose, onSaved }: PriceFormDialogProps) {
  const { t, i18n } = useTranslation('prices');
  const { api } = useSession();
  const formId = useId();
  const [form, setForm] = useState<PriceForm>(() => priceFormFrom(entry?.model ?? '', entry?.price));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const builtin: ModelPrice | null = entry ? (entry.source === 'builtin' ? entry.price : entry.builtin) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = priceFormProblems(form, !entry);
    setProblems(found);
    setServerError(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      onSaved(await api.put<PriceEntry>(pricePath(entry?.model ?? form.model.trim()), priceBody(form)));
    } catch (err) {
      setServerError(err as ApiError);
      setBusy(false);
    }
  };

  // The server's refusal (it names the field, e.g. `per_image.1K`) shows once, above the buttons.
  const problem = (key: string) => (problems[key] ? t(problems[key]) : undefined);
  const builtinHint = (value: number | undefined) => (builtin && value !== undefined ? t('form.builtinValue', { value: formatUsd(value) }) : undefined);
  const setRate = (k: (typeof RATE_FIELDS)[number], v: string) => setForm((f) => ({ ...f, rates: { ...f.rates, [k]: v } }));
  const setLongRate = (k: LongRateField, v: string) => setForm((f) => ({ ...f, longRates: { ...f.longRates, [k]: v } }));
  const builtinLong = builtin?.long_context;
  const setImage = (i: number, patch: Partial<PriceForm['images'][number]>) =>
    setForm((f) => ({ ...f, images: f.images.map((row, j) => (j === i ? { ...row, ...patch } : row)) }));

  return (
    <Dialog
      wide
      title={entry ? t('form.editTitle', { model: entry.model }) : t('form.createTitle')}
      onClose={onClose}
      footer={<DialogButtons onCancel={onClose} formId={formId} busy={busy} submitLabel={t('common:actions.save')} />}
    >
      <form id={formId} onSubmit={submit} noValidate className="price-form">
        <p className="muted">{t('form.intro')}</p>
        {!entry && (
          <Field label={t('form.model')} hint={t('form.modelHint')} error={problem('model')}>
            <input type="text" value={form.model} maxLength={128} onChange={(e) => setForm((f) => ({ ...f, model: e.target.value }))} autoComplete="off" spellCheck={false} />
          </Field>
        )}
        <fieldset className="form-section">
          <legend>{t('form.tokensLegend')}</legend>
          <div className="form-grid">
            {RATE_FIELDS.map((k) => (
              <Field key={k} label={t(`field.${k}`)} hint={builtinHint(builtin?.[k])} error={problem(k)}>
                <input type="text" inputMode="decimal" value={form.rates[k]} onChange={(e) => setRate(k, e.target.value)} autoComplete="off" />
              </Field>
            ))}
            <Field label={t('field.per_call')} hint={builtinHint(builtin?.per_call)} error={problem('per_call')}>
              <input type="text" inputMode="decimal" value={form.perCall} onChange={(e) => setForm((f) => ({ ...f, perCall: e.target.value }))} autoComplete="off" />
            </Field>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('form.longLegend')}</legend>
          <p className="muted form-note">{t('form.longHint')}</p>
          <div className="form-grid">
            <Field
              label={t('field.long_above')}
              hint={builtinLong ? t('form.builtinTokens', { value: formatNumber(builtinLong.above_input_tokens, i18n.language) }) : undefined}
              error={problem('long_above')}
            >
              <input type="text" inputMode="numeric" value={form.longAbove} onChange={(e) => setForm((f) => ({ ...f, longAbove: e.target.value }))} autoComplete="off" />
            </Field>
            {LONG_RATE_FIELDS.map((k) => (
              <Field key={k} label={t(`longField.${k}`)} hint={builtinHint(builtinLong?.[k])} error={problem(`long:${k}`)}>
                <input type="text" inputMode="decimal" value={form.longRates[k]} onChange={(e) => setLongRate(k, e.target.value)} autoComplete="off" />
              </Field>
            ))}
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('form.imagesLegend')}</legend>
          <p className="muted form-note">{t('form.imagesHint')}</p>
          <table className="image-prices">
            <caption className="visually-hidden">{t('form.imagesLegend')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('form.size')}</th>
                <th scope="col">{t('form.usdPerImage')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {form.images.map((row, i) => {
                const sizeLabel = row.standard ? (row.size === 'default' ? t('form.sizeDefault') : row.size) : row.size || t('form.newSize');
                const err = problem(`image:${i}`);
                const errId = `${formId}-image-${i}-error`;
                const builtinUsd = builtin?.per_image?.[row.size];
                const builtinId = `${formId}-image-${i}-builtin`;
                const describedBy = [builtinUsd !== undefined ? builtinId : '', err ? errId : ''].filter(Boolean).join(' ') || undefined;
                return (
                  <tr key={i}>
                    <th scope="row">
                      {row.standard ? (
                        sizeLabel
                      ) : (
                        <input
                          type="text"
                          value={row.size}
                          maxLength={32}
                          aria-label={t('form.sizeName', { n: i + 1 })}
                          onChange={(e) => setImage(i, { size: e.target.value })}
                          spellCheck={false}
                        />
                      )}
                    </th>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        value={row.usd}
                        aria-label={t('form.imagePrice', { size: sizeLabel })}
                        aria-invalid={err ? true : undefined}
                        aria-describedby={describedBy}
                        onChange={(e) => setImage(i, { usd: e.target.value })}
                        autoComplete="off"
                      />
                      {builtinUsd !== undefined && (
                        <small id={builtinId} className="muted">
                          {t('form.builtinValue', { value: formatUsd(builtinUsd) })}
                        </small>
                      )}
                      {err && (
                        <small id={errId} className="field-error" role="alert">
                          {err}
                        </small>
                      )}
                    </td>
                    <td>
                      {!row.standard && (
                        <button
                          type="button"
                          onClick={() => setForm((f) => ({ ...f, images: f.images.filter((_, j) => j !== i) }))}
                          aria-label={t('form.removeSize', { size: sizeLabel })}
                        >
                          {t('form.remove')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" onClick={() => setForm((f) => ({ ...f, images: [...f.images, { size: '', usd: '', standard: false }] }))}>
            {t('form.addSize')}
          </button>
        </fieldset>
        {problems.form && <p className="notice notice-error" role="alert">{t(problems.form)}</p>}
        <ErrorNotice error={serverError} />
      </form>
    </Dialog>
  );
}
