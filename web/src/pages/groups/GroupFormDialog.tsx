// Create or edit a group: its name (fixed once made), price ratio and
// description (src/admin/routes/groups.ts).
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { DialogButtons } from '../../components/DialogButtons';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Notice';
import type { GroupView } from '../tokens/group-options';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface GroupFormDialogProps {
  group?: GroupView;
  /** Names taken already: creating one of them would overwrite it (the API upserts by name). */
  taken?: readonly string[];
  onClose: () => void;
  onSaved: (g: GroupView) => void;
}

export function GroupFormDialog({ group, taken = [], onClose, onSaved }: GroupFormDialogProps) {
  const { t } = useTranslation('groups');
  const { api } = useSession();
  const formId = useId();
  const [name, setName] = useState(group?.name ?? '');
  const [ratio, setRatio] = useState(String(group?.ratio ?? 1));
  const [description, setDescription] = useState(group?.description ?? '');
  const [problems, setProblems] = useState<{ name?: string; ratio?: string }>({});
  const [serverError, setServerError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: typeof problems = {};
    if (!group && !NAME.test(name.trim())) found.name = t('errors.name');
    else if (!group && taken.includes(name.trim())) found.name = t('errors.taken');
    const r = Number(ratio);
    if (ratio.trim() === '' || !(r >= 0 && r <= 1000)) found.ratio = t('errors.ratio');
    setProblems(found);
    setServerError(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const body = { ratio: r, description: description.trim() };
      onSaved(
        group
          ? await api.put<GroupView>(`/api/groups/${encodeURIComponent(group.name)}`, body)
          : await api.post<GroupView>('/api/groups', { name: name.trim(), ...body }),
      );
    } catch (err) {
      setServerError(err as ApiError);
      setBusy(false);
    }
  };

  const fieldError = (f: 'name' | 'ratio' | 'description') => problems[f as 'name'] ?? (serverError?.field === f ? serverError.message : undefined);

  return (
    <Dialog
      title={group ? t('form.editTitle', { name: group.name }) : t('form.createTitle')}
      onClose={onClose}
      footer={<DialogButtons onCancel={onClose} formId={formId} busy={busy} submitLabel={group ? t('common:actions.save') : t('form.submitCreate')} />}
    >
      <form id={formId} onSubmit={submit} noValidate>
        {group ? (
          <p>
            {t('form.name')}: <strong>{group.name}</strong>
          </p>
        ) : (
          <Field label={t('form.name')} hint={t('form.nameHint')} error={fieldError('name')}>
            <input type="text" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />
          </Field>
        )}
        <Field label={t('form.ratio')} hint={t('form.ratioHint')} error={fieldError('ratio')}>
          <input type="number" inputMode="decimal" min={0} max={1000} step="any" value={ratio} onChange={(e) => setRatio(e.target.value)} />
        </Field>
        <Field label={t('form.description')} error={fieldError('description')}>
          <textarea rows={3} maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        {serverError && !['name', 'ratio', 'description'].includes(serverError.field ?? '') && <ErrorNotice error={serverError} />}
      </form>
    </Dialog>
  );
}
