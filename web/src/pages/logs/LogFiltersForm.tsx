// The filter bar: token, model, channel (admins), status and a time range.
// Applied on submit (so typing a model name does not reload on every key).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient, Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { Field } from '../../components/Field';
import { EMPTY_FILTERS, localInputToMs, msToLocalInput, type LogFilters } from './filters';
import type { ChannelName } from './use-channel-names';

interface TokenOption {
  id: number;
  name: string;
  user_id: number;
}

export interface LogFiltersFormProps {
  value: LogFilters;
  channels: ChannelName[];
  onApply: (filters: LogFilters) => void;
}

const LIST_MAX = 100;

/** The newest LIST_MAX tokens, newest first (the list API pages oldest first). */
async function newestTokens(api: ApiClient, userId: 'all' | undefined): Promise<TokenOption[]> {
  const first = await api.get<Page<TokenOption>>('/api/token/', { user_id: userId, page_size: LIST_MAX });
  if (first.total <= LIST_MAX) return first.items.reverse();
  const last = Math.ceil(first.total / LIST_MAX);
  const pages = await Promise.all([last - 1, last].map((p) => api.get<Page<TokenOption>>('/api/token/', { user_id: userId, page_size: LIST_MAX, p })));
  return pages.flatMap((pg) => pg.items).slice(-LIST_MAX).reverse();
}

/** Keeps an option for a value the lists do not hold (e.g. from a shared link). */
function withCurrent<T extends { value: string; label: string }>(options: T[], current: string, label: string): Array<{ value: string; label: string }> {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label }] : options;
}

export function LogFiltersForm({ value, channels, onApply }: LogFiltersFormProps) {
  const { t } = useTranslation('logs');
  const { isAdmin, user } = useSession();
  const [draft, setDraft] = useState(value);
  // A new URL (back button, a shared link) resets the form to what it says.
  const applied = JSON.stringify(value);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setDraft(value), [applied]);

  // Admins pick among everyone's tokens, users among their own: the newest 100.
  const tokens = useApi((a) => newestTokens(a, isAdmin ? 'all' : undefined), [isAdmin]);
  const tokenOptions = withCurrent(
    (tokens.data ?? []).map((tk) => ({ value: String(tk.id), label: isAdmin && tk.user_id !== user.id ? `${tk.name} (#${tk.id}, ${t('filters.userN', { id: tk.user_id })})` : `${tk.name} (#${tk.id})` })),
    draft.token_id,
    `#${draft.token_id}`,
  );
  const channelOptions = withCurrent(
    channels.map((c) => ({ value: String(c.id), label: `${c.name} (#${c.id})` })),
    draft.channel_id,
    `#${draft.channel_id}`,
  );
  const statusOptions = withCurrent(
    [
      { value: 'success', label: t('filters.statusSuccess') },
      { value: 'error', label: t('filters.statusError') },
    ],
    draft.status,
    draft.status,
  );

  const set = (k: keyof LogFilters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ ...draft, model: draft.model.trim() });
  };

  return (
    <form className="logs-filters" onSubmit={submit} aria-label={t('filters.title')}>
      <div className="logs-filter-grid">
      <Field label={t('filters.token')}>
        <select value={draft.token_id} onChange={set('token_id')}>
          <option value="">{t('filters.any')}</option>
          {tokenOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filters.model')} hint={t('filters.modelHint')}>
        <input type="text" value={draft.model} onChange={set('model')} autoComplete="off" spellCheck={false} />
      </Field>
      {isAdmin && (
        <Field label={t('filters.channel')}>
          <select value={draft.channel_id} onChange={set('channel_id')}>
            <option value="">{t('filters.any')}</option>
            {channelOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label={t('filters.status')}>
        <select value={draft.status} onChange={set('status')}>
          <option value="">{t('filters.any')}</option>
          {statusOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filters.from')}>
        <input type="datetime-local" value={msToLocalInput(draft.from)} onChange={(e) => setDraft((d) => ({ ...d, from: localInputToMs(e.target.value) }))} />
      </Field>
      <Field label={t('filters.to')}>
        <input type="datetime-local" value={msToLocalInput(draft.to)} onChange={(e) => setDraft((d) => ({ ...d, to: localInputToMs(e.target.value) }))} />
      </Field>
      </div>
      <div className="logs-filter-actions">
        <button type="submit" className="primary">
          {t('filters.apply')}
        </button>
        <button type="button" onClick={() => onApply(EMPTY_FILTERS)}>
          {t('filters.clear')}
        </button>
      </div>
    </form>
  );
}
