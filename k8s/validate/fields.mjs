// Unknown fields: kubernetes-models' validators (JSON Schema without additionalProperties) accept
// any field they do not know, so a misspelt `livenessProbe` or a field at the wrong level passes
// them and is silently dropped by the API server. This walks each object along the models' type
// declarations (the .d.ts files the packages ship, generated from the same OpenAPI schemas) and
// names every field the schema does not have. Maps (`{[key: string]: T}`) take any key.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const nodeModules = join(dirname(fileURLToPath(import.meta.url)), "node_modules");

/** The declaration file of a model: `apps/v1` + `Deployment` -> .../apps/v1/Deployment.d.ts */
export function modelFile(apiVersion, kind) {
  const pkg = apiVersion.startsWith("monitoring.coreos.com/")
    ? "@kubernetes-models/prometheus-operator"
    : "kubernetes-models";
  const file = join(nodeModules, pkg, apiVersion, `${kind}.d.ts`);
  return existsSync(file) ? file : null;
}

/** Paths (a.b[0].c) of the fields of `object` that its model does not declare. */
export function unknownFields(object, file) {
  const found = [];
  check(object, { kind: "ref", name: null, file }, "", found);
  return found;
}

// ---------------------------------------------------------------- checking

function check(value, type, path, found) {
  if (value == null || type == null) return;
  switch (type.kind) {
    case "ref":
      return check(value, declared(type.file, type.name), path, found);
    case "array":
      if (Array.isArray(value)) value.forEach((v, i) => check(v, type.of, `${path}[${i}]`, found));
      return;
    case "union": {
      // Only structured members can have unknown fields; values are the validators' business.
      const structured = type.options.map((o) => resolveRef(o)).filter((o) => o && o.kind !== "other");
      if (structured.length === 1) check(value, structured[0], path, found);
      return;
    }
    case "object":
      if (typeof value !== "object" || Array.isArray(value)) return;
      for (const [key, v] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (type.props.has(key)) check(v, type.props.get(key), at, found);
        else if (type.index) check(v, type.index, at, found);
        else found.push(at);
      }
      return;
    default:
      return;
  }
}

function resolveRef(type) {
  return type.kind === "ref" ? declared(type.file, type.name) : type;
}

// ---------------------------------------------------------------- declarations

const files = new Map();

/** The type a name stands for in a declaration file (name null: the file's model interface). */
function declared(file, name) {
  const unit = load(file);
  if (unit == null) return { kind: "other" };
  if (name == null || unit.local.has(name)) return unit.local.get(name ?? unit.main) ?? { kind: "other" };
  const spec = unit.imports.get(name);
  if (!spec) return { kind: "other" };
  const target = spec.startsWith(".")
    ? resolve(dirname(file), spec.replace(/\.js$/, ".d.ts"))
    : join(nodeModules, `${spec.replace(/\.js$/, "")}.d.ts`);
  return declared(target, null);
}

function load(file) {
  if (files.has(file)) return files.get(file);
  let unit = null;
  if (existsSync(file)) {
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    const imports = new Map();
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g))
      for (const part of m[1].split(",")) {
        const names = part.trim().split(/\s+as\s+/);
        if (names[0]) imports.set(names[names.length - 1], m[2]);
      }
    const local = new Map();
    let main = null;
    for (const m of text.matchAll(/export interface (\w+)(?: extends [\w, ]+)? \{/g)) {
      const parser = new Parser(text, m.index + m[0].length - 1, file);
      local.set(m[1], parser.primary());
      main ??= m[1];
    }
    for (const m of text.matchAll(/export type (\w+) = /g)) {
      const parser = new Parser(text, m.index + m[0].length, file);
      local.set(m[1], parser.union());
      main ??= m[1];
    }
    unit = { imports, local, main };
  }
  files.set(file, unit);
  return unit;
}

/** Just enough of TypeScript's type syntax for the generated declarations. */
class Parser {
  constructor(text, at, file) {
    this.text = text;
    this.at = at;
    this.file = file;
  }

  skip() {
    while (/\s/.test(this.text[this.at] ?? "")) this.at++;
  }

  peek() {
    this.skip();
    return this.text[this.at];
  }

  expect(c) {
    if (this.peek() !== c) throw new Error(`${this.file}: expected ${c} at ${this.at}`);
    this.at++;
  }

  word() {
    this.skip();
    const m = /^[\w$.-]+/.exec(this.text.slice(this.at));
    if (!m) throw new Error(`${this.file}: expected a name at ${this.at}`);
    this.at += m[0].length;
    return m[0];
  }

  string() {
    this.expect('"');
    const end = this.text.indexOf('"', this.at);
    const s = this.text.slice(this.at, end);
    this.at = end + 1;
    return s;
  }

  union() {
    const options = [this.postfix()];
    while (this.peek() === "|") {
      this.at++;
      options.push(this.postfix());
    }
    return options.length === 1 ? options[0] : { kind: "union", options };
  }

  postfix() {
    let type = this.primary();
    while (this.peek() === "[") {
      this.at++;
      if (this.peek() === "]") {
        this.at++;
        type = { kind: "array", of: type };
      } else {
        this.string(); // I["kind"]: a literal
        this.expect("]");
        type = { kind: "other" };
      }
    }
    return type;
  }

  primary() {
    const c = this.peek();
    if (c === "{") return this.object();
    if (c === '"') {
      this.string();
      return { kind: "other" };
    }
    if (c === "(") {
      this.at++;
      const inner = this.union();
      this.expect(")");
      return inner;
    }
    const name = this.word();
    if (name === "Array" && this.peek() === "<") {
      this.at++;
      const of = this.union();
      this.expect(">");
      return { kind: "array", of };
    }
    if (/^(string|number|boolean|any|unknown|null|true|false)$/.test(name)) return { kind: "other" };
    return { kind: "ref", name, file: this.file };
  }

  object() {
    this.expect("{");
    const props = new Map();
    let index = null;
    while (this.peek() !== "}") {
      if (this.peek() === "[") {
        this.at++;
        this.word();
        this.expect(":");
        this.word();
        this.expect("]");
        this.expect(":");
        index = this.union();
      } else {
        const key = this.peek() === '"' ? this.string() : this.word();
        if (this.peek() === "?") this.at++;
        this.expect(":");
        props.set(key, this.union());
      }
      if (this.peek() === ";" || this.peek() === ",") this.at++;
    }
    this.expect("}");
    return { kind: "object", props, index };
  }
}
