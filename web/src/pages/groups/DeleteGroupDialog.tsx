// Delete a group after confirming. What still uses it is shown up front; the
// server refuses a group in use (409) and its message is shown as is.
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { ConfirmDialog } from '../tokens/ConfirmDialog';
import type { GroupView } from '../tokens/group-options';

interface GroupUse {
  used_by: { users: number; tokens: number; channels: number };
}

export function DeleteGroupDialog({ group, onClose, onDeleted }: { group: GroupView; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation('groups');
  const { api } = useSession();
  const path = `/api/groups/${encodeURIComponent(group.name)}`;
  const use = useApi((a) => a.get<GroupView & GroupUse>(path), [path]);
  return (
    <ConfirmDialog
      title={t('deleteTitle')}
      confirmLabel={t('common:actions.delete')}
      danger
      onClose={onClose}
      onConfirm={async () => {
        await api.delete(path);
        onDeleted();
      }}
    >
      <p>{t('common:actions.confirmDelete', { name: group.name })}</p>
      {use.data && <p className="muted">{t('usedBy', use.data.used_by)}</p>}
    </ConfirmDialog>
  );
}
