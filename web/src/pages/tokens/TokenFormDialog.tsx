// Create or edit a token: every field the API takes (src/admin/token-input.ts).
// Problems the browser can see are named before sending; the server's
// refusal shows under the field it names, or above the buttons.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { DialogButtons } from '../../components/DialogButtons';
import { Field } from '../../components/Field';
import { formatUsd } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import { Check } from './Check';
import { useGroupNames } from './group-options';
import { LimitsFields } from './limits';
import {
  emptyTokenForm,
  formFieldOf,
  IMAGE_OUTPUT_MODES,
  tokenBody,
  tokenFormFrom,
  tokenFormProblems,
  type TokenForm,
  type TokenFormField,
  type TokenView,
} from './token-shapes';

export interface OwnerOption {
  id: number;
  label: string;
}

export interface TokenFormDialogProps {
  /** The token being edited; absent = create. */
  token?: TokenView;
  /** Admins: accounts a new token may belong to (besides the caller). */
  owners?: OwnerOption[];
  /** Admins: the owner a new token starts with (the account being viewed). */
  defaultOwnerId?: number;
  onClose: () => void;
  /** Called with the server's answer (on create it carries the full key). */
  onSaved: (token: TokenView) => void;
}

export function TokenFormDialog({ token, owners, defaultOwnerId, onClose, onSaved }: TokenFormDialogProps) {
  const { t } = useTranslation('tokens');
  const { api, user, isAdmin } = useSession();
  const formId = useId();
  const { data: known = [] } = useApi((a) => a.get<string[]>('/api/user/models'), []);
  const groups = useGroupNames();
  const [form, setForm] = useState<TokenForm>(() =>
    token ? tokenFormFrom(token, []) : { ...emptyTokenForm(), ownerId: defaultOwnerId && defaultOwnerId !== user.id ? String(defaultOwnerId) : '' },
  );
  const [seeded, setSeeded] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<TokenFormField, string>>>({});
  const [serverError, setServerError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  // Once the model list is in, an edited token's models split into ticks and "other".
  if (token && !seeded && known.length > 0) {
    setSeeded(true);
    setForm((f) => ({ ...f, ...pickModels(tokenFormFrom(token, known)) }));
  }

  const set = <K extends keyof TokenForm>(key: K, value: TokenForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const errorOf = (field: TokenFormField): string | undefined => {
    if (problems[field]) return t(problems[field]!);
    if (serverError && formFieldOf(serverError.field) === field) return serverError.message;
    return undefined;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = tokenFormProblems(form);
    setProblems(found);
    setServerError(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const body = tokenBody(form, token);
      const saved = token ? await api.put<TokenView>('/api/token/', body) : await api.post<TokenView>('/api/token/', body);
      onSaved(saved);
    } catch (err) {
      setServerError(err as ApiError);
      setBusy(false);
    }
  };

  const groupOptions = [...new Set([...groups, ...(form.group ? [form.group] : [])])];
  const modelChoices = [...new Set([...known, ...form.models])];
  const serverErrorShownAtField = serverError && formFieldOf(serverError.field) !== undefined;

  return (
    <Dialog
      wide
      title={token ? t('form.editTitle', { name: token.name }) : t('form.createTitle')}
      onClose={onClose}
      footer={<DialogButtons onCancel={onClose} formId={formId} busy={busy} submitLabel={token ? t('common:actions.save') : t('form.submitCreate')} />}
    >
      <form id={formId} onSubmit={submit} noValidate className="token-form">
        <div className="form-grid">
          <Field label={t('form.name')} error={errorOf('name')}>
            <input type="text" value={form.name} maxLength={100} onChange={(e) => set('name', e.target.value)} autoComplete="off" />
          </Field>
          {isAdmin && !token && owners && (
            <Field label={t('form.owner')} error={errorOf('ownerId')}>
              <select value={form.ownerId} onChange={(e) => set('ownerId', e.target.value)}>
                <option value="">{t('form.ownerSelf', { name: user.display_name || user.username })}</option>
                {owners
                  .filter((o) => o.id !== user.id)
                  .map((o) => (
                    <option key={o.id} value={String(o.id)}>
                      {o.label}
                    </option>
                  ))}
              </select>
            </Field>
          )}
          <Field label={t('form.group')} hint={t('form.groupHint')} error={errorOf('group')}>
            <select value={form.group} onChange={(e) => set('group', e.target.value)}>
              <option value="">{t('form.groupOwner')}</option>
              {groupOptions.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </Field>
        </div>

        <fieldset className="form-section">
          <legend>{t('form.quotaLegend')}</legend>
          <Check label={t('form.unlimited')} checked={form.unlimited} onChange={(v) => set('unlimited', v)} />
          {!form.unlimited && (
            <Field
              label={token ? t('form.quotaLeft') : t('form.quota')}
              hint={token ? t('form.quotaLeftHint', { used: formatUsd(token.used_quota_usd) }) : t('form.quotaHint')}
              error={errorOf('quotaUsd')}
            >
              <input type="number" inputMode="decimal" min={0} step="any" value={form.quotaUsd} onChange={(e) => set('quotaUsd', e.target.value)} />
            </Field>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('form.expiryLegend')}</legend>
          <Check label={t('form.neverExpires')} checked={form.neverExpires} onChange={(v) => set('neverExpires', v)} />
          {!form.neverExpires && (
            <Field label={t('form.expiresAt')} hint={t('form.expiresAtHint')} error={errorOf('expiresAt')}>
              <input type="datetime-local" value={form.expiresAt} onChange={(e) => set('expiresAt', e.target.value)} />
            </Field>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('form.modelsLegend')}</legend>
          <Check label={t('form.limitModels')} checked={form.limitModels} onChange={(v) => set('limitModels', v)} />
          {form.limitModels && (
            <>
              {modelChoices.length > 0 && (
                <div className="model-checks" role="group" aria-label={t('form.allowedModels')}>
                  {modelChoices.map((m) => (
                    <Check
                      key={m}
                      label={m}
                      checked={form.models.includes(m)}
                      onChange={(on) => set('models', on ? [...form.models, m] : form.models.filter((x) => x !== m))}
                    />
                  ))}
                </div>
              )}
              <Field label={t('form.otherModels')} hint={t('form.otherModelsHint')} error={errorOf('models')}>
                <input type="text" value={form.otherModels} onChange={(e) => set('otherModels', e.target.value)} autoComplete="off" />
              </Field>
            </>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('form.accessLegend')}</legend>
          <div className="form-grid">
            <Field label={t('form.allowIps')} hint={t('form.allowIpsHint')} error={errorOf('allowIps')}>
              <textarea rows={3} value={form.allowIps} onChange={(e) => set('allowIps', e.target.value)} spellCheck={false} />
            </Field>
            <Field label={t('form.imageOutput')} hint={t('form.imageOutputHint')} error={errorOf('imageOutput')}>
              <select value={form.imageOutput} onChange={(e) => set('imageOutput', e.target.value as TokenForm['imageOutput'])}>
                <option value="">{t('imageOutput.default')}</option>
                {IMAGE_OUTPUT_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`imageOutput.${m}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </fieldset>

        <LimitsFields
          value={form.limits}
          onChange={(v) => set('limits', v)}
          errors={{ rpm: errorOf('rpm'), tpm: errorOf('tpm'), concurrency: errorOf('concurrency') }}
        />
        {!serverErrorShownAtField && <ErrorNotice error={serverError} />}
      </form>
    </Dialog>
  );
}

function pickModels(f: TokenForm): Pick<TokenForm, 'models' | 'otherModels'> {
  return { models: f.models, otherModels: f.otherModels };
}
