// @ts-check
import { isBuiltin } from 'node:module';
import path from 'node:path';

/**
 * `local/code-layering`: every import of a file must be allowed by the first entry of the layer
 * table (./layers.mjs) whose target names the file. Options: `{ root, layers }`, where `root` is
 * the repository folder that the table's globs start from.
 */

/** @param {string} glob */
export function globToRegExp(glob) {
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob.charAt(i + 1) === '*') {
      i++;
      if (glob.charAt(i + 1) === '/') {
        i++;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else {
      re += c.replace(/[.+?^$()[\]\\|]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** @typedef {{ target: string | string[], layer: string, allow: string[], why: string }} LayerRule */

/** @param {LayerRule[]} layers */
function compile(layers) {
  return layers.map((rule) => {
    const targets = (Array.isArray(rule.target) ? rule.target : [rule.target]).map(globToRegExp);
    // Entries with a `/` (but not `@scope/name`) are repository paths; the rest are package names.
    const isPath = (/** @type {string} */ a) => a === '**' || (a.includes('/') && !a.startsWith('@'));
    const packageList = rule.allow.filter((a) => !isPath(a));
    return {
      rule,
      targets,
      paths: rule.allow.filter(isPath).map(globToRegExp),
      packageList,
      packages: packageList.map(globToRegExp),
    };
  });
}

/** '@scope/name/deep' → '@scope/name', 'fs/promises' or 'node:fs/promises' → 'node:fs'. */
export function packageName(/** @type {string} */ specifier) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const parts = bare.split('/');
  const name = bare.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? bare);
  if (specifier.startsWith('node:') || isBuiltin(parts[0] ?? '')) return `node:${parts[0]}`;
  return name;
}

/** A relative import as repository paths it may name (with and without an extension). */
function candidates(/** @type {string} */ relative) {
  return [relative, `${relative}.ts`, `${relative}.tsx`, `${relative}/index.ts`];
}

/** @type {import('eslint').Rule.RuleModule} */
export const codeLayering = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer table in eslint/layers.mjs (docs/architecture.md).' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, layers: { type: 'array' } },
        required: ['root', 'layers'],
      },
    ],
    messages: {
      notAllowed: '{{layer}} ({{file}}) may not import {{what}}: {{why}}',
      packageNotAllowed:
        '{{layer}} ({{file}}) may not import the package {{what}} (allowed here: {{allowed}}): {{why}}',
      outside: '{{file}} imports {{what}}, outside the repository.',
      unplaced: '{{file}} is in no layer of eslint/layers.mjs; add its folder there (and to docs/architecture.md).',
    },
  },
  create(context) {
    const { root, layers } = /** @type {{ root: string, layers: LayerRule[] }} */ (context.options[0]);
    const file = path.relative(root, context.physicalFilename).split(path.sep).join('/');
    const entry = compile(layers).find((c) => c.targets.some((t) => t.test(file)));
    if (!entry) {
      return {
        Program(node) {
          context.report({ node, messageId: 'unplaced', data: { file } });
        },
      };
    }

    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const data = { layer: entry.rule.layer, file, why: entry.rule.why, what: `'${source}'` };
      if (source.startsWith('.') || source.startsWith('/')) {
        const target = path
          .relative(root, path.resolve(path.dirname(context.physicalFilename), source))
          .split(path.sep)
          .join('/');
        if (target.startsWith('..') || path.isAbsolute(target)) {
          context.report({ node, messageId: 'outside', data });
          return;
        }
        const names = candidates(target);
        if (!entry.paths.some((p) => names.some((n) => p.test(n)))) {
          context.report({ node, messageId: 'notAllowed', data: { ...data, what: `${target} ('${source}')` } });
        }
        return;
      }
      const name = packageName(source);
      if (!entry.packages.some((p) => p.test(name))) {
        const allowed = entry.packageList.join(', ') || 'none';
        context.report({ node, messageId: 'packageNotAllowed', data: { ...data, what: `'${name}'`, allowed } });
      }
    };
    /** @param {any} node */
    const literal = (node) => (node && node.type === 'Literal' ? node.value : undefined);

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, literal(node.source)),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
          check(node, literal(node.arguments[0]));
        }
      },
      // TypeScript's `import x = require('…')` and `import('…').Type`.
      /** @param {any} node */
      TSExternalModuleReference: (node) => check(node, literal(node.expression)),
      /** @param {any} node */
      TSImportType: (node) => check(node, literal(node.argument?.literal ?? node.source)),
    };
  },
};

/**
 * The flat-config block that turns the rule on for the layered files.
 * @param {string} root @param {LayerRule[]} layers @param {string[]} files
 */
export function layeringConfig(root, layers, files) {
  return {
    files,
    plugins: { local: { rules: { 'code-layering': codeLayering } } },
    rules: { 'local/code-layering': ['error', { root, layers }] },
  };
}
