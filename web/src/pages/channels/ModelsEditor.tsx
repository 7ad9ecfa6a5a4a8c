// The channel's models as removable chips, with a quick add: type or paste
// one or several names (Enter adds), pick a suggestion, or take over the
// client models of the mapping in one click.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { MODEL_NAME, splitModels } from './channel-form';

export interface ModelsEditorProps {
  models: string[];
  onChange: (models: string[]) => void;
  /** Client models of the mapping, offered for adding when missing. */
  mapped: string[];
  /** Models other channels serve, as typing suggestions. */
  suggestions: string[];
}

export function ModelsEditor({ models, onChange, mapped, suggestions }: ModelsEditorProps) {
  const { t } = useTranslation('channels');
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string>();
  const listId = useId();
  const add = (names: string[]) => {
    const bad = names.find((n) => !MODEL_NAME.test(n));
    if (bad !== undefined) return setError(t('errors.modelName'));
    setError(undefined);
    onChange([...new Set([...models, ...names])]);
  };
  const addDraft = () => {
    const names = splitModels(draft);
    if (names.length === 0) return;
    add(names);
    setDraft('');
  };
  const missingMapped = [...new Set(mapped)].filter((m) => m !== '' && !models.includes(m));
  return (
    <fieldset className="models-editor">
      <legend>{t('form.models')}</legend>
      {models.length === 0 ? (
        <p className="muted">{t('form.noModels')}</p>
      ) : (
        <ul className="chips" aria-label={t('form.models')}>
          {models.map((m) => (
            <li key={m} className="chip">
              <span>{m}</span>
              <button type="button" className="icon-button" aria-label={t('form.removeModel', { model: m })} onClick={() => onChange(models.filter((x) => x !== m))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline-add">
        <Field label={t('form.newModel')} hint={t('form.newModelHint')} error={error}>
          <input
            list={listId}
            value={draft}
            autoComplete="off"
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addDraft();
              }
            }}
          />
        </Field>
        <button type="button" onClick={addDraft}>
          {t('form.addModel')}
        </button>
        {missingMapped.length > 0 && (
          <button type="button" onClick={() => add(missingMapped)}>
            {t('form.addMapped', { count: missingMapped.length })}
          </button>
        )}
      </div>
      <datalist id={listId}>
        {suggestions
          .filter((s) => !models.includes(s))
          .map((s) => (
            <option key={s} value={s} />
          ))}
      </datalist>
    </fieldset>
  );
}
