// A channel's keys: the stored ones masked, each with its status and buttons
// to enable or disable it at once (key actions of the API) or drop it on
// save; and a box for keys to add (service-account JSON for vertex).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Notice';
import { StatusBadge } from '../../components/StatusBadge';
import type { ChannelType, ChannelView } from './types';

export interface KeysEditorProps {
  /** The stored channel (edit); absent when creating. */
  channel?: ChannelView;
  type: ChannelType;
  newKeys: string;
  onNewKeys: (text: string) => void;
  removed: number[];
  onRemoved: (ids: number[]) => void;
  /** The channel as the API answered a key action. */
  onChannel: (channel: ChannelView) => void;
  error?: string;
}

export function KeysEditor({ channel, type, newKeys, onNewKeys, removed, onRemoved, onChannel, error }: KeysEditorProps) {
  const { t } = useTranslation('channels');
  const { api } = useSession();
  const [busy, setBusy] = useState<number>();
  const [actionError, setActionError] = useState<ApiError>();
  const setStatus = async (keyId: number, action: 'enable' | 'disable') => {
    if (!channel) return;
    setBusy(keyId);
    setActionError(undefined);
    try {
      onChannel(await api.post<ChannelView>(`/api/channels/${channel.id}/keys/${keyId}/${action}`));
    } catch (err) {
      setActionError(err as ApiError);
    } finally {
      setBusy(undefined);
    }
  };
  const vertex = type === 'vertex';
  const editing = channel !== undefined;
  const label = vertex ? (editing ? t('form.addVertexKey') : t('form.vertexKey')) : editing ? t('form.addKeys') : t('form.newKeys');
  const hint = vertex ? t('form.vertexKeyHint') : type === 'simulator' ? t('form.newKeysHintSimulator') : undefined;
  return (
    <>
      {editing && (
        <div className="stored-keys">
          <h4>{t('form.storedKeys')}</h4>
          {channel.keys.length === 0 ? (
            <p className="muted">{t('form.noKeys')}</p>
          ) : (
            <ul className="key-list">
              {channel.keys.map((k) => {
                const dropping = removed.includes(k.id);
                const breaker = channel.key_breakers.find((b) => b.key_id === k.id && b.state !== 'closed');
                return (
                  <li key={k.id} className={dropping ? 'key-item removing' : 'key-item'}>
                    <code>{k.key}</code>
                    <StatusBadge status={k.status} />
                    {k.status_reason && <small className="muted">{k.status_reason}</small>}
                    {breaker && <small className="badge breaker-warn">{t('form.keyBreaker', { state: t(`breaker.${breaker.state}`) })}</small>}
                    {dropping && <small className="muted">({t('form.willRemove')})</small>}
                    <span className="row-actions">
                      {k.status === 'enabled' ? (
                        <button type="button" disabled={busy === k.id} aria-label={t('form.disableKey', { key: k.key })} onClick={() => setStatus(k.id, 'disable')}>
                          {t('common:actions.disable')}
                        </button>
                      ) : (
                        <button type="button" disabled={busy === k.id} aria-label={t('form.enableKey', { key: k.key })} onClick={() => setStatus(k.id, 'enable')}>
                          {t('common:actions.enable')}
                        </button>
                      )}
                      <button
                        type="button"
                        className={dropping ? undefined : 'danger'}
                        aria-label={dropping ? t('form.keepKey', { key: k.key }) : t('form.removeKey', { key: k.key })}
                        onClick={() => onRemoved(dropping ? removed.filter((id) => id !== k.id) : [...removed, k.id])}
                      >
                        {dropping ? t('common:actions.cancel') : t('common:actions.delete')}
                      </button>
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
          <ErrorNotice error={actionError} />
        </div>
      )}
      <Field label={label} hint={hint} error={error}>
        <textarea
          className={vertex ? 'json-input' : 'keys-input'}
          spellCheck={false}
          autoComplete="off"
          value={newKeys}
          rows={vertex ? 6 : 3}
          placeholder={vertex ? '{"type": "service_account", "client_email": "…", "private_key": "…"}' : 'sk-…'}
          onChange={(e) => onNewKeys(e.target.value)}
        />
      </Field>
    </>
  );
}
