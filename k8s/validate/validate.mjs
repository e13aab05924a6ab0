// Validates rendered Kubernetes manifests against the Kubernetes API schemas (kubernetes-models)
// and the Prometheus Operator's (ServiceMonitor, PrometheusRule), offline. Every object must be
// of a known apiVersion and kind, valid, and have no field its schema lacks (fields.mjs: the
// schemas alone let unknown fields through, as `kubectl apply --validate=strict` would not);
// anything else fails the run.
//   kubectl kustomize ../overlays/production | node validate.mjs
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { modelFile, unknownFields } from "./fields.mjs";

const input = readFileSync(process.argv[2] ?? 0, "utf8");
const modules = (apiVersion) => {
  if (apiVersion.startsWith("monitoring.coreos.com/")) return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  return `kubernetes-models/${apiVersion}`;
};

let checked = 0;
const failures = [];
for (const doc of parseAllDocuments(input)) {
  if (doc.errors.length) {
    failures.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const object = doc.toJS();
  if (object == null) continue;
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  let Model;
  try {
    Model = (await import(modules(object.apiVersion)))[object.kind];
  } catch (e) {
    Model = undefined;
  }
  if (!Model) {
    failures.push(`${name}: no schema for this apiVersion and kind`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
    continue;
  }
  try {
    const file = modelFile(object.apiVersion, object.kind);
    if (!file) throw new Error("no type declarations to check its fields against");
    const unknown = unknownFields(object, file);
    if (unknown.length) throw new Error(`unknown field(s) ${unknown.join(", ")}`);
    checked++;
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
  }
}
for (const f of failures) console.error(`invalid: ${f}`);
console.log(`${checked} objects valid, ${failures.length} invalid`);
process.exit(failures.length === 0 && checked > 0 ? 0 : 1);
