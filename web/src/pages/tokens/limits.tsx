// Rate limits (requests / tokens per minute, requests in flight) as three
// number fields, shared by the token and user forms. An empty field means
// "no limit" and is sent as null, which clears a limit the server holds.
import { useTranslation } from 'react-i18next';
import './form-parts.css';
import { Field } from '../../components/Field';

export interface RateLimits {
  rpm?: number;
  tpm?: number;
  concurrency?: number;
}

export const LIMIT_KEYS = ['rpm', 'tpm', 'concurrency'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];
export type LimitsForm = Record<LimitKey, string>;

export function limitsForm(limits: RateLimits | undefined): LimitsForm {
  return {
    rpm: limits?.rpm?.toString() ?? '',
    tpm: limits?.tpm?.toString() ?? '',
    concurrency: limits?.concurrency?.toString() ?? '',
  };
}

/** Which field (if any) is not a whole number ≥ 1. */
export function limitsProblem(form: LimitsForm): LimitKey | undefined {
  return LIMIT_KEYS.find((k) => form[k].trim() !== '' && !/^[1-9]\d{0,9}$/.test(form[k].trim()));
}

export function limitsBody(form: LimitsForm): Record<LimitKey, number | null> {
  const num = (s: string) => (s.trim() === '' ? null : Number(s.trim()));
  return { rpm: num(form.rpm), tpm: num(form.tpm), concurrency: num(form.concurrency) };
}

/** "60 requests/min · 2 at once" style summary; '' when there are none. */
export function useLimitsSummary(): (limits: RateLimits | undefined) => string {
  const { t } = useTranslation('tokens');
  return (limits) =>
    LIMIT_KEYS.filter((k) => limits?.[k])
      .map((k) => t(`limits.short.${k}`, { n: limits![k] }))
      .join(' · ');
}

export function LimitsFields({
  value,
  onChange,
  errors,
}: {
  value: LimitsForm;
  onChange: (next: LimitsForm) => void;
  errors?: Partial<Record<LimitKey, string>>;
}) {
  const { t } = useTranslation('tokens');
  return (
    <fieldset className="form-section">
      <legend>{t('limits.legend')}</legend>
      <p className="muted form-note">{t('limits.hint')}</p>
      <div className="form-grid">
        {LIMIT_KEYS.map((k) => (
          <Field key={k} label={t(`limits.${k}`)} error={errors?.[k]}>
            <input
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              value={value[k]}
              onChange={(e) => onChange({ ...value, [k]: e.target.value })}
            />
          </Field>
        ))}
      </div>
    </fieldset>
  );
}
