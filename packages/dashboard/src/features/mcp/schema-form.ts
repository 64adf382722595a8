/**
 * A form generated from a tool's JSON Schema input, as MCP Inspector draws
 * one: one field per property. Strings, numbers, integers, booleans and
 * enums get their own controls, arrays of strings one line per item, and
 * everything else (nested objects, other arrays) is edited as JSON text.
 */

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'string-list' | 'json';

export interface FormField {
  name: string;
  kind: FieldKind;
  label: string;
  description?: string;
  isRequired: boolean;
  /** The enum's choices, as text. */
  options?: string[];
  /** The schema's default, as the field's initial text. */
  initial: string;
}

type Schema = Record<string, unknown>;

const asSchema = (v: unknown): Schema => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : {});

function kindOf(schema: Schema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) return 'enum';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return type;
  if (type === 'array' && asSchema(schema.items).type === 'string') return 'string-list';
  return 'json';
}

function initialText(kind: FieldKind, value: unknown): string {
  if (value === undefined) return kind === 'boolean' ? 'false' : '';
  if (kind === 'string-list' && Array.isArray(value)) return value.join('\n');
  if (kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

/** The fields of an input schema, required ones first, in the schema's order otherwise. */
export function fieldsOf(inputSchema: unknown): FormField[] {
  const schema = asSchema(inputSchema);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const fields = Object.entries(asSchema(schema.properties)).map(([name, raw]) => {
    const prop = asSchema(raw);
    const kind = kindOf(prop);
    const field: FormField = {
      name,
      kind,
      label: typeof prop.title === 'string' ? prop.title : name,
      isRequired: required.has(name),
      initial: initialText(kind, prop.default),
    };
    if (typeof prop.description === 'string') field.description = prop.description;
    if (kind === 'enum') field.options = (prop.enum as string[]).slice();
    return field;
  });
  return [...fields.filter((f) => f.isRequired), ...fields.filter((f) => !f.isRequired)];
}

/** The arguments the values make, or the problem of each field that has one. */
export type ArgumentsResult = { ok: true; value: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/** Reads the form's text values into the tool's arguments; empty optional fields are left out. */
export function argumentsOf(fields: readonly FormField[], values: Readonly<Record<string, string>>): ArgumentsResult {
  const value: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const text = values[field.name] ?? field.initial;
    if (text.trim() === '' && field.kind !== 'string') {
      if (field.isRequired) errors[field.name] = 'required';
      continue;
    }
    if (field.kind === 'string' && text === '' && !field.isRequired) continue;
    switch (field.kind) {
      case 'string':
      case 'enum':
        value[field.name] = text;
        break;
      case 'boolean':
        value[field.name] = text === 'true';
        break;
      case 'number':
      case 'integer': {
        const n = Number(text);
        if (!Number.isFinite(n)) errors[field.name] = 'must be a number';
        else if (field.kind === 'integer' && !Number.isInteger(n)) errors[field.name] = 'must be a whole number';
        else value[field.name] = n;
        break;
      }
      case 'string-list':
        value[field.name] = text
          .split('\n')
          .map((s) => s.trim())
          .filter((s) => s.length > 0);
        break;
      case 'json':
        try {
          value[field.name] = JSON.parse(text);
        } catch (err) {
          errors[field.name] = `not valid JSON: ${(err as Error).message}`;
        }
        break;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}
