import { useTranslation } from 'react-i18next';

/** enabled / disabled / auto_disabled / … as a coloured, translated badge. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const tone = status === 'enabled' ? 'ok' : status === 'auto_disabled' || status === 'exhausted' ? 'warn' : 'off';
  return <span className={`badge badge-${tone}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}
