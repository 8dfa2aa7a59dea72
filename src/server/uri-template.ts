// RFC 6570 URI templates as resource templates use them: compiled once into a matcher and an
// expander. Covers simple `{a}`, reserved `{+a}`, fragment `{#a}`, path `{/a}` and query `{?a,b}`.

export type TemplateVariables = Record<string, string>;

export interface CompiledTemplate {
  readonly template: string;
  readonly variableNames: readonly string[];
  match(uri: string): TemplateVariables | undefined;
}

interface Expression { operator: string; names: string[] }

const OPERATOR_PATTERN: Record<string, string> = {
  '': '([^/?#&,]*)',
  '+': '(.*?)',
  '#': '#(.*)',
  '/': '/([^/?#]*)',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseExpression(body: string, template: string): Expression {
  const operator = /^[+#/?&.;]/.test(body) ? body[0]! : '';
  const names = body.slice(operator.length).split(',').map((n) => n.replace(/\*$|:\d+$/, ''));
  if (names.some((n) => !/^[A-Za-z0-9_.%]+$/.test(n))) {
    throw new TypeError(`Resource template "${template}" has an invalid expression "{${body}}": variable names are letters, digits, "_" and ".".`);
  }
  return { operator, names };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function compileUriTemplate(template: string): CompiledTemplate {
  let source = '^';
  const groups: string[] = [];
  const queryNames: string[] = [];
  let last = 0;
  for (const found of template.matchAll(/\{([^}]*)\}/g)) {
    source += escapeRegExp(template.slice(last, found.index));
    last = found.index + found[0].length;
    const { operator, names } = parseExpression(found[1]!, template);
    if (operator === '?' || operator === '&') {
      queryNames.push(...names);
      source += '(?:[?&].*)?';
      continue;
    }
    const piece = OPERATOR_PATTERN[operator];
    if (piece === undefined || names.length !== 1) {
      throw new TypeError(`Resource template "${template}" uses "{${found[1]}}", which stateless-mcp cannot match; use {name}, {+name}, {#name}, {/name} or {?a,b}.`);
    }
    groups.push(names[0]!);
    source += piece;
  }
  source += `${escapeRegExp(template.slice(last))}$`;
  const pattern = new RegExp(source);
  return {
    template,
    variableNames: [...groups, ...queryNames],
    match(uri) {
      const hit = pattern.exec(uri);
      if (!hit) return undefined;
      const variables: TemplateVariables = {};
      groups.forEach((name, i) => (variables[name] = decode(hit[i + 1] ?? '')));
      if (queryNames.length > 0) {
        const query = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1).split('#')[0]! : '';
        for (const pair of query.split('&')) {
          const [key, value = ''] = pair.split('=');
          if (key && queryNames.includes(key)) variables[key] = decode(value);
        }
      }
      return variables;
    },
  };
}
