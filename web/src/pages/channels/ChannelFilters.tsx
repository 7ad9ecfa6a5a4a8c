// The list's filters: name and model (parts of), type, status and group.
// Each change reloads the list from its first page.
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { CHANNEL_TYPES } from './types';

export interface Filters {
  name: string;
  type: string;
  status: string;
  group: string;
  model: string;
}

export const NO_FILTERS: Filters = { name: '', type: '', status: '', group: '', model: '' };
const STATUSES = ['enabled', 'disabled', 'auto_disabled'] as const;

export function ChannelFilters({ value, onChange, groups }: { value: Filters; onChange: (f: Filters) => void; groups: string[] }) {
  const { t } = useTranslation('channels');
  const set = (key: keyof Filters, v: string) => onChange({ ...value, [key]: v });
  return (
    <div className="toolbar channel-filters" role="search">
      <Field label={t('filters.name')}>
        <input type="search" value={value.name} autoComplete="off" onChange={(e) => set('name', e.target.value)} />
      </Field>
      <Field label={t('filters.type')}>
        <select value={value.type} onChange={(e) => set('type', e.target.value)}>
          <option value="">{t('filters.any')}</option>
          {CHANNEL_TYPES.map((ct) => (
            <option key={ct} value={ct}>
              {t(`types.${ct}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filters.status')}>
        <select value={value.status} onChange={(e) => set('status', e.target.value)}>
          <option value="">{t('filters.any')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`statuses.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filters.group')}>
        <select value={value.group} onChange={(e) => set('group', e.target.value)}>
          <option value="">{t('filters.any')}</option>
          {groups.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filters.model')}>
        <input type="search" value={value.model} autoComplete="off" onChange={(e) => set('model', e.target.value)} />
      </Field>
    </div>
  );
}
