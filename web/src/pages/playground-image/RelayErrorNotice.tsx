// A failed relay call in plain words, announced (role=alert). Shared by both playgrounds.
import { useTranslation } from 'react-i18next';
import { hintKey, RelayError } from './relay-error';

export function RelayErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation('playground-image');
  if (!error) return null;
  if (error instanceof RelayError) {
    const hint = hintKey(error.status);
    return (
      <div className="notice notice-error" role="alert">
        <p>{error.status === 0 ? t('errors.unreachable') : t('errors.refused', { status: error.status, message: error.message })}</p>
        {hint && error.status !== 0 && <p>{t(hint)}</p>}
      </div>
    );
  }
  return (
    <p className="notice notice-error" role="alert">
      {t('errors.other', { message: error instanceof Error ? error.message : String(error) })}
    </p>
  );
}
