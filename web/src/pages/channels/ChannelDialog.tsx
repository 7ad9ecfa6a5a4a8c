// Create or edit a channel: connection, keys, models and mapping, routing,
// settings and overrides, checked before anything is sent; on edit also a
// Test section. The server's refusal is shown above the buttons.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { DialogButtons } from '../../components/DialogButtons';
import { Field } from '../../components/Field';
import { ErrorNotice, Notice } from '../../components/Notice';
import { baseUrlPlaceholder, channelBody, formFieldOf, formFromChannel, type ChannelForm, type FormErrors } from './channel-form';
import { JsonField } from './JsonField';
import { KeysEditor } from './KeysEditor';
import { MappingEditor } from './MappingEditor';
import { ModelsEditor } from './ModelsEditor';
import { ChannelTester } from './ChannelTester';
import { CHANNEL_TYPES, IMAGE_OUTPUT_MODES, KEY_ROTATIONS, TIMEOUT_FIELDS, type ChannelType, type ChannelView } from './types';

export interface ChannelDialogProps {
  /** The channel to edit; absent to create one. */
  channel?: ChannelView;
  /** Group names that exist (for the checkboxes). */
  groups: string[];
  /** Models other channels serve (suggestions). */
  knownModels: string[];
  onClose: () => void;
  onSaved: (channel: ChannelView, created: boolean) => void;
  /** A key was enabled or disabled (the list shows it on its next refresh). */
  onChanged?: () => void;
}

export function ChannelDialog({ channel: initial, groups, knownModels, onClose, onSaved, onChanged }: ChannelDialogProps) {
  const { t } = useTranslation('channels');
  const { api } = useSession();
  const formId = useId();
  const [channel, setChannel] = useState(initial);
  const [form, setForm] = useState<ChannelForm>(() => formFromChannel(initial));
  const [errors, setErrors] = useState<FormErrors>({});
  const [serverError, setServerError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const editing = channel !== undefined;

  const set = <K extends keyof ChannelForm>(key: K, value: ChannelForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const err = (field: string) => {
    const p = errors[field];
    return p ? t(p.key, p.values) : undefined;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const built = channelBody(form, channel);
    setServerError(undefined);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const saved = editing ? await api.put<ChannelView>(`/api/channels/${channel.id}`, built.body) : await api.post<ChannelView>('/api/channels', built.body);
      onSaved(saved, !editing);
    } catch (error) {
      const apiError = error as ApiError;
      setServerError(apiError);
      const field = formFieldOf(apiError.field);
      if (field) setErrors({ [field]: { key: 'errors.server', values: { message: apiError.message } } });
      setSaving(false);
    }
  };

  const type = form.type;
  const baseUrlHint =
    type === 'openai-compatible'
      ? t('form.baseUrlHintCompatible')
      : type === 'simulator'
        ? t('form.baseUrlHintSimulator')
        : type === 'vertex'
          ? t('form.baseUrlHintVertex')
          : t('form.baseUrlHint');
  const groupChoices = [...new Set([...groups, ...form.groups])].sort();
  const hasErrors = Object.keys(errors).length > 0 && serverError === undefined;

  return (
    <Dialog
      wide
      title={editing ? t('dialog.editTitle', { name: channel.name }) : t('dialog.createTitle')}
      onClose={onClose}
      footer={<DialogButtons onCancel={onClose} formId={formId} busy={saving} submitLabel={saving ? t('dialog.saving') : editing ? t('common:actions.save') : t('common:actions.create')} />}
    >
      <form id={formId} className="channel-form" onSubmit={submit} noValidate>
        <section aria-labelledby={`${formId}-connection`}>
          <h3 id={`${formId}-connection`}>{t('dialog.sections.connection')}</h3>
          <div className="form-grid">
            <Field label={t('form.name')} error={err('name')}>
              <input value={form.name} autoComplete="off" onChange={(e) => set('name', e.target.value)} />
            </Field>
            <Field label={t('form.type')}>
              <select value={type} onChange={(e) => set('type', e.target.value as ChannelType)}>
                {CHANNEL_TYPES.map((ct) => (
                  <option key={ct} value={ct}>
                    {t(`types.${ct}`)} ({ct})
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('form.baseUrl')} hint={baseUrlHint} error={err('baseUrl')}>
              <input type="url" value={form.baseUrl} placeholder={baseUrlPlaceholder(type)} autoComplete="off" onChange={(e) => set('baseUrl', e.target.value)} />
            </Field>
            <Field label={t('form.proxy')} hint={t('form.proxyHint')} error={err('proxy')}>
              <input value={form.proxy} placeholder="socks5://user:pass@proxy.example:1080" autoComplete="off" onChange={(e) => set('proxy', e.target.value)} />
            </Field>
            {type === 'vertex' && (
              <>
                <Field label={t('form.vertexProject')} hint={t('form.vertexProjectHint')}>
                  <input value={form.vertexProject} autoComplete="off" onChange={(e) => set('vertexProject', e.target.value)} />
                </Field>
                <Field label={t('form.vertexLocation')} hint={t('form.vertexLocationHint')}>
                  <input value={form.vertexLocation} placeholder="global" autoComplete="off" onChange={(e) => set('vertexLocation', e.target.value)} />
                </Field>
              </>
            )}
          </div>
        </section>

        <section aria-labelledby={`${formId}-keys`}>
          <h3 id={`${formId}-keys`}>{t('dialog.sections.keys')}</h3>
          <KeysEditor
            channel={channel}
            type={type}
            newKeys={form.newKeys}
            onNewKeys={(v) => set('newKeys', v)}
            removed={form.removedKeyIds}
            onRemoved={(ids) => set('removedKeyIds', ids)}
            onChannel={(c) => {
              setChannel(c);
              onChanged?.();
            }}
            error={err('newKeys')}
          />
        </section>

        <section aria-labelledby={`${formId}-models`}>
          <h3 id={`${formId}-models`}>{t('dialog.sections.models')}</h3>
          <ModelsEditor models={form.models} onChange={(m) => set('models', m)} mapped={form.mapping.map((r) => r.from.trim())} suggestions={knownModels} />
          <MappingEditor rows={form.mapping} onChange={(rows) => set('mapping', rows)} error={err('mapping')} />
        </section>

        <section aria-labelledby={`${formId}-routing`}>
          <h3 id={`${formId}-routing`}>{t('dialog.sections.routing')}</h3>
          <fieldset className="groups-picker">
            <legend>{t('form.groups')}</legend>
            {groupChoices.map((g) => (
              <label key={g} className="check">
                <input
                  type="checkbox"
                  checked={form.groups.includes(g)}
                  onChange={(e) => set('groups', e.target.checked ? [...form.groups, g] : form.groups.filter((x) => x !== g))}
                />
                {g}
              </label>
            ))}
            {err('groups') && (
              <p className="field-error" role="alert">
                {err('groups')}
              </p>
            )}
          </fieldset>
          <div className="form-grid">
            <Field label={t('form.priority')} hint={t('form.priorityHint')} error={err('priority')}>
              <input type="number" step={1} inputMode="numeric" value={form.priority} onChange={(e) => set('priority', e.target.value)} />
            </Field>
            <Field label={t('form.weight')} hint={t('form.weightHint')} error={err('weight')}>
              <input type="number" step={1} min={0} inputMode="numeric" value={form.weight} onChange={(e) => set('weight', e.target.value)} />
            </Field>
            <Field label={t('form.keyRotation')}>
              <select value={form.keyRotation} onChange={(e) => set('keyRotation', e.target.value as ChannelForm['keyRotation'])}>
                <option value="">{t('form.keyRotations.default')}</option>
                {KEY_ROTATIONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`form.keyRotations.${r}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </section>

        <section aria-labelledby={`${formId}-settings`}>
          <h3 id={`${formId}-settings`}>{t('dialog.sections.settings')}</h3>
          <div className="form-grid">
            <Field label={t('form.testModel')} hint={t('form.testModelHint')} error={err('testModel')}>
              <input value={form.testModel} list={`${formId}-models-list`} autoComplete="off" onChange={(e) => set('testModel', e.target.value)} />
            </Field>
            <Field label={t('form.imageOutput')} hint={t('form.imageOutputHint')}>
              <select value={form.imageOutput} onChange={(e) => set('imageOutput', e.target.value as ChannelForm['imageOutput'])}>
                <option value="">{t('form.imageOutputs.default')}</option>
                {IMAGE_OUTPUT_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`form.imageOutputs.${m}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <datalist id={`${formId}-models-list`}>
            {[...new Set([...form.models, ...form.mapping.map((r) => r.from.trim())])].filter(Boolean).map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <fieldset className="timeouts">
            <legend>{t('form.timeouts')}</legend>
            <p className="hint muted">{t('form.timeoutsHint')}</p>
            <div className="form-grid">
              {TIMEOUT_FIELDS.map((f) => (
                <Field key={f} label={t(`form.timeout.${f}`)} error={err(`timeouts.${f}`)}>
                  <input
                    type="number"
                    min={1}
                    step={1}
                    inputMode="numeric"
                    value={form.timeouts[f]}
                    onChange={(e) => set('timeouts', { ...form.timeouts, [f]: e.target.value })}
                  />
                </Field>
              ))}
            </div>
          </fieldset>
          <JsonField
            label={t('form.statusCodeMapping')}
            hint={t('form.statusCodeMappingHint')}
            value={form.statusCodeMapping}
            placeholder={'{"404": 500}'}
            onChange={(v) => set('statusCodeMapping', v)}
            error={err('statusCodeMapping')}
          />
        </section>

        <section aria-labelledby={`${formId}-overrides`}>
          <h3 id={`${formId}-overrides`}>{t('dialog.sections.overrides')}</h3>
          <JsonField
            label={t('form.paramOverride')}
            hint={t('form.paramOverrideHint')}
            value={form.paramOverride}
            placeholder={'{"temperature": 0.2}'}
            onChange={(v) => set('paramOverride', v)}
            error={err('paramOverride')}
          />
          <JsonField
            label={t('form.headerOverride')}
            hint={t('form.headerOverrideHint')}
            value={form.headerOverride}
            placeholder={'{"x-team": "ops"}'}
            onChange={(v) => set('headerOverride', v)}
            error={err('headerOverride')}
          />
        </section>

        {hasErrors && <Notice tone="error">{t('dialog.fixErrors')}</Notice>}
        <ErrorNotice error={serverError} />
      </form>

      {editing && (
        <section aria-labelledby={`${formId}-test`} className="dialog-test">
          <h3 id={`${formId}-test`}>{t('dialog.sections.test')}</h3>
          <ChannelTester channel={channel} />
        </section>
      )}
    </Dialog>
  );
}
