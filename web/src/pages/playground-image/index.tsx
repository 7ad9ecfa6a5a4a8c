import { useTranslation } from 'react-i18next';

export function ImagePlaygroundPage() {
  const { t } = useTranslation('playground-image');
  return <h1>{t('title')}</h1>;
}
