// A search field with its button, submitted by Enter or click; used by the
// tokens, users and prices lists (a candidate for src/components/).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import './form-parts.css';

/** `hint` shows as the placeholder, so the field lines up with its neighbours in a toolbar. */
export function SearchForm({ label, hint, onSearch }: { label: string; hint?: string; onSearch: (text: string) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(draft.trim());
  };
  return (
    <form className="toolbar-search" onSubmit={submit} role="search">
      <Field label={label}>
        <input type="search" value={draft} placeholder={hint} onChange={(e) => setDraft(e.target.value)} autoComplete="off" />
      </Field>
      <button type="submit">{t('actions.search')}</button>
    </form>
  );
}
