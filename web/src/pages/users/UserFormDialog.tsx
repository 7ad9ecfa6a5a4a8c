// Create or edit an account. Only root may grant the admin role, so others
// see no role choice; the root account's role and balance are not editable.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { DialogButtons } from '../../components/DialogButtons';
import { Field } from '../../components/Field';
import { formatUsd } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import { useGroupNames } from '../tokens/group-options';
import { LimitsFields } from '../tokens/limits';
import { emptyUserForm, userBody, userFormFieldOf, userFormFrom, userFormProblems, type UserForm, type UserFormField, type UserView } from './user-shapes';

export interface UserFormDialogProps {
  user?: UserView;
  onClose: () => void;
  /** The server's answer; on create it carries the new `access_key`. */
  onSaved: (user: UserView & { access_key?: string }) => void;
}

export function UserFormDialog({ user: editing, onClose, onSaved }: UserFormDialogProps) {
  const { t } = useTranslation('users');
  const { api, user: me } = useSession();
  const formId = useId();
  const groups = useGroupNames();
  const [form, setForm] = useState<UserForm>(() => (editing ? userFormFrom(editing) : emptyUserForm()));
  const [problems, setProblems] = useState<Partial<Record<UserFormField, string>>>({});
  const [serverError, setServerError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const mayGrantAdmin = me.role === 'root';
  const isRoot = editing?.role === 'root';

  const set = <K extends keyof UserForm>(key: K, value: UserForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const errorOf = (field: UserFormField): string | undefined => {
    if (problems[field]) return t(problems[field]!);
    if (serverError && userFormFieldOf(serverError.field) === field) return serverError.message;
    return undefined;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = userFormProblems(form, editing);
    setProblems(found);
    setServerError(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const body = userBody(form, editing, mayGrantAdmin);
      onSaved(editing ? await api.put<UserView>(`/api/users/${editing.id}`, body) : await api.post<UserView & { access_key: string }>('/api/users', body));
    } catch (err) {
      setServerError(err as ApiError);
      setBusy(false);
    }
  };

  const groupOptions = [...new Set([...groups, form.group])].sort((a, b) => a.localeCompare(b));
  const shownAtField = serverError && userFormFieldOf(serverError.field) !== undefined;

  return (
    <Dialog
      wide
      title={editing ? t('form.editTitle', { name: editing.username }) : t('form.createTitle')}
      onClose={onClose}
      footer={<DialogButtons onCancel={onClose} formId={formId} busy={busy} submitLabel={editing ? t('common:actions.save') : t('form.submitCreate')} />}
    >
      <form id={formId} onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label={t('form.name')} hint={t('form.nameHint')} error={errorOf('name')}>
            <input type="text" value={form.name} maxLength={64} onChange={(e) => set('name', e.target.value)} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label={t('form.displayName')} error={errorOf('displayName')}>
            <input type="text" value={form.displayName} maxLength={128} onChange={(e) => set('displayName', e.target.value)} autoComplete="off" />
          </Field>
          {mayGrantAdmin && !isRoot ? (
            <Field label={t('form.role')} error={errorOf('role')}>
              <select value={form.role} onChange={(e) => set('role', e.target.value as UserForm['role'])}>
                <option value="user">{t('role.user')}</option>
                <option value="admin">{t('role.admin')}</option>
              </select>
            </Field>
          ) : (
            <p className="field muted">
              {t('form.role')}: {t(`role.${editing?.role ?? 'user'}`)}
            </p>
          )}
          <Field label={t('form.group')} error={errorOf('group')}>
            <select value={form.group} onChange={(e) => set('group', e.target.value)}>
              {groupOptions.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </Field>
          {!isRoot && (
            <Field
              label={t('form.balance')}
              hint={editing ? t('form.balanceEditHint', { used: formatUsd(editing.used_usd) }) : t('form.balanceHint')}
              error={errorOf('balanceUsd')}
            >
              <input type="number" inputMode="decimal" min={0} step="any" value={form.balanceUsd} onChange={(e) => set('balanceUsd', e.target.value)} />
            </Field>
          )}
        </div>
        <LimitsFields
          value={form.limits}
          onChange={(v) => set('limits', v)}
          errors={{ rpm: errorOf('rpm'), tpm: errorOf('tpm'), concurrency: errorOf('concurrency') }}
        />
        <p className="muted">{t('form.limitsNote')}</p>
        {!shownAtField && <ErrorNotice error={serverError} />}
      </form>
    </Dialog>
  );
}
