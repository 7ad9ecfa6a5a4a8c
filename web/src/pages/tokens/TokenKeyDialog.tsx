// The full key of a token, with a Copy button: right after a create (the
// answer carries it) or on demand (`POST /api/token/:id/key` decrypts the
// stored key, so it can be shown again later).
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/use-api';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice, Notice } from '../../components/Notice';
import { SecretBox } from './SecretBox';
import type { TokenView } from './token-shapes';

export interface TokenKeyDialogProps {
  token: TokenView;
  /** True right after a create: `token.key` is the full key. */
  created?: boolean;
  onClose: () => void;
}

export function TokenKeyDialog({ token, created, onClose }: TokenKeyDialogProps) {
  const { t } = useTranslation('tokens');
  const revealed = useApi(
    (api) => (created ? Promise.resolve(undefined) : api.post<{ id: number; key: string }>(`/api/token/${token.id}/key`)),
    [token.id, created],
  );
  const key = created ? token.key : revealed.data?.key;
  return (
    <Dialog
      title={created ? t('key.createdTitle', { name: token.name }) : t('key.title', { name: token.name })}
      onClose={onClose}
      footer={
        <button type="button" className="primary" onClick={onClose}>
          {t('key.done')}
        </button>
      }
    >
      {created && <Notice tone="success">{t('key.created')}</Notice>}
      <ErrorNotice error={revealed.error} />
      {key === undefined && revealed.loading && <p className="muted">{t('common:table.loading')}</p>}
      {key !== undefined && <SecretBox label={t('key.label')} value={key} hint={t('key.hint')} />}
    </Dialog>
  );
}
