// What a published version of /api/v1 promises, checked against a newer document. Partners
// build against the committed document; within a major version a change may add (operations,
// optional parameters, response properties) but never take away or tighten, or their code
// breaks without them changing anything. A general OpenAPI diff tool would need another
// dependency and judges far more than this API uses; these few rules cover what our schemas
// can express (paths, operations, parameters, bodies, response properties and their types).

type Json = Record<string, unknown>;
type Doc = { info?: { version?: string }; paths?: Record<string, Json>; components?: Json };

const VERBS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolve(doc: Doc, schema: unknown, depth = 0): Json {
  if (!isObject(schema) || depth > 20) return {};
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let target: unknown = doc;
    for (const part of ref.slice(2).split('/'))
      target = isObject(target) ? target[part] : undefined;
    return resolve(doc, target, depth + 1);
  }
  return schema;
}

const typesOf = (schema: Json): string[] =>
  Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [String(schema.type)] : [];

/** Where `after` accepts less than `before` (an input) at `where`. */
function inputTightened(where: string, before: Json, after: Json, problems: string[]): void {
  const was = typesOf(before);
  const now = typesOf(after);
  if (was.length > 0 && now.length > 0 && was.some((t) => !now.includes(t)))
    problems.push(`${where}: type ${was.join('|')} became ${now.join('|')}`);
  for (const bound of ['maximum', 'maxLength', 'maxItems'] as const)
    if (
      typeof before[bound] === 'number' &&
      ((after[bound] as number | undefined) ?? Infinity) < before[bound]
    )
      problems.push(`${where}: ${bound} lowered from ${String(before[bound])}`);
  for (const bound of ['minimum', 'minLength', 'minItems'] as const)
    if (
      (after[bound] as number | undefined) !== undefined &&
      (after[bound] as number) > ((before[bound] as number | undefined) ?? -Infinity)
    )
      problems.push(`${where}: ${bound} raised to ${String(after[bound])}`);
  if (Array.isArray(before.enum) && Array.isArray(after.enum)) {
    const lost = (before.enum as unknown[]).filter((v) => !(after.enum as unknown[]).includes(v));
    if (lost.length) problems.push(`${where}: enum lost ${lost.map(String).join(', ')}`);
  }
}

function compareBody(
  doc: { before: Doc; after: Doc },
  where: string,
  beforeSchema: unknown,
  afterSchema: unknown,
  direction: 'request' | 'response',
  problems: string[],
  depth = 0,
): void {
  if (depth > 8) return;
  const before = resolve(doc.before, beforeSchema);
  const after = resolve(doc.after, afterSchema);
  if (direction === 'request') inputTightened(where, before, after, problems);
  else {
    const was = typesOf(before);
    const now = typesOf(after);
    // An answer may narrow (fewer types) but never change to something the client never saw.
    if (was.length > 0 && now.some((t) => !was.includes(t)))
      problems.push(`${where}: type ${was.join('|')} became ${now.join('|')}`);
  }
  const beforeProps = isObject(before.properties) ? before.properties : {};
  const afterProps = isObject(after.properties) ? after.properties : {};
  const beforeRequired = new Set((before.required as string[] | undefined) ?? []);
  const afterRequired = new Set((after.required as string[] | undefined) ?? []);
  for (const [name, schema] of Object.entries(beforeProps)) {
    if (!(name in afterProps)) {
      problems.push(`${where}.${name}: removed`);
      continue;
    }
    if (direction === 'response' && beforeRequired.has(name) && !afterRequired.has(name))
      problems.push(`${where}.${name}: no longer always present`);
    compareBody(doc, `${where}.${name}`, schema, afterProps[name], direction, problems, depth + 1);
  }
  if (direction === 'request')
    for (const name of afterRequired)
      if (!beforeRequired.has(name)) problems.push(`${where}.${name}: newly required`);
  if (before.items !== undefined && after.items !== undefined)
    compareBody(doc, `${where}[]`, before.items, after.items, direction, problems, depth + 1);
}

const major = (doc: Doc) => Number((doc.info?.version ?? '0').split('.')[0]);

/**
 * The promises of `published` that `current` breaks; empty when compatible, or when `current`
 * is a new major version (which may break anything; it is published beside the old one).
 */
export function breakingChanges(published: Doc, current: Doc): string[] {
  if (major(current) > major(published)) return [];
  const problems: string[] = [];
  const doc = { before: published, after: current };
  for (const [path, item] of Object.entries(published.paths ?? {})) {
    const now = current.paths?.[path];
    for (const verb of VERBS) {
      const op = item[verb];
      if (!isObject(op)) continue;
      const where = `${verb.toUpperCase()} ${path}`;
      const next = isObject(now) ? now[verb] : undefined;
      if (!isObject(next)) {
        problems.push(`${where}: operation removed`);
        continue;
      }
      const params = (list: unknown) =>
        new Map(
          ((list as Json[] | undefined) ?? []).map((p) => [`${String(p.in)}:${String(p.name)}`, p]),
        );
      const beforeParams = params(op.parameters);
      const afterParams = params(next.parameters);
      for (const [key, p] of beforeParams) {
        const q = afterParams.get(key);
        if (!q) problems.push(`${where} ${key}: parameter removed`);
        else {
          if (!p.required && q.required) problems.push(`${where} ${key}: newly required`);
          inputTightened(
            `${where} ${key}`,
            resolve(published, p.schema),
            resolve(current, q.schema),
            problems,
          );
        }
      }
      for (const [key, q] of afterParams)
        if (!beforeParams.has(key) && q.required)
          problems.push(`${where} ${key}: new required parameter`);
      const body = (o: Json, d: Doc) =>
        resolve(d, (o.requestBody as Json | undefined)?.content)['application/json'] as
          Json | undefined;
      const beforeBody = body(op, published);
      const afterBody = body(next, current);
      if (beforeBody && afterBody)
        compareBody(doc, `${where} body`, beforeBody.schema, afterBody.schema, 'request', problems);
      const beforeResponses = (op.responses as Json | undefined) ?? {};
      const afterResponses = (next.responses as Json | undefined) ?? {};
      for (const [status, response] of Object.entries(beforeResponses)) {
        if (Number(status) >= 300) continue;
        const r = afterResponses[status];
        if (!isObject(r)) {
          problems.push(`${where} ${status}: response removed`);
          continue;
        }
        const was = (response as Json).content as Json | undefined;
        const is = r.content as Json | undefined;
        for (const [type, media] of Object.entries(was ?? {})) {
          const then = is?.[type];
          if (!isObject(then)) problems.push(`${where} ${status} ${type}: no longer served`);
          else
            compareBody(
              doc,
              `${where} ${status}`,
              (media as Json).schema,
              then.schema,
              'response',
              problems,
            );
        }
      }
    }
  }
  return problems;
}
