// Reads a scenario file's text (YAML, of which JSON is a subset) and validates it against the
// directory's States. A text that is not YAML is one problem at the root, with the parser's line.
import { parse } from 'yaml';
import { type ScenarioValidation, validateScenario } from '../domain/exercises/index.ts';

export function parseScenarioText(text: string, knownStates: ReadonlySet<string>): ScenarioValidation {
  let parsed: unknown;
  try {
    parsed = parse(text, { prettyErrors: false, maxAliasCount: 100 });
  } catch (error) {
    return {
      ok: false,
      problems: [
        { path: '', code: 'schema', message: `not YAML or JSON: ${(error as Error).message.split('\n')[0]}` },
      ],
    };
  }
  return validateScenario(parsed, knownStates);
}
