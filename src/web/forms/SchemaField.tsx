// One control per schema field, recursively: lists of objects repeat with add/remove buttons,
// objects become fieldsets. Labels in the reader's language; the article that requires the field beside it.

import type { TFunction } from 'i18next';
import {
  Button,
  Checkbox,
  CheckboxGroup,
  FieldError,
  Input,
  Label,
  Text,
  TextArea,
  TextField,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { JsonSchema } from '../api/types.ts';
import { useSession } from '../app/session.tsx';
import { Choice } from '../components/Choice.tsx';
import { enumLabel, fieldLabel } from '../components/FieldLabels.ts';
import { partyName } from '../i18n/words.ts';
import { emptyObject, kindOf, type Raw, type RawObject } from './schema-values.ts';

export type FieldProps = {
  name: string;
  schema: JsonSchema;
  required: boolean;
  path: string;
  value: Raw;
  onChange: (value: Raw) => void;
  errors: Map<string, string>;
};

/** "art. 42" → the article in the reader's words ("Điều 42", "第 42 条"...). */
export function articleWords(article: string, t: TFunction): string {
  const n = /^art\.?\s*(.+)$/i.exec(article)?.[1];
  return n ? t('composer.articleNo', { n }) : article;
}

function Hint({ schema }: { schema: JsonSchema }) {
  const { t, i18n } = useTranslation();
  // The schemas' help lines are written in English: shown to English readers only, the article
  // that requires the field is shown to everyone in their language.
  const description = i18n.language === 'en' ? schema.description : undefined;
  if (!schema['x-article'] && !description) return null;
  return (
    <Text slot="description" className="hint">
      {schema['x-article'] ? (
        <span className="article">
          {t('composer.article', { article: articleWords(schema['x-article'], t) })}
        </span>
      ) : null}
      {schema['x-article'] && description ? ' · ' : null}
      {/* The schema's own words, in English: marked as such for screen readers (and the pseudo-locale check). */}
      {description ? <span lang="en">{description}</span> : null}
    </Text>
  );
}

function Mark({ required }: { required: boolean }) {
  return required ? <span aria-hidden="true"> *</span> : null;
}

/** Errors on this field's path, or on anything inside it when the control has no inner fields. */
function errorAt(errors: Map<string, string>, path: string): string | null {
  return errors.get(path) ?? null;
}

export function SchemaField(props: FieldProps) {
  const { t, i18n } = useTranslation();
  const { parties } = useSession();
  const { name, schema, required, path, value, onChange, errors } = props;
  const label = fieldLabel(name, t, i18n.language);
  const error = errorAt(errors, path);
  const kind = kindOf(schema);
  const id = `f-${path.replaceAll('/', '-')}`;

  switch (kind) {
    case 'enum':
    case 'state': {
      const options =
        kind === 'enum'
          ? (schema.enum ?? []).map((v) => ({ id: v, label: enumLabel(v, t) }))
          : [...parties.values()]
              .map((p) => ({ id: p.code, label: `${partyName(p, i18n.language)} (${p.code})` }))
              .sort((a, b) => a.label.localeCompare(b.label, i18n.language));
      if (kind === 'state' && options.length === 0) break;
      return (
        <Choice
          name={path}
          label={label}
          options={options}
          isRequired={required}
          placeholder={t('composer.choose')}
          value={typeof value === 'string' && value ? value : null}
          onChange={(v) => onChange(v ?? '')}
          errorMessage={error}
          description={
            schema['x-article']
              ? t('composer.article', { article: articleWords(schema['x-article'], t) })
              : undefined
          }
        />
      );
    }
    case 'boolean':
      return (
        <div className="field">
          <Checkbox
            className="checkbox"
            name={path}
            isSelected={value === true}
            onChange={onChange}
            isInvalid={Boolean(error)}
            isRequired={required && schema.const === true}
            aria-describedby={error ? `${id}-error` : undefined}
          >
            <span className="box" aria-hidden="true" />
            {label}
            <Mark required={schema.const === true} />
          </Checkbox>
          {schema['x-article'] ? (
            <span className="hint">
              {t('composer.article', { article: articleWords(schema['x-article'], t) })}
            </span>
          ) : null}
          {error ? (
            <span className="field-error" id={`${id}-error`}>
              {error}
            </span>
          ) : null}
        </div>
      );
    case 'enumList':
      return (
        <CheckboxGroup
          className="field group"
          name={path}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={onChange}
          isRequired={required}
          isInvalid={Boolean(error)}
          validationBehavior="aria"
        >
          <Label>
            {label}
            <Mark required={required} />
          </Label>
          <div className="choices">
            {(schema.items?.enum ?? []).map((v) => (
              <Checkbox key={v} value={v} className="checkbox">
                <span className="box" aria-hidden="true" />
                {enumLabel(v, t)}
              </Checkbox>
            ))}
          </div>
          <Hint schema={schema} />
          <FieldError>{error}</FieldError>
        </CheckboxGroup>
      );
    case 'objectList': {
      const items = Array.isArray(value) ? (value as RawObject[]) : [];
      const itemSchema = schema.items ?? {};
      return (
        <fieldset
          className="field list"
          data-path={path}
          tabIndex={-1}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          <legend>
            {label}
            <Mark required={required} />
          </legend>
          {schema['x-article'] || (schema.description && i18n.language === 'en') ? (
            <p className="hint">
              {schema['x-article']
                ? t('composer.article', { article: articleWords(schema['x-article'], t) })
                : null}
              {schema.description && i18n.language === 'en' ? (
                <span>
                  {' · '}
                  <span lang="en">{schema.description}</span>
                </span>
              ) : null}
            </p>
          ) : null}
          {error ? (
            <p className="field-error" id={`${id}-error`}>
              {error}
            </p>
          ) : null}
          {items.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: entries are edited in place, by position
            <div key={i} className="list-item">
              <ObjectFields
                schema={itemSchema}
                path={`${path}/${i}`}
                value={item}
                errors={errors}
                onChange={(next) => onChange(items.map((old, j) => (j === i ? next : old)))}
              />
              <Button
                className="button small"
                onPress={() => onChange(items.filter((_, j) => j !== i))}
                isDisabled={items.length <= (schema.minItems ?? 0)}
              >
                {t('composer.removeItem', { what: label, n: i + 1 })}
              </Button>
            </div>
          ))}
          <Button
            className="button small"
            onPress={() => onChange([...items, emptyObject(itemSchema)])}
            isDisabled={items.length >= (schema.maxItems ?? 50)}
          >
            {t('composer.addItem', { what: label })}
          </Button>
        </fieldset>
      );
    }
    case 'object':
      return (
        <fieldset className="field group-object">
          <legend>
            {label}
            <Mark required={required} />
          </legend>
          {error ? <p className="field-error">{error}</p> : null}
          <ObjectFields
            schema={schema}
            path={path}
            value={(value ?? {}) as RawObject}
            errors={errors}
            onChange={onChange}
          />
        </fieldset>
      );
    default:
      break;
  }

  const multiline = kind === 'longText' || kind === 'textList';
  const type =
    kind === 'dateTime' ? 'datetime-local' : kind === 'date' ? 'date' : kind === 'number' ? 'number' : 'text';
  return (
    <TextField
      className="field"
      name={path}
      type={multiline ? undefined : type}
      value={typeof value === 'string' ? value : ''}
      onChange={onChange}
      isRequired={required}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
    >
      <Label>
        {label}
        <Mark required={required} />
      </Label>
      {multiline ? <TextArea rows={kind === 'textList' ? 3 : 4} /> : <Input />}
      <Hint schema={schema} />
      {kind === 'textList' ? <span className="hint">{t('composer.onePerLine')}</span> : null}
      <FieldError>{error}</FieldError>
    </TextField>
  );
}

export function ObjectFields(props: {
  schema: JsonSchema;
  path: string;
  value: RawObject;
  errors: Map<string, string>;
  onChange: (value: RawObject) => void;
  /** At the top of a request: only these fields (one section of the composer). */
  only?: readonly string[];
}) {
  const { t } = useTranslation();
  const { schema, path, value, errors, onChange, only } = props;
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {}).filter(([name]) => !only || only.includes(name));
  const field = ([name, fieldSchema]: [string, JsonSchema]) => (
    <SchemaField
      key={name}
      name={name}
      schema={fieldSchema}
      required={required.has(name)}
      path={path ? `${path}/${name}` : name}
      value={value[name] ?? ''}
      errors={errors}
      onChange={(next) => onChange({ ...value, [name]: next })}
    />
  );
  if (path !== '') return <>{entries.map(field)}</>;
  // At the top of a request, what the article requires comes first; the rest waits one click away,
  // opened by itself when the node has something to say about one of those fields.
  const optional = entries.filter(([name]) => !required.has(name));
  const flagged = optional.some(([name]) => [...errors.keys()].some((k) => k.split('/')[0] === name));
  return (
    <>
      {entries.filter(([name]) => required.has(name)).map(field)}
      {optional.length > 0 ? (
        <details className="optional-fields" open={flagged || undefined}>
          <summary>{t('composer.optionalFields', { count: optional.length })}</summary>
          {optional.map(field)}
        </details>
      ) : null}
    </>
  );
}
