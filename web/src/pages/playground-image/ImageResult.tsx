// What a generation produced: each final image (with its pixel size and a
// download link), any text, the size class and the cost from the usage log.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatUsd } from '../../components/format';
import type { GeneratedImage, ImageAnswer } from './gemini-request';
import { pixelSizeOf, type PixelSize } from './image-size';
import type { UsageRow } from './usage-row';

export type CostState = { state: 'pending' } | { state: 'found'; row: UsageRow } | { state: 'missing' } | { state: 'failed'; message: string };

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * An object URL for the image where the browser has them (one copy of the
 * bytes, cheap to hand to <img> and the download link), else a data URL.
 */
function imageUrl(image: GeneratedImage): { url: string; release: () => void } {
  if (typeof URL.createObjectURL === 'function') {
    const bin = atob(image.base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const url = URL.createObjectURL(new Blob([bytes], { type: image.mimeType }));
    return { url, release: () => URL.revokeObjectURL(url) };
  }
  return { url: `data:${image.mimeType};base64,${image.base64}`, release: () => undefined };
}

function ResultImage({ image, index, model, sizeClass }: { image: GeneratedImage; index: number; model: string; sizeClass: string }) {
  const { t } = useTranslation('playground-image');
  // The header gives the size at once; the decoded image confirms it.
  const [size, setSize] = useState<PixelSize | undefined>(() => pixelSizeOf(image.base64));
  const src = useMemo(() => imageUrl(image), [image]);
  useEffect(() => () => src.release(), [src]);
  const file = `${model.replace(/[^\w.-]+/g, '_')}-${index + 1}.${EXT[image.mimeType] ?? 'img'}`;
  return (
    <figure className="result-image">
      <img
        src={src.url}
        alt={t('result.alt', { n: index + 1 })}
        onLoad={(e) => {
          const img = e.currentTarget;
          if (img.naturalWidth > 0) setSize({ width: img.naturalWidth, height: img.naturalHeight });
        }}
      />
      <figcaption>
        <span>{size ? t('result.pixels', { width: size.width, height: size.height }) : t('result.pixelsUnknown')}</span>
        <span>{t('result.sizeClass', { size: sizeClass })}</span>
        <a href={src.url} download={file}>
          {t('result.download', { n: index + 1 })}
        </a>
      </figcaption>
    </figure>
  );
}

export interface ImageResultProps {
  answer: ImageAnswer;
  model: string;
  /** The size class asked for (or the model's default). */
  sizeClass: string;
  requestId: string | null;
  cost: CostState;
}

export function ImageResult({ answer, model, sizeClass, requestId, cost }: ImageResultProps) {
  const { t } = useTranslation('playground-image');
  const shownSize = cost.state === 'found' && cost.row.image_size ? cost.row.image_size : sizeClass;
  return (
    <section className="card result" aria-labelledby="image-result-title">
      <h2 id="image-result-title">{t('result.title')}</h2>
      {answer.images.length === 0 && (
        <p className="notice notice-error" role="alert">
          {answer.blockReason ? t('result.blocked', { reason: answer.blockReason }) : t('result.noImage', { reason: answer.finishReason ?? '—' })}
        </p>
      )}
      <div className="result-images">
        {answer.images.map((image, i) => (
          <ResultImage key={i} image={image} index={i} model={model} sizeClass={shownSize} />
        ))}
      </div>
      {answer.texts.map((text, i) => (
        <p key={i} className="result-text">
          {text}
        </p>
      ))}
      <dl className="result-facts">
        <dt>{t('result.cost')}</dt>
        <dd role="status">
          {cost.state === 'pending' && t('result.costPending')}
          {cost.state === 'found' && formatUsd(cost.row.cost_usd)}
          {cost.state === 'missing' && t('result.costMissing')}
          {cost.state === 'failed' && t('result.costFailed', { message: cost.message })}
        </dd>
        {cost.state === 'found' && (
          <>
            <dt>{t('result.tokens')}</dt>
            <dd>{t('result.tokensValue', { input: cost.row.input_tokens, output: cost.row.output_text_tokens + cost.row.output_image_tokens + cost.row.reasoning_tokens })}</dd>
          </>
        )}
        {answer.thoughtImages > 0 && (
          <>
            <dt>{t('result.drafts')}</dt>
            <dd>{t('result.draftsValue', { count: answer.thoughtImages })}</dd>
          </>
        )}
        {requestId && (
          <>
            <dt>{t('result.requestId')}</dt>
            <dd>
              <code>{requestId}</code>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
