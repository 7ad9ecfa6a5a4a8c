// Which token key a playground calls the relay with: one of the caller's own
// tokens (its full key revealed through POST /api/token/:id/key) or a pasted
// key. Shared by both playgrounds; words live in the 'playground-image' namespace.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Notice';
import type { RelayKeyChoice } from './relay-key';

/** The fields of a token (src/admin/token-view.ts) the picker reads. */
interface TokenRow {
  id: number;
  name: string;
  key: string;
  status_name: string;
  model_limits_enabled: boolean;
  model_limits: string;
}

const PASTE = 'paste';

export function TokenKeyPicker({ value, onChange }: { value: RelayKeyChoice | undefined; onChange: (c: RelayKeyChoice | undefined) => void }) {
  const { t } = useTranslation('playground-image');
  const { api } = useSession();
  const tokens = useApi((a) => a.get<Page<TokenRow>>('/api/token/', { p: 1, page_size: 100 }), []);
  const [pasting, setPasting] = useState(value?.source === 'pasted');
  const [revealing, setRevealing] = useState(false);
  const [error, setError] = useState<ApiError>();

  const items = tokens.data?.items ?? [];
  const selected = pasting ? PASTE : value?.source === 'token' && items.some((x) => x.id === value.tokenId) ? String(value.tokenId) : '';

  const pick = async (v: string) => {
    setError(undefined);
    if (v === PASTE) {
      setPasting(true);
      onChange(undefined);
      return;
    }
    setPasting(false);
    const token = items.find((x) => String(x.id) === v);
    if (!token) {
      onChange(undefined);
      return;
    }
    setRevealing(true);
    try {
      const { key } = await api.post<{ id: number; key: string }>(`/api/token/${token.id}/key`);
      const models = token.model_limits_enabled ? token.model_limits.split(',').map((m) => m.trim()).filter(Boolean) : null;
      onChange({ source: 'token', tokenId: token.id, name: token.name, key, models });
    } catch (err) {
      onChange(undefined);
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setRevealing(false);
    }
  };

  return (
    <div className="key-picker">
      <Field label={t('key.token')} hint={revealing ? t('key.revealing') : items.length === 0 && !tokens.loading ? t('key.noTokens') : t('key.hint')}>
        <select value={selected} onChange={(e) => void pick(e.target.value)} disabled={revealing}>
          <option value="">{tokens.loading && !tokens.data ? t('key.loading') : t('key.choose')}</option>
          {items.map((x) => (
            <option key={x.id} value={x.id}>
              {x.status_name === 'enabled' ? t('key.option', { name: x.name, key: x.key }) : t('key.optionStatus', { name: x.name, key: x.key, status: x.status_name })}
            </option>
          ))}
          <option value={PASTE}>{t('key.paste')}</option>
        </select>
      </Field>
      {pasting && (
        <Field label={t('key.pasted')} hint={t('key.pastedHint')}>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value?.source === 'pasted' ? value.key : ''}
            onChange={(e) => onChange(e.target.value.trim() ? { source: 'pasted', key: e.target.value.trim() } : undefined)}
          />
        </Field>
      )}
      <ErrorNotice error={error ?? tokens.error} />
    </div>
  );
}
