import { useTranslation } from 'react-i18next';

export function LogsPage() {
  const { t } = useTranslation('logs');
  return <h1>{t('title')}</h1>;
}
