// A labelled single choice from a closed list (react-aria Select), with an optional "any" entry.
import type { Key } from 'react-aria-components';
import {
  Button,
  FieldError,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
} from 'react-aria-components';

export type Option = { id: string; label: string };

export function Choice(props: {
  label: string;
  options: Option[];
  value: string | null;
  onChange: (value: string | null) => void;
  placeholder?: string;
  description?: string;
  isRequired?: boolean;
  name?: string;
  errorMessage?: string | null;
  className?: string;
}) {
  return (
    <Select
      className={props.className ?? 'field'}
      name={props.name}
      selectedKey={props.value ?? null}
      onSelectionChange={(key: Key | null) => props.onChange(key === null ? null : String(key))}
      placeholder={props.placeholder}
      isRequired={props.isRequired}
      isInvalid={Boolean(props.errorMessage)}
      validationBehavior="aria"
    >
      <Label>
        {props.label}
        {props.isRequired ? <span aria-hidden="true"> *</span> : null}
      </Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError>{props.errorMessage}</FieldError>
      <Popover>
        <ListBox items={props.options}>
          {(o) => (
            <ListBoxItem id={o.id} textValue={o.label}>
              {o.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
