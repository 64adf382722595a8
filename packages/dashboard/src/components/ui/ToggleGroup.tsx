/** A set of checkbox pills: pick any number of `options`. */
export function ToggleGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  labelFor = (o) => o,
}: {
  legend: string;
  options: readonly T[];
  value: readonly T[];
  onChange: (value: T[]) => void;
  labelFor?: (option: T) => string;
}) {
  const toggle = (option: T, isOn: boolean) => onChange(isOn ? [...value, option] : value.filter((v) => v !== option));
  return (
    <fieldset className="toggle-group">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} className="toggle">
          <input type="checkbox" checked={value.includes(option)} onChange={(e) => toggle(option, e.target.checked)} />
          {labelFor(option)}
        </label>
      ))}
    </fieldset>
  );
}
