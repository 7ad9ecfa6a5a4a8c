import { useTranslation } from 'react-i18next';

export function ChatPlaygroundPage() {
  const { t } = useTranslation('playground-chat');
  return <h1>{t('title')}</h1>;
}
