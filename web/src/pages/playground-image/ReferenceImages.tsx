// Up to the model's limit (14) of reference images, by drag-and-drop onto the
// zone or with the file input (keyboard and screen-reader friendly), shown as
// thumbnails with remove buttons. Files over the limit are refused, with a message.
import { useId, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCEPTED_TYPES, planAdd, readReference, type ReferenceImage } from './references';

export interface ReferenceImagesProps {
  items: ReferenceImage[];
  max: number;
  onChange: (items: ReferenceImage[]) => void;
  disabled?: boolean;
}

export function ReferenceImages({ items, max, onChange, disabled }: ReferenceImagesProps) {
  const { t } = useTranslation('playground-image');
  const inputId = useId();
  const [over, setOver] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  const add = async (files: File[]) => {
    if (files.length === 0) return;
    const plan = planAdd(items.length, files, max);
    const notes: string[] = [];
    if (plan.overLimit.length > 0) notes.push(t('refs.overLimit', { max, names: plan.overLimit.map((f) => f.name).join(', ') }));
    if (plan.wrongType.length > 0) notes.push(t('refs.wrongType', { names: plan.wrongType.map((f) => f.name).join(', ') }));
    const read: ReferenceImage[] = [];
    for (const { file, mimeType } of plan.accept) {
      try {
        read.push(await readReference(file, mimeType));
      } catch {
        notes.push(t('refs.unreadable', { name: file.name }));
      }
    }
    setProblems(notes);
    if (read.length > 0) onChange([...items, ...read]);
  };

  const remove = (ref: ReferenceImage) => {
    ref.release();
    setProblems([]);
    onChange(items.filter((r) => r.id !== ref.id));
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (!disabled) void add(Array.from(e.dataTransfer?.files ?? []));
  };

  return (
    <section className="refs" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>{t('refs.title')}</h2>
      <div
        className={over ? 'drop-zone drop-over' : 'drop-zone'}
        data-testid="reference-drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p className="muted">{t('refs.drop', { max })}</p>
        <label htmlFor={inputId}>{t('refs.add')}</label>
        <input
          id={inputId}
          type="file"
          multiple
          accept={ACCEPTED_TYPES.join(',')}
          disabled={disabled}
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = ''; // the same file may be added again later
            void add(files);
          }}
        />
      </div>
      <p className="muted" aria-live="polite">
        {t('refs.count', { count: items.length, max })}
      </p>
      {problems.map((p) => (
        <p key={p} className="notice notice-error" role="alert">
          {p}
        </p>
      ))}
      {items.length > 0 && (
        <ul className="ref-list">
          {items.map((ref, i) => (
            <li key={ref.id}>
              <img src={ref.previewUrl} alt={t('refs.thumb', { n: i + 1, name: ref.name })} />
              <span className="ref-name">{ref.name}</span>
              <button type="button" onClick={() => remove(ref)} disabled={disabled} aria-label={t('refs.remove', { name: ref.name })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
