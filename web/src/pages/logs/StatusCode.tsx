// An HTTP status as a badge with its number (or "no answer"): the words carry
// the meaning, the colour only repeats it.
import { useTranslation } from 'react-i18next';

export function StatusCode({ status }: { status: number | null }) {
  const { t } = useTranslation('logs');
  if (status === null || status === 0) return <span className="badge logs-badge-err">{t('status.noAnswer')}</span>;
  const ok = status < 400;
  return <span className={ok ? 'badge badge-ok' : 'badge logs-badge-err'}>{ok ? status : t('status.failed', { status })}</span>;
}
