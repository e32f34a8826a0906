// Building blocks shared by the REST API contracts: pagination and path parameters.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Slug } from './common.js';

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
}, { additionalProperties: false });
export type PageQuery = Static<typeof PageQuery>;

/** Every list answers with a page: `nextOffset` is present when more items follow. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), nextOffset: Type.Optional(Type.Integer()) });
export interface PageOf<T> { items: T[]; total: number; nextOffset?: number }

export function paginate<T>(all: readonly T[], q: PageQuery): PageOf<T> {
  const limit = q.limit ?? 100;
  const offset = q.offset ?? 0;
  const items = all.slice(offset, offset + limit);
  return { items, total: all.length, ...(offset + limit < all.length ? { nextOffset: offset + limit } : {}) };
}

export const IdParams = Type.Object({ id: Slug });
export type IdParams = Static<typeof IdParams>;

/** Answer of writes that return nothing else. */
export const Ok = Type.Object({ ok: Type.Literal(true) });
