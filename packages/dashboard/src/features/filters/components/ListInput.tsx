import { useEffect, useState } from 'react';

const parse = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A comma-separated list in a text box. The text is kept as typed (a
 * trailing comma survives) and only re-synced when the list changes from
 * elsewhere, such as a removed chip.
 */
export function ListInput({
  id,
  value,
  onChange,
  placeholder,
  suggestions,
  listId,
}: {
  id: string;
  value: readonly string[];
  onChange: (value: string[]) => void;
  placeholder?: string;
  suggestions?: readonly string[];
  listId?: string;
}) {
  const [text, setText] = useState(value.join(', '));
  useEffect(() => {
    setText((current) => (parse(current).join(',') === value.join(',') ? current : value.join(', ')));
  }, [value]);
  return (
    <>
      <input
        id={id}
        className="input"
        value={text}
        placeholder={placeholder}
        list={suggestions && listId ? listId : undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parse(e.target.value));
        }}
      />
      {suggestions && listId && (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </>
  );
}
