// The layers of DESIGN.md as one table, checked by two lint rules (in the spirit of VS Code's
// local/code-layering): `layers/allowed-imports` fails an import that crosses the table, and
// `layers/no-cycle` fails an import that closes a cycle between capabilities (folders) or files.
// Paths are resolved from the importing file, so relative imports are judged by what they reach.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const toPosix = (p) => p.split(sep).join('/');

/** Glob-lite: `dir/**` (everything under dir) or an exact file. */
function matches(file, pattern) {
  if (pattern.endsWith('/**')) return file.startsWith(pattern.slice(0, -2));
  return file === pattern;
}

function layerOf(table, file) {
  return table.find((layer) => layer.files.some((p) => matches(file, p)));
}

/** The repository-relative path an import specifier reaches, or null for a package. */
function target(root, fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  return toPosix(normalize(join(dirname(fromFile), spec)));
}

function importSources(node) {
  // import … from 's' / export … from 's' / import('s') / require('s')
  if ((node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && node.source) {
    return { spec: node.source.value, typeOnly: node.importKind === 'type' || node.exportKind === 'type', dynamic: false, at: node.source };
  }
  if (node.type === 'ImportExpression' && node.source.type === 'Literal') return { spec: node.source.value, typeOnly: false, dynamic: true, at: node.source };
  if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
    return { spec: node.arguments[0].value, typeOnly: false, dynamic: true, at: node.arguments[0] };
  }
  return null;
}

const visitedNodes = ['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression', 'CallExpression'];

const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer table of DESIGN.md' },
    schema: [{ type: 'object', additionalProperties: true }],
  },
  create(context) {
    const { layers, packages } = context.options[0];
    const root = context.cwd;
    const file = toPosix(relative(root, context.filename));
    const from = layerOf(layers, file);
    const check = (node) => {
      const found = importSources(node);
      if (!found || typeof found.spec !== 'string') return;
      const reached = target(root, file, found.spec);
      if (reached === null) {
        // Tests and benchmarks (outside every layer) may load anything, e.g. pkcs11js for a baseline.
        for (const rule of from ? packages : []) {
          if (!new RegExp(rule.pattern).test(found.spec)) continue;
          if (!rule.allowedIn.some((p) => matches(file, p))) context.report({ node: found.at, message: rule.message });
        }
        if (from?.noNodeBuiltins && found.spec.startsWith('node:')) {
          context.report({ node: found.at, message: `${from.name} runs without Node (the sandboxed renderer bundles it): no node: modules.` });
        }
        return;
      }
      if (!from) return;
      const to = layerOf(layers, reached);
      if (!to || to === from) return;
      if (from.mayImport.includes(to.name)) return;
      if (found.dynamic && (from.mayImportDynamically ?? []).includes(to.name)) return;
      context.report({ node: found.at, message: `${from.name} may not import ${to.name} (${reached}): ${from.why}` });
    };
    return Object.fromEntries(visitedNodes.map((n) => [n, check]));
  },
};

// ── cycles ─────────────────────────────────────────────────────────────────────────────────────

const sourceFile = /\.(ts|tsx|cts|mts)$/;
const runtimeImport = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm;

function listSources(root, dirs) {
  const out = [];
  const walk = (dir) => {
    if (!existsSync(join(root, dir))) return;
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!['node_modules', 'build', 'dist'].includes(entry.name)) walk(rel);
      } else if (sourceFile.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

function runtimeEdges(file, text) {
  const edges = [];
  for (const m of text.matchAll(runtimeImport)) edges.push(toPosix(normalize(join(dirname(file), m[1]))));
  return edges;
}

/**
 * The capability a file belongs to: the sub-folder of the deepest `container` holding it (a file
 * directly in a container is a unit of its own). main/sync/engine.ts → main/sync; with main/letters a
 * container, main/letters/incoming/handlers.ts → main/letters/incoming.
 */
function unitOf(containers, file) {
  const parts = file.split('/');
  for (let depth = parts.length - 1; depth > 0; depth--) {
    const container = parts.slice(0, depth).join('/');
    if (containers.includes(container)) return depth + 1 < parts.length ? parts.slice(0, depth + 1).join('/') : file;
  }
  return file;
}

/** Strongly connected components (Tarjan) of a graph given as Map<node, Set<node>>. */
function cyclicNodes(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const component = new Map();
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const members = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        members.push(w);
      } while (w !== v);
      if (members.length > 1) for (const m of members) component.set(m, members);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return component;
}

const diskEdges = new Map();
function edgesOnDisk(root, file) {
  if (!diskEdges.has(file)) diskEdges.set(file, runtimeEdges(file, readFileSync(join(root, file), 'utf8')));
  return diskEdges.get(file);
}

function sameEdges(a, b) {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}

/** The import graph of every source file, with `file` read as `text`'s edges, and its cycles. */
function graphWith(root, roots, units, file, own) {
  const files = new Set(listSources(root, roots));
  if (file !== null) files.add(file);
  const fileGraph = new Map();
  const unitGraph = new Map();
  for (const f of files) {
    const edges = (f === file ? own : edgesOnDisk(root, f)).filter((t) => files.has(t));
    fileGraph.set(f, new Set(edges));
    const u = unitOf(units, f);
    if (!unitGraph.has(u)) unitGraph.set(u, new Set());
    for (const t of edges) if (unitOf(units, t) !== u) unitGraph.get(u).add(unitOf(units, t));
  }
  return { files, cyclicFiles: cyclicNodes(fileGraph), cyclicUnits: cyclicNodes(unitGraph) };
}

let program;
function programGraph(root, roots, units) {
  program ??= graphWith(root, roots, units, null, []);
  return program;
}

const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'No import cycle between capabilities (folders) or files; type-only imports do not count' },
    schema: [{ type: 'object', additionalProperties: true }],
  },
  create(context) {
    const { roots, containers: units } = context.options[0];
    const root = context.cwd;
    const file = toPosix(relative(root, context.filename));
    if (!roots.some((r) => file.startsWith(r + '/'))) return {};
    const own = runtimeEdges(file, context.sourceCode.text);
    // The whole program's graph is built once per lint run; a file whose imports differ from the
    // copy on disk (an editor buffer, a test's virtual file) gets a graph of its own.
    const onDisk = existsSync(join(root, file)) && sameEdges(own, edgesOnDisk(root, file));
    const { files, cyclicFiles, cyclicUnits } = onDisk ? programGraph(root, roots, units) : graphWith(root, roots, units, file, own);
    const myUnit = unitOf(units, file);
    return Object.fromEntries(visitedNodes.map((n) => [n, (node) => {
      const found = importSources(node);
      if (!found || found.typeOnly || found.dynamic || typeof found.spec !== 'string') return;
      const reached = target(root, file, found.spec);
      if (reached === null || !files.has(reached)) return;
      const theirUnit = unitOf(units, reached);
      if (theirUnit !== myUnit && cyclicUnits.get(myUnit)?.includes(theirUnit)) {
        context.report({ node: found.at, message: `import cycle between capabilities: ${myUnit} → ${theirUnit} → … → ${myUnit} (${cyclicUnits.get(myUnit).join(', ')}). Move what both need below both.` });
      } else if (cyclicFiles.get(file)?.includes(reached)) {
        context.report({ node: found.at, message: `import cycle between files: ${file} → ${reached} → … → ${file}.` });
      }
    }]));
  },
};

export default { rules: { 'allowed-imports': allowedImports, 'no-cycle': noCycle } };
