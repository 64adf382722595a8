import { Icon } from './Icon';

/** An active filter; the button removes it. */
export function Chip({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <span className="chip">
      <span className="chip-text" title={label}>
        {label}
      </span>
      <button type="button" onClick={onRemove} aria-label={`Remove filter ${label}`}>
        <Icon name="x" size={13} />
      </button>
    </span>
  );
}
