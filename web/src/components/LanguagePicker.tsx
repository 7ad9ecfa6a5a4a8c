import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n';

/** English / 中文, remembered (i18n/index.ts). `showLabel: false` keeps the label for screen readers only. */
export function LanguagePicker({ showLabel = true }: { showLabel?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang-picker">
      <span className={showLabel ? undefined : 'visually-hidden'}>{t('language')}</span>
      <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
