// A new access key for an account: confirm first (the old key stops working
// at once), then show the new one with a Copy button. The server keeps only
// its hash, so it is shown this once.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/Notice';
import { ConfirmDialog } from '../tokens/ConfirmDialog';
import { SecretBox } from '../tokens/SecretBox';

/** Shows `accessKey` (just made) for `name`. */
export function AccessKeyShown({ name, accessKey, created, onClose }: { name: string; accessKey: string; created?: boolean; onClose: () => void }) {
  const { t } = useTranslation('users');
  return (
    <Dialog
      title={created ? t('accessKey.createdTitle', { name }) : t('accessKey.newTitle', { name })}
      onClose={onClose}
      footer={
        <button type="button" className="primary" onClick={onClose}>
          {t('accessKey.done')}
        </button>
      }
    >
      <Notice tone="success">{t('accessKey.once')}</Notice>
      <SecretBox label={t('accessKey.label')} value={accessKey} hint={t('accessKey.hint')} />
    </Dialog>
  );
}

export function RegenerateKeyDialog({ user, onClose }: { user: { id: number; username: string }; onClose: () => void }) {
  const { t } = useTranslation('users');
  const { api } = useSession();
  const [key, setKey] = useState<string | undefined>();
  if (key) return <AccessKeyShown name={user.username} accessKey={key} onClose={onClose} />;
  return (
    <ConfirmDialog
      title={t('accessKey.confirmTitle')}
      confirmLabel={t('accessKey.confirm')}
      onClose={onClose}
      onConfirm={async () => {
        const answer = await api.post<{ id: number; access_key: string }>(`/api/users/${user.id}/access_key`, {});
        setKey(answer.access_key);
      }}
    >
      <p>{t('accessKey.confirmText', { name: user.username })}</p>
    </ConfirmDialog>
  );
}
