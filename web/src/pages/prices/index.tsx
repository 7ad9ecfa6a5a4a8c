import { useTranslation } from 'react-i18next';

export function PricesPage() {
  const { t } = useTranslation('prices');
  return <h1>{t('title')}</h1>;
}
