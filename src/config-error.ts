// A configuration that cannot be used, with every problem found. In a module of its own so that the
// CLI can recognise it without loading the configuration's parsers (and their schemas).
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('; '));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
