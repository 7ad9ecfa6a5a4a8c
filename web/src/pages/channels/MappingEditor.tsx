// Model mapping as pairs: client model → upstream model, one row each.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { mappingRow, type MappingRow } from './channel-form';

export function MappingEditor({ rows, onChange, error }: { rows: MappingRow[]; onChange: (rows: MappingRow[]) => void; error?: string }) {
  const { t } = useTranslation('channels');
  const errorId = useId();
  const set = (id: number, patch: Partial<MappingRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <fieldset className="mapping-editor" aria-describedby={error ? errorId : undefined}>
      <legend>{t('form.mapping')}</legend>
      <p className="hint muted">{t('form.mappingHint')}</p>
      {rows.map((row, i) => (
        <div key={row.id} className="mapping-row">
          <Field label={t('form.clientModel')}>
            <input value={row.from} autoComplete="off" onChange={(e) => set(row.id, { from: e.target.value })} />
          </Field>
          <span aria-hidden="true" className="mapping-arrow">
            →
          </span>
          <Field label={t('form.upstreamModel')}>
            <input value={row.to} autoComplete="off" onChange={(e) => set(row.id, { to: e.target.value })} />
          </Field>
          <button type="button" className="icon-button" aria-label={t('form.removeMapping', { n: i + 1 })} onClick={() => onChange(rows.filter((r) => r.id !== row.id))}>
            ×
          </button>
        </div>
      ))}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" onClick={() => onChange([...rows, mappingRow()])}>
        {t('form.addMapping')}
      </button>
    </fieldset>
  );
}
