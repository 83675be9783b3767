// Unknown-field and enum checks for Kubernetes objects, read from the TypeScript declarations that
// kubernetes-models ships (its validate() checks types and required fields, but lets unknown
// fields such as a misspelt "mountPropogation" through, and does not check enum values).
import fs from "node:fs";
import path from "node:path";

// A type from a .d.ts property: {kind: "ref", file, name} | {kind: "array", of} |
// {kind: "map", of} | {kind: "enum", values} | {kind: "any"}.
function parseType(text, imports, file) {
  text = text.trim();
  if (text.startsWith("{")) {
    const m = /\[key: string\]:\s*([^;]+);/.exec(text);
    return m ? { kind: "map", of: parseType(m[1], imports, file) } : { kind: "any" };
  }
  const arr = /^Array<(.*)>$/s.exec(text);
  if (arr) return { kind: "array", of: parseType(arr[1], imports, file) };
  if (/^"[^"]*"(\s*\|\s*"[^"]*")*$/.test(text)) {
    return { kind: "enum", values: [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]) };
  }
  if (/^I[A-Za-z0-9]+$/.test(text) && imports.has(text)) {
    return { kind: "ref", file: imports.get(text), name: text };
  }
  return { kind: "any" };
}

function resolveImport(spec, fromFile, nodeModules) {
  let target;
  if (spec.startsWith(".")) {
    target = path.resolve(path.dirname(fromFile), spec);
  } else {
    target = path.join(nodeModules, spec);
  }
  target = target.replace(/\.js$/, "");
  return target + ".d.ts";
}

// Reads the first interface of a .d.ts file: Map(property -> type), or null for non-objects.
export class Schemas {
  constructor(nodeModules) {
    this.nodeModules = nodeModules;
    this.cache = new Map();
  }

  interfaceOf(file) {
    if (this.cache.has(file)) return this.cache.get(file);
    let result = null;
    if (fs.existsSync(file)) {
      const source = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      const imports = new Map();
      for (const m of source.matchAll(/import \{ ([^}]+) \} from "([^"]+)";/g)) {
        for (const name of m[1].split(",").map((s) => s.trim())) {
          imports.set(name, resolveImport(m[2], file, this.nodeModules));
        }
      }
      const start = /export interface I[A-Za-z0-9]+(?: extends [A-Za-z0-9, ]+)? \{\n/.exec(source);
      if (start) {
        // The body ends at the first "}" in column 0.
        const bodyStart = start.index + start[0].length;
        const body = source.slice(bodyStart, source.indexOf("\n}", bodyStart));
        result = new Map();
        let depth = 0;
        let current = "";
        for (const ch of body) {
          if (ch === "{" || ch === "<") depth++;
          if (ch === "}" || ch === ">") depth--;
          if (ch === ";" && depth === 0) {
            const m = /^\s*"([^"]+)"\??:\s*([\s\S]*)$/.exec(current);
            if (m) result.set(m[1], parseType(m[2], imports, file));
            else if (/\[key: string\]/.test(current)) result.set("*", { kind: "any" });
            current = "";
          } else {
            current += ch;
          }
        }
        if (result.has("*")) result = null;  // free-form object: nothing to check
      }
    }
    this.cache.set(file, result);
    return result;
  }

  // Checks value against the interface in file; pushes "path: message" strings to errors.
  check(value, file, where, errors) {
    const props = this.interfaceOf(file);
    if (props === null || value === null || typeof value !== "object" || Array.isArray(value)) {
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const type = props.get(key);
      if (type === undefined) {
        errors.push(`${where}/${key}: unknown field "${key}"`);
        continue;
      }
      this.checkType(child, type, `${where}/${key}`, errors);
    }
  }

  checkType(value, type, where, errors) {
    if (value === null || value === undefined) return;
    switch (type.kind) {
      case "ref":
        this.check(value, type.file, where, errors);
        break;
      case "array":
        if (Array.isArray(value)) value.forEach((v, i) => this.checkType(v, type.of, `${where}/${i}`, errors));
        break;
      case "map":
        if (typeof value === "object") {
          for (const [k, v] of Object.entries(value)) this.checkType(v, type.of, `${where}/${k}`, errors);
        }
        break;
      case "enum":
        if (!type.values.includes(value)) {
          errors.push(`${where}: "${value}" is not one of ${type.values.map((v) => `"${v}"`).join(", ")}`);
        }
        break;
      default:
        break;
    }
  }
}
