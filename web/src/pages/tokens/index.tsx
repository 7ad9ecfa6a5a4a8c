import { useTranslation } from 'react-i18next';

export function TokensPage() {
  const { t } = useTranslation('tokens');
  return <h1>{t('title')}</h1>;
}
