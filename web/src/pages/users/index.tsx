import { useTranslation } from 'react-i18next';

export function UsersPage() {
  const { t } = useTranslation('users');
  return <h1>{t('title')}</h1>;
}
