// Chat playground: pick a model the account may use, set a system prompt and
// sampling options, and talk to it through the relay with a token key; the
// answer streams in as it is written, Stop aborts it, and the last answer's
// tokens and cost (from the usage log) are shown.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { Field } from '../../components/Field';
import { formatUsd } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import { relayBase } from '../playground-image/relay-base';
import { allowedModels, useRelayKey } from '../playground-image/relay-key';
import { RelayErrorNotice } from '../playground-image/RelayErrorNotice';
import { TokenKeyPicker } from '../playground-image/TokenKeyPicker';
import { findUsageRow, type UsageRow } from '../playground-image/usage-row';
import '../playground-image/playground-image.css';
import { chatModels, defaultChatModel } from './chat-models';
import { streamChat, type ChatMessage, type ChatUsage } from './chat-stream';
import './playground-chat.css';

interface Turn {
  id: number;
  role: 'user' | 'assistant';
  content: string;
  state?: 'streaming' | 'stopped' | 'failed';
}

interface LastAnswer {
  model: string;
  requestId: string | null;
  usage?: ChatUsage;
  finishReason?: string;
  row?: UsageRow;
  costState: 'pending' | 'found' | 'missing';
}

export interface ChatPlaygroundProps {
  /** Extra headers on every relay call: the simulator's `x-sim-fault` in tests and demos. */
  requestHeaders?: Record<string, string>;
}

let turnIds = 0;

/** A number field's value, or undefined when left empty. */
function optionalNumber(raw: string): number | undefined {
  return raw.trim() === '' ? undefined : Number(raw);
}

export function ChatPlaygroundPage({ requestHeaders }: ChatPlaygroundProps = {}) {
  const { t } = useTranslation('playground-chat');
  const { api, refreshUser } = useSession();
  const [choice, setChoice] = useRelayKey();
  const catalogue = useApi((a) => a.get<string[]>('/api/user/models'), []);
  const models = useMemo(() => allowedModels(chatModels(catalogue.data ?? []), choice), [catalogue.data, choice]);
  const [modelName, setModelName] = useState('');
  const model = models.includes(modelName) ? modelName : defaultChatModel(models);

  const [system, setSystem] = useState('');
  const [temperature, setTemperature] = useState('');
  const [maxTokens, setMaxTokens] = useState('');
  const [input, setInput] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [streaming, setStreaming] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<{ key?: string; input?: string; temperature?: string; maxTokens?: string }>({});
  const [last, setLast] = useState<LastAnswer>();
  const controller = useRef<AbortController | undefined>(undefined);
  const endRef = useRef<HTMLDivElement>(null);

  useEffect(() => () => controller.current?.abort(), []);
  // Braces: newer Chromium's scrollIntoView returns a promise, which React would take for a clean-up.
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [turns]);

  const appendToLast = (delta: string) =>
    setTurns((ts) => ts.map((turn, i) => (i === ts.length - 1 ? { ...turn, content: turn.content + delta } : turn)));
  const markLast = (state: Turn['state']) => setTurns((ts) => ts.map((turn, i) => (i === ts.length - 1 ? { ...turn, state } : turn)));

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    if (streaming) return;
    const temp = optionalNumber(temperature);
    const max = optionalNumber(maxTokens);
    const found = {
      key: choice ? undefined : t('form.needKey'),
      input: input.trim() ? undefined : t('form.needMessage'),
      temperature: temp === undefined || (temp >= 0 && temp <= 2) ? undefined : t('form.badTemperature'),
      maxTokens: max === undefined || (Number.isInteger(max) && max >= 1) ? undefined : t('form.badMaxTokens'),
    };
    setProblems(found);
    if (Object.values(found).some(Boolean) || !choice || !model) return;

    const history: ChatMessage[] = [
      ...(system.trim() ? [{ role: 'system' as const, content: system }] : []),
      // Failed or empty answers are not sent back as context.
      ...turns.filter((turn) => turn.content && turn.state !== 'failed').map((turn) => ({ role: turn.role, content: turn.content })),
      { role: 'user', content: input },
    ];
    setTurns((ts) => [...ts, { id: ++turnIds, role: 'user', content: input }, { id: ++turnIds, role: 'assistant', content: '', state: 'streaming' }]);
    setInput('');
    setError(undefined);
    setStopped(false);
    setLast(undefined);
    setStreaming(true);
    controller.current?.abort(); // the previous answer's cost lookup must not land on this one
    const abort = new AbortController();
    controller.current = abort;
    try {
      const result = await streamChat({
        baseUrl: relayBase(api.baseUrl),
        key: choice.key,
        request: { model, messages: history, ...(temp !== undefined && { temperature: temp }), ...(max !== undefined && { max_tokens: max }) },
        signal: abort.signal,
        onText: appendToLast,
        headers: requestHeaders,
      });
      markLast(undefined);
      setStreaming(false);
      setLast({ model, requestId: result.requestId, usage: result.usage, finishReason: result.finishReason, costState: result.requestId ? 'pending' : 'missing' });
      void refreshUser().catch(() => undefined);
      if (result.requestId) {
        const row = await findUsageRow(api, { requestId: result.requestId, model, tokenId: choice.source === 'token' ? choice.tokenId : undefined, signal: abort.signal }).catch(() => undefined);
        if (!abort.signal.aborted) setLast((l) => l && { ...l, row, costState: row ? 'found' : 'missing' });
      }
    } catch (err) {
      if (abort.signal.aborted) {
        markLast('stopped');
        setStopped(true);
      } else {
        markLast('failed');
        setError(err);
      }
    } finally {
      setStreaming(false);
    }
  };

  const stop = () => controller.current?.abort();
  const clear = () => {
    controller.current?.abort();
    setTurns([]);
    setLast(undefined);
    setError(undefined);
    setStopped(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
  };

  return (
    <div className="playground playground-chat">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <div className="card">
        <TokenKeyPicker value={choice} onChange={setChoice} />
        {problems.key && (
          <p className="field-error" role="alert">
            {problems.key}
          </p>
        )}
        <ErrorNotice error={catalogue.error} />
        {catalogue.data && models.length === 0 && <p className="notice">{t('form.noModels')}</p>}
        <div className="form-grid">
          <Field label={t('form.model')}>
            <select value={model ?? ''} onChange={(e) => setModelName(e.target.value)} disabled={streaming || models.length === 0}>
              {models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('form.temperature')} hint={t('form.temperatureHint')} error={problems.temperature}>
            <input type="number" inputMode="decimal" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(e.target.value)} />
          </Field>
          <Field label={t('form.maxTokens')} hint={t('form.maxTokensHint')} error={problems.maxTokens}>
            <input type="number" inputMode="numeric" min={1} step={1} value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
          </Field>
        </div>
        <Field label={t('form.system')} hint={t('form.systemHint')}>
          <textarea value={system} onChange={(e) => setSystem(e.target.value)} rows={2} />
        </Field>
      </div>

      <section className="card chat-log-card" aria-labelledby="chat-log-title">
        <div className="chat-log-head">
          <h2 id="chat-log-title">{t('log.title')}</h2>
          <button type="button" onClick={clear} disabled={turns.length === 0}>
            {t('log.clear')}
          </button>
        </div>
        {turns.length === 0 ? (
          <p className="muted">{t('log.empty')}</p>
        ) : (
          <ol className="chat-log" role="log" aria-busy={streaming} aria-labelledby="chat-log-title">
            {turns.map((turn) => (
              <li key={turn.id} className={`chat-turn chat-${turn.role}`}>
                <span className="chat-who">{turn.role === 'user' ? t('log.you') : t('log.assistant')}</span>
                <div className="chat-text" data-testid={turn.role === 'assistant' ? 'assistant-text' : undefined}>
                  {turn.content}
                  {turn.state === 'streaming' && <span className="chat-caret" aria-hidden="true" />}
                </div>
                {turn.state === 'stopped' && <span className="badge badge-warn">{t('log.stopped')}</span>}
                {turn.state === 'failed' && <span className="badge badge-off">{t('log.failed')}</span>}
              </li>
            ))}
          </ol>
        )}
        <div ref={endRef} />
        {streaming && (
          <p className="busy" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('log.answering')}
          </p>
        )}
        {stopped && (
          <p className="notice" role="status">
            {t('log.stoppedNotice')}
          </p>
        )}
        <RelayErrorNotice error={error} />
        {last && (
          <p className="chat-usage" role="status">
            {last.usage
              ? t('usage.tokens', { input: last.usage.prompt_tokens, output: last.usage.completion_tokens })
              : last.row
                ? t('usage.tokens', { input: last.row.input_tokens, output: last.row.output_text_tokens + last.row.reasoning_tokens })
                : t('usage.noTokens')}
            {' · '}
            {last.costState === 'found' && last.row ? t('usage.cost', { cost: formatUsd(last.row.cost_usd) }) : last.costState === 'pending' ? t('usage.costPending') : t('usage.costMissing')}
            {last.finishReason === 'length' && ` · ${t('usage.truncated')}`}
            {last.requestId && (
              <>
                {' · '}
                {t('usage.requestId')} <code>{last.requestId}</code>
              </>
            )}
          </p>
        )}
      </section>

      <form className="card chat-compose" onSubmit={send} noValidate>
        <Field label={t('form.message')} hint={t('form.messageHint')} error={problems.input}>
          <textarea value={input} onChange={(e) => setInput(e.target.value)} onKeyDown={onKeyDown} rows={3} />
        </Field>
        <div className="toolbar">
          {streaming ? (
            <button type="button" className="danger" onClick={stop}>
              {t('form.stop')}
            </button>
          ) : (
            <button type="submit" className="primary">
              {t('form.send')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
