import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** An error (or other notice) announced to screen readers. */
export function ErrorNotice({ error }: { error: { message: string } | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="notice notice-error" role="alert">
      {t('error.generic', { message: error.message })}
    </p>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' | 'error' }) {
  return (
    <p className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}
