// A parser for the STIX 2.1 patterning language, written rule by rule from the official ANTLR grammar
// (OASIS cti-stix2-json-schemas pattern_grammar/STIXPattern.g4, copy in shared/conformance). Hand-written
// recursive descent rather than ANTLR output: ANTLR needs a Java tool and a runtime package, and its
// TypeScript target does not run under type stripping; the grammar is small enough to follow exactly.
// Left-recursive rules (<assoc=left>) become loops, which gives the same trees. The lexer applies
// ANTLR's rules: the longest match wins, ties go to the rule defined first, whitespace and comments skip.
// Pure: no I/O. Anything the grammar rejects throws PatternSyntaxError with the column.

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'int' | 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'binary' | 'hex' | 'timestamp'; value: string };

export type PathStep = { key: string } | { index: number | '*' };
export type ObjectPath = { objectType: string; steps: PathStep[] };

export type ComparisonOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IN'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUBSET'
  | 'ISSUPERSET';

export type Comparison =
  | {
      kind: 'test';
      path: ObjectPath;
      negated: boolean;
      operator: ComparisonOperator;
      value: Literal | Literal[];
    }
  | { kind: 'exists'; path: ObjectPath; negated: boolean }
  | { kind: 'AND'; operands: Comparison[] }
  | { kind: 'OR'; operands: Comparison[] };

export type Qualifier =
  | { kind: 'START'; start: string; stop: string }
  | { kind: 'WITHIN'; seconds: number }
  | { kind: 'REPEATS'; times: number };

export type Observation =
  | { kind: 'observation'; comparison: Comparison }
  | { kind: 'AND'; operands: Observation[] }
  | { kind: 'OR'; operands: Observation[] }
  | { kind: 'FOLLOWEDBY'; operands: Observation[] }
  | { kind: 'qualified'; expression: Observation; qualifier: Qualifier };

export class PatternSyntaxError extends Error {
  readonly column: number;
  constructor(message: string, column: number) {
    super(`${message} at column ${column + 1}`);
    this.column = column;
  }
}

type Token = { type: string; text: string; at: number };

const KEYWORDS = [
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'TRUE',
  'FALSE',
  'WITHIN',
  'REPEATS',
  'TIMES',
];
const B64 = '[A-Za-z0-9+/]';

// The lexer rules in the grammar's order (the order breaks ties between equally long matches).
const RULES: [string, RegExp][] = [
  ['IntNegLiteral', /-(?:0|[1-9][0-9]*)/y],
  ['IntPosLiteral', /\+?(?:0|[1-9][0-9]*)/y],
  ['FloatNegLiteral', /-[0-9]*\.[0-9]+/y],
  ['FloatPosLiteral', /\+?[0-9]*\.[0-9]+/y],
  ['HexLiteral', /h'(?:[A-Fa-f0-9]{2})*'/y],
  ['BinaryLiteral', new RegExp(`b'(?:${B64}{4})*(?:${B64}{4}|${B64}{3}=|${B64}{2}==)'`, 'y')],
  ['StringLiteral', /'(?:[^'\\]|\\'|\\\\)*'/y],
  ['BoolLiteral', /true|false/y],
  [
    'TimestampLiteral',
    /t'[0-9]{4}-(?:0[1-9]|1[012])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?Z'/y,
  ],
  ...KEYWORDS.map((k): [string, RegExp] => [
    k,
    new RegExp(k === 'TRUE' || k === 'FALSE' ? k.toLowerCase() : k, 'y'),
  ]),
  ['IdentifierWithoutHyphen', /[a-zA-Z_][a-zA-Z0-9_]*/y],
  ['IdentifierWithHyphen', /[a-zA-Z_][a-zA-Z0-9_-]*/y],
  ['EQ', /==|=/y],
  ['NEQ', /!=|<>/y],
  ['LT', /</y],
  ['LE', /<=/y],
  ['GT', />/y],
  ['GE', />=/y],
  ['QUOTE', /'/y],
  ['COLON', /:/y],
  ['DOT', /\./y],
  ['COMMA', /,/y],
  ['RPAREN', /\)/y],
  ['LPAREN', /\(/y],
  ['RBRACK', /\]/y],
  ['LBRACK', /\[/y],
  ['PLUS', /\+/y],
  ['HYPHEN', /-/y],
  ['POWER_OP', /\^/y],
  ['DIVIDE', /\//y],
  ['ASTERISK', /\*/y],
  ['WS', /[ \t\r\n\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/y],
  ['COMMENT', /\/\*[\s\S]*?\*\//y],
  ['LINE_COMMENT', /\/\/[^\r\n]*/y],
];
const SKIPPED = new Set(['WS', 'COMMENT', 'LINE_COMMENT']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    let best: { type: string; length: number } | null = null;
    for (const [type, rule] of RULES) {
      rule.lastIndex = at;
      const m = rule.exec(text);
      if (m && m[0].length > (best?.length ?? 0)) best = { type, length: m[0].length };
    }
    // The grammar's catch-all InvalidCharacter token fits no parser rule: reject it here.
    if (!best) throw new PatternSyntaxError(`unexpected character ${JSON.stringify(text[at])}`, at);
    if (!SKIPPED.has(best.type)) tokens.push({ type: best.type, text: text.slice(at, at + best.length), at });
    at += best.length;
  }
  tokens.push({ type: 'EOF', text: '', at: text.length });
  return tokens;
}

const ORDER_OPS: Readonly<Record<string, ComparisonOperator>> = { GT: '>', LT: '<', GE: '>=', LE: '<=' };
const ORDERABLE = new Set([
  'IntPosLiteral',
  'IntNegLiteral',
  'FloatPosLiteral',
  'FloatNegLiteral',
  'StringLiteral',
  'BinaryLiteral',
  'HexLiteral',
  'TimestampLiteral',
]);
const STRING_OPS: Readonly<Record<string, ComparisonOperator>> = {
  LIKE: 'LIKE',
  MATCHES: 'MATCHES',
  ISSUBSET: 'ISSUBSET',
  ISSUPERSET: 'ISSUPERSET',
};

/** The text of a StringLiteral token: quotes removed, \' and \\ unescaped. */
function stringValue(text: string): string {
  return text.slice(1, -1).replace(/\\(['\\])/g, '$1');
}

function literalOf(t: Token): Literal {
  switch (t.type) {
    case 'StringLiteral':
      return { kind: 'string', value: stringValue(t.text) };
    case 'IntPosLiteral':
    case 'IntNegLiteral':
      return { kind: 'int', value: Number(t.text) };
    case 'FloatPosLiteral':
    case 'FloatNegLiteral':
      return { kind: 'float', value: Number(t.text) };
    case 'BoolLiteral':
      return { kind: 'bool', value: t.text === 'true' };
    case 'BinaryLiteral':
      return { kind: 'binary', value: t.text.slice(2, -1) };
    case 'HexLiteral':
      return { kind: 'hex', value: t.text.slice(2, -1) };
    default:
      return { kind: 'timestamp', value: t.text.slice(2, -1) };
  }
}

class Parser {
  private i = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private accept(type: string): Token | null {
    return this.peek().type === type ? this.tokens[this.i++]! : null;
  }
  private expect(type: string, what: string): Token {
    const t = this.accept(type);
    if (!t) this.fail(`expected ${what}`);
    return t!;
  }
  private fail(message: string): never {
    const t = this.peek();
    throw new PatternSyntaxError(
      `${message}, found ${t.type === 'EOF' ? 'the end' : JSON.stringify(t.text)}`,
      t.at,
    );
  }

  // pattern : observationExpressions EOF
  pattern(): Observation {
    const tree = this.observationExpressions();
    if (this.peek().type !== 'EOF') this.fail('expected AND, OR, FOLLOWEDBY, a qualifier or the end');
    return tree;
  }

  // observationExpressions : observationExpressions FOLLOWEDBY observationExpressions | observationExpressionOr
  private observationExpressions(): Observation {
    return this.leftAssociative('FOLLOWEDBY', () => this.observationExpressionOr());
  }
  private observationExpressionOr(): Observation {
    return this.leftAssociative('OR', () => this.observationExpressionAnd());
  }
  private observationExpressionAnd(): Observation {
    return this.leftAssociative('AND', () => this.observationExpression());
  }
  private leftAssociative(op: 'FOLLOWEDBY' | 'OR' | 'AND', next: () => Observation): Observation {
    const operands = [next()];
    while (this.accept(op)) operands.push(next());
    return operands.length === 1 ? operands[0]! : { kind: op, operands };
  }

  // observationExpression : [ comparisonExpression ] | ( observationExpressions ) | … qualifier
  private observationExpression(): Observation {
    let expression: Observation;
    if (this.accept('LBRACK')) {
      const comparison = this.comparisonExpression();
      this.expect('RBRACK', "']' to close the observation");
      expression = { kind: 'observation', comparison };
    } else if (this.accept('LPAREN')) {
      expression = this.observationExpressions();
      this.expect('RPAREN', "')'");
    } else {
      this.fail("expected '[' to open an observation");
    }
    for (;;) {
      const qualifier = this.qualifier();
      if (!qualifier) return expression;
      expression = { kind: 'qualified', expression, qualifier };
    }
  }

  // startStopQualifier | withinQualifier | repeatedQualifier
  private qualifier(): Qualifier | null {
    if (this.accept('START')) {
      const start = literalOf(this.expect('TimestampLiteral', "a timestamp t'…Z' after START"));
      this.expect('STOP', 'STOP');
      const stop = literalOf(this.expect('TimestampLiteral', "a timestamp t'…Z' after STOP"));
      return { kind: 'START', start: String(start.value), stop: String(stop.value) };
    }
    if (this.accept('WITHIN')) {
      const n = this.accept('IntPosLiteral') ?? this.expect('FloatPosLiteral', 'a positive number');
      this.expect('SECONDS', 'SECONDS');
      return { kind: 'WITHIN', seconds: Number(n.text) };
    }
    if (this.accept('REPEATS')) {
      const n = this.expect('IntPosLiteral', 'a positive integer');
      this.expect('TIMES', 'TIMES');
      return { kind: 'REPEATS', times: Number(n.text) };
    }
    return null;
  }

  // comparisonExpression : comparisonExpression OR comparisonExpression | comparisonExpressionAnd
  private comparisonExpression(): Comparison {
    const operands = [this.comparisonExpressionAnd()];
    while (this.accept('OR')) operands.push(this.comparisonExpressionAnd());
    return operands.length === 1 ? operands[0]! : { kind: 'OR', operands };
  }
  private comparisonExpressionAnd(): Comparison {
    const operands = [this.propTest()];
    while (this.accept('AND')) operands.push(this.propTest());
    return operands.length === 1 ? operands[0]! : { kind: 'AND', operands };
  }

  // propTest : objectPath NOT? op literal | ( comparisonExpression ) | NOT? EXISTS objectPath
  private propTest(): Comparison {
    if (this.accept('LPAREN')) {
      const inner = this.comparisonExpression();
      this.expect('RPAREN', "')'");
      return inner;
    }
    if (
      this.peek().type === 'EXISTS' ||
      (this.peek().type === 'NOT' && this.tokens[this.i + 1]?.type === 'EXISTS')
    ) {
      const negated = this.accept('NOT') !== null;
      this.expect('EXISTS', 'EXISTS');
      return { kind: 'exists', path: this.objectPath(), negated };
    }
    const path = this.objectPath();
    const negated = this.accept('NOT') !== null;
    const t = this.peek();
    this.i++;
    if (t.type === 'EQ' || t.type === 'NEQ') {
      const lit = this.peek();
      if (!ORDERABLE.has(lit.type) && lit.type !== 'BoolLiteral') this.fail('expected a literal');
      this.i++;
      return { kind: 'test', path, negated, operator: t.type === 'EQ' ? '=' : '!=', value: literalOf(lit) };
    }
    if (t.type in ORDER_OPS) {
      const lit = this.peek();
      if (!ORDERABLE.has(lit.type)) this.fail('expected a number, string, binary, hex or timestamp');
      this.i++;
      return { kind: 'test', path, negated, operator: ORDER_OPS[t.type]!, value: literalOf(lit) };
    }
    if (t.type === 'IN') return { kind: 'test', path, negated, operator: 'IN', value: this.setLiteral() };
    if (t.type in STRING_OPS) {
      const lit = this.expect('StringLiteral', 'a quoted string');
      return { kind: 'test', path, negated, operator: STRING_OPS[t.type]!, value: literalOf(lit) };
    }
    this.i--;
    return this.fail('expected a comparison operator');
  }

  // setLiteral : ( ) | ( primitiveLiteral (, primitiveLiteral)* )
  private setLiteral(): Literal[] {
    this.expect('LPAREN', "'(' to open a set");
    const items: Literal[] = [];
    if (this.accept('RPAREN')) return items;
    do {
      const lit = this.peek();
      if (!ORDERABLE.has(lit.type) && lit.type !== 'BoolLiteral') this.fail('expected a literal');
      this.i++;
      items.push(literalOf(lit));
    } while (this.accept('COMMA'));
    this.expect('RPAREN', "')' to close the set");
    return items;
  }

  // objectPath : objectType COLON firstPathComponent objectPathComponent?
  private objectPath(): ObjectPath {
    const type = this.accept('IdentifierWithoutHyphen') ?? this.accept('IdentifierWithHyphen');
    if (!type) this.fail('expected an object type like ipv4-addr');
    this.expect('COLON', "':' after the object type");
    const first = this.accept('IdentifierWithoutHyphen') ?? this.accept('StringLiteral');
    if (!first) this.fail('expected a property name');
    const steps: PathStep[] = [
      { key: first!.type === 'StringLiteral' ? stringValue(first!.text) : first!.text },
    ];
    for (;;) {
      if (this.accept('DOT')) {
        const key = this.accept('IdentifierWithoutHyphen') ?? this.accept('StringLiteral');
        if (!key) this.fail('expected a property name after .');
        steps.push({ key: key!.type === 'StringLiteral' ? stringValue(key!.text) : key!.text });
      } else if (this.peek().type === 'LBRACK') {
        this.i++;
        const n = this.accept('IntPosLiteral') ?? this.accept('IntNegLiteral') ?? this.accept('ASTERISK');
        if (!n) this.fail('expected a list index or *');
        this.expect('RBRACK', "']' to close the index");
        steps.push({ index: n!.type === 'ASTERISK' ? '*' : Number(n!.text) });
      } else {
        return { objectType: type!.text, steps };
      }
    }
  }
}

/** The syntax tree of a STIX 2.1 pattern; throws PatternSyntaxError for anything the grammar rejects. */
export function parsePattern(text: string): Observation {
  return new Parser(tokenize(text)).pattern();
}
