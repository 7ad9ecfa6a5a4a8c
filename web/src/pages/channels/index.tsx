import { useTranslation } from 'react-i18next';

export function ChannelsPage() {
  const { t } = useTranslation('channels');
  return <h1>{t('title')}</h1>;
}
