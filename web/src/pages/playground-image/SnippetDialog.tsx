// "Copy as code": the current request as curl, Python or Node, in tabs, with a
// copy button. The key stays an environment variable unless the user ticks the box.
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { KEY_ENV, snippet, type SnippetInput, type SnippetLanguage } from './snippets';

const LANGUAGES: SnippetLanguage[] = ['curl', 'python', 'node'];

export function SnippetDialog({ input, onClose }: { input: Omit<SnippetInput, 'includeKey'>; onClose: () => void }) {
  const { t } = useTranslation('playground-image');
  const id = useId();
  const [language, setLanguage] = useState<SnippetLanguage>('curl');
  const [includeKey, setIncludeKey] = useState(false);
  const code = snippet(language, { ...input, includeKey });

  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = LANGUAGES[(LANGUAGES.indexOf(language) + (e.key === 'ArrowRight' ? 1 : LANGUAGES.length - 1)) % LANGUAGES.length]!;
    setLanguage(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };

  return (
    <Dialog title={t('code.title')} onClose={onClose} wide footer={<CopyButton text={code} label={t('code.copy', { language: t(`code.${language}`) })} />}>
      <div role="tablist" aria-label={t('code.languages')} className="code-tabs" onKeyDown={onTabKey}>
        {LANGUAGES.map((l) => (
          <button
            key={l}
            id={`${id}-tab-${l}`}
            type="button"
            role="tab"
            aria-selected={l === language}
            aria-controls={`${id}-panel`}
            tabIndex={l === language ? 0 : -1}
            onClick={() => setLanguage(l)}
          >
            {t(`code.${l}`)}
          </button>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" checked={includeKey} onChange={(e) => setIncludeKey(e.target.checked)} disabled={!input.key} />
        {t('code.includeKey')}
      </label>
      <p className="muted">{includeKey ? t('code.keyWarning') : t('code.keyEnv', { env: KEY_ENV })}</p>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${language}`}>
        <pre className="code-block" tabIndex={0} aria-label={t('code.snippet', { language: t(`code.${language}`) })}>
          <code>{code}</code>
        </pre>
      </div>
    </Dialog>
  );
}
