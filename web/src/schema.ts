// The data model from GET /api/v1/schema, fetched once per session: the forms, tables and
// inline checks are all drawn from it, so a field added on the server appears here.
import { get } from "./api";
import type { KindSpec, Schema } from "./model";

let cached: Promise<Schema> | null = null;

export function schema(): Promise<Schema> {
  if (!cached) cached = get<Schema>("/schema").catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}

export async function kindSpec(kind: string): Promise<KindSpec> {
  const s = await schema();
  const spec = s.kinds.find((k) => k.name === kind);
  if (!spec) throw new Error(`unknown record kind '${kind}'`);
  return spec;
}
