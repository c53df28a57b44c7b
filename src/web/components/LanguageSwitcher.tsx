import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n/i18n.ts';
import { isLanguage, LANGUAGES } from '../i18n/languages.ts';

/** Each language named in itself, so anyone can find theirs whatever is shown now. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      className="language-switcher"
      selectedKey={i18n.language}
      onSelectionChange={(key) => {
        if (typeof key === 'string' && isLanguage(key)) void changeLanguage(key);
      }}
    >
      <Label>{t('language.label')}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      <Popover>
        <ListBox>
          {LANGUAGES.map((l) => (
            <ListBoxItem key={l.code} id={l.code} lang={l.code} dir={l.dir} textValue={l.name}>
              {l.name}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
