import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { LanguagePicker } from '../components/LanguagePicker';
import { useSessionState } from './session';

export function SignIn() {
  const { t } = useTranslation();
  const { signIn } = useSessionState();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key);
    } catch (err) {
      setError(t('signIn.failed', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{t('signIn.title')}</h1>
        <Field label={t('signIn.keyLabel')} hint={t('signIn.keyHint')} error={error}>
          <input type="password" autoComplete="current-password" value={key} onChange={(e) => setKey(e.target.value)} required />
        </Field>
        <button type="submit" className="primary" disabled={busy || !key.trim()}>
          {busy ? t('signIn.checking') : t('signIn.submit')}
        </button>
        <LanguagePicker />
      </form>
    </main>
  );
}
