// Image playground for the Gemini image models ("Nano Banana"): prompt,
// reference images, aspect ratio and size limited to what the chosen model
// takes, sent as native Gemini generateContent with a token key; shows the
// images, their pixel size and the cost recorded in the usage log.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Notice';
import { generateImage, type GenerateOutcome } from './generate';
import { defaultModel, IMAGE_MODELS_PATH, keepRatio, keepSize, type ImageModel } from './image-models';
import { ImageResult, type CostState } from './ImageResult';
import { ReferenceImages } from './ReferenceImages';
import type { ReferenceImage } from './references';
import { relayBase } from './relay-base';
import { allowedModels, useRelayKey } from './relay-key';
import { RelayErrorNotice } from './RelayErrorNotice';
import { SnippetDialog } from './SnippetDialog';
import { TokenKeyPicker } from './TokenKeyPicker';
import { findUsageRow } from './usage-row';
import './playground-image.css';

interface Finished extends GenerateOutcome {
  model: string;
  sizeClass: string;
}

export function ImagePlaygroundPage() {
  const { t } = useTranslation('playground-image');
  const { api, refreshUser } = useSession();
  const [choice, setChoice] = useRelayKey();
  const catalogue = useApi((a) => a.get<ImageModel[]>(IMAGE_MODELS_PATH), []);
  const models = useMemo(() => {
    const all = catalogue.data ?? [];
    const allowed = new Set(allowedModels(all.map((m) => m.model), choice));
    return all.filter((m) => allowed.has(m.model));
  }, [catalogue.data, choice]);

  const [modelName, setModelName] = useState('');
  const model = models.find((m) => m.model === modelName) ?? defaultModel(models);
  const [ratio, setRatio] = useState('1:1');
  const [size, setSize] = useState('1K');
  const [prompt, setPrompt] = useState('');
  const [refs, setRefs] = useState<ReferenceImage[]>([]);
  const [problems, setProblems] = useState<{ key?: string; prompt?: string }>({});
  const [busy, setBusy] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<Finished>();
  const [cost, setCost] = useState<CostState>({ state: 'pending' });
  const [showCode, setShowCode] = useState(false);
  const controller = useRef<AbortController | undefined>(undefined);

  // Abort a running call and free thumbnails when the page goes away.
  const refsRef = useRef(refs);
  refsRef.current = refs;
  useEffect(
    () => () => {
      controller.current?.abort();
      refsRef.current.forEach((r) => r.release());
    },
    [],
  );

  const chooseModel = (name: string) => {
    const next = models.find((m) => m.model === name);
    setModelName(name);
    if (next) {
      setRatio((r) => keepRatio(next, r));
      setSize((s) => keepSize(next, s));
    }
  };
  // Keep the pickers valid for the preselected model too.
  const effectiveRatio = model ? keepRatio(model, ratio) : ratio;
  const effectiveSize = model ? keepSize(model, size) : size;
  const fixedSize = model !== undefined && model.image_sizes.length === 0;
  const expected = model && effectiveRatio ? model.pixels[effectiveSize]?.[effectiveRatio] : undefined;

  const requestInput = model && {
    model: model.model,
    prompt,
    aspectRatio: effectiveRatio || undefined,
    imageSize: fixedSize ? undefined : effectiveSize,
    references: refs,
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = { key: choice ? undefined : t('form.needKey'), prompt: prompt.trim() ? undefined : t('form.needPrompt') };
    setProblems(found);
    if (found.key || found.prompt || !requestInput || !choice) return;
    controller.current?.abort(); // a previous call's cost lookup must not land on this result
    const abort = new AbortController();
    controller.current = abort;
    setBusy(true);
    setCancelled(false);
    setError(undefined);
    setResult(undefined);
    try {
      const outcome = await generateImage(relayBase(api.baseUrl), choice.key, requestInput, abort.signal);
      setResult({ ...outcome, model: requestInput.model, sizeClass: requestInput.imageSize ?? model.default_image_size });
      setCost({ state: 'pending' });
      setBusy(false);
      void refreshUser().catch(() => undefined);
      if (!outcome.requestId) {
        setCost({ state: 'missing' });
        return;
      }
      try {
        const row = await findUsageRow(api, { requestId: outcome.requestId, model: requestInput.model, tokenId: choice.source === 'token' ? choice.tokenId : undefined, signal: abort.signal });
        if (!abort.signal.aborted) setCost(row ? { state: 'found', row } : { state: 'missing' });
      } catch (err) {
        if (!abort.signal.aborted) setCost({ state: 'failed', message: (err as Error).message });
      }
    } catch (err) {
      if (abort.signal.aborted) setCancelled(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => controller.current?.abort();

  return (
    <div className="playground playground-image">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <form className="card" onSubmit={submit} noValidate aria-busy={busy}>
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
            <select value={model?.model ?? ''} onChange={(e) => chooseModel(e.target.value)} disabled={busy || models.length === 0}>
              {models.map((m) => (
                <option key={m.model} value={m.model}>
                  {m.display_name === m.model ? m.model : t('form.modelOption', { model: m.model, name: m.display_name })}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('form.ratio')} hint={t('form.ratioHint')}>
            <select value={effectiveRatio} onChange={(e) => setRatio(e.target.value)} disabled={busy || !model}>
              <option value="">{t('form.ratioAuto')}</option>
              {model?.aspect_ratios.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label={t('form.size')}
            hint={fixedSize ? t('form.sizeFixed') : model?.family === null ? t('form.sizeUnchecked') : undefined}
          >
            <select value={effectiveSize} onChange={(e) => setSize(e.target.value)} disabled={busy || !model || fixedSize}>
              {(fixedSize ? [model?.default_image_size ?? '1K'] : (model?.image_sizes ?? [])).map((s) => (
                <option key={s} value={s}>
                  {s === '512' ? t('form.size512') : s}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {expected && <p className="muted">{t('form.expected', { width: expected[0], height: expected[1] })}</p>}
        <Field label={t('form.prompt')} error={problems.prompt}>
          <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} rows={4} disabled={busy} />
        </Field>
        <ReferenceImages items={refs} max={model?.max_reference_images ?? 14} onChange={setRefs} disabled={busy} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={busy}>
            {t('form.generate')}
          </button>
          <button type="button" onClick={() => setShowCode(true)} disabled={!requestInput}>
            {t('form.code')}
          </button>
        </div>
      </form>

      {busy && (
        <div className="busy card" role="status">
          <span className="spinner" aria-hidden="true" />
          <span>{t('busy.generating')}</span>
          <button type="button" onClick={cancel}>
            {t('busy.cancel')}
          </button>
        </div>
      )}
      {cancelled && (
        <p className="notice" role="status">
          {t('busy.cancelled')}
        </p>
      )}
      <RelayErrorNotice error={error} />
      {result && <ImageResult answer={result.answer} model={result.model} sizeClass={result.sizeClass} requestId={result.requestId} cost={cost} />}
      {showCode && requestInput && (
        <SnippetDialog input={{ baseUrl: relayBase(api.baseUrl), request: requestInput, key: choice?.key }} onClose={() => setShowCode(false)} />
      )}
    </div>
  );
}
