import { useMemo, useState } from 'react';
import type { RegistryMetadata } from '@herald/protocol';
import { definitionsById, fieldsFor, toFilters, type FieldValue } from '../builder-model';

/** The builder's form state: chosen types, filter values, extra patterns and a name. */
export function useSubscriptionBuilder(metadata: RegistryMetadata | undefined) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [values, setValues] = useState<Record<string, FieldValue>>({});
  const [customPatterns, setCustomPatterns] = useState<string[]>([]);
  const [name, setName] = useState('');

  const definitions = useMemo(() => definitionsById(metadata), [metadata]);
  const fields = useMemo(() => fieldsFor([...selected].flatMap((id) => definitions.get(id) ?? [])), [selected, definitions]);
  const types = useMemo(() => [...new Set([...selected, ...customPatterns])], [selected, customPatterns]);
  const filters = useMemo(() => toFilters(fields, values), [fields, values]);

  const toggleType = (id: string, isOn: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (isOn) next.add(id);
      else next.delete(id);
      return next;
    });

  const setValue = (fieldName: string, value: FieldValue) => setValues((v) => ({ ...v, [fieldName]: value }));

  const reset = () => {
    setSelected(new Set());
    setValues({});
    setCustomPatterns([]);
    setName('');
  };

  const label = name.trim() || (types.length <= 2 ? types.join(' + ') : `${types.slice(0, 2).join(' + ')} +${types.length - 2}`);

  return { selected, toggleType, fields, values, setValue, customPatterns, setCustomPatterns, name, setName, types, filters, label, reset };
}
