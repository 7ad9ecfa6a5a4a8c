// A secret (token key, access key) shown in full in a read-only field, with a
// Copy button. Used by the tokens and users pages (a candidate for src/components/).
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import './form-parts.css';

export function SecretBox({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="secret-box">
      <Field label={label} hint={hint}>
        <input type="text" readOnly value={value} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
      </Field>
      <CopyButton text={value} />
    </div>
  );
}
