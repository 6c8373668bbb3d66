// External Secrets Operator objects checked against their schema: the npm package
// @kubernetes-models/external-secrets, the ESO API types (external-secrets.io/v1, v1beta1, ...)
// compiled to validators by the kubernetes-models project.
// usage: node external_secrets_schema.mjs PACKAGE_DIR < [object, ...] as JSON
// prints one JSON list per object: its problems ([] when it is valid).
//
// The compiled schemas do not reject unknown fields, which `kubectl apply` does (field
// validation is strict by default): each object is validated through a Proxy that records the
// fields the validator reads, and a field it never reads in an object whose fields it never
// lists (a map such as labels) is one the schema does not know.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const packageDir = process.argv[2];
const SCHEMA_PREFIX = "ComGithubExternalSecretsExternalSecretsApisExternalsecrets";

async function schemaFor(apiVersion, kind) {
  const [group, version] = String(apiVersion).split("/");
  if (group !== "external-secrets.io" || !version || !/^[A-Za-z0-9]+$/.test(String(kind))) return null;
  const name = `${SCHEMA_PREFIX}${version[0].toUpperCase()}${version.slice(1)}${kind}.js`;
  try {
    return (await import(pathToFileURL(join(packageDir, "_schemas", name)).href)).validate;
  } catch {
    return null;
  }
}

// A Proxy per object or array, remembering which fields the validator read or listed.
function tracker() {
  const records = new Map(); // target → {proxy, path, read, listed}
  const wrap = (value, path) => {
    if (value === null || typeof value !== "object") return value;
    let record = records.get(value);
    if (!record) {
      record = { path, read: new Set(), listed: false };
      record.proxy = new Proxy(value, {
        get(target, key) {
          const child = Reflect.get(target, key);
          if (typeof key !== "string" || !Object.hasOwn(target, key)) return child;
          record.read.add(key);
          return wrap(child, `${path}/${key}`);
        },
        has(target, key) {
          record.read.add(key);
          return Reflect.has(target, key);
        },
        ownKeys(target) {
          record.listed = true;
          return Reflect.ownKeys(target);
        },
      });
      records.set(value, record);
    }
    return record.proxy;
  };
  const unknown = () => [...records.entries()]
    .filter(([target, record]) => !Array.isArray(target) && !record.listed)
    .flatMap(([target, record]) => Object.keys(target).filter((key) => !record.read.has(key))
      .map((key) => `${record.path || "/"}: unknown field "${key}"`));
  return { wrap, unknown };
}

function describe(error) {
  const params = Object.entries(error.params || {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
  return `${error.instancePath || "/"}: ${error.keyword} (${params})`;
}

const objects = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const object of objects) {
  const validate = await schemaFor(object && object.apiVersion, object && object.kind);
  if (!validate) {
    results.push([`no schema for ${object && object.kind} ${object && object.apiVersion}`]);
    continue;
  }
  const { wrap, unknown } = tracker();
  const valid = validate(wrap(object, ""));
  results.push([...(valid ? [] : validate.errors.map(describe)), ...unknown()]);
}
console.log(JSON.stringify(results));
