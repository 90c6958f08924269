/**
 * Route schemas compiled on first use instead of at start-up.
 *
 * Fastify compiles every route's validators (ajv) and response serializers
 * (fast-json-stringify) while it gets ready: ~300 ms of CPU on this machine
 * for the public and admin apps, about four times that on a Raspberry Pi,
 * all before the locker may report ready. A resident's request uses two or
 * three of them, so each is now compiled when its route is first asked
 * (a few ms, once). The compilers are fastify's own defaults
 * (@fastify/ajv-compiler, @fastify/fast-json-stringify-compiler, resolved
 * from fastify's folder so they are the versions it was tested with); only
 * the moment they run changes. `compileAllSchemas(app)` compiles every
 * pending one now: the tests call it so a broken schema still fails a test.
 * Fastify counts compilers given this way as custom ones, which only means it
 * does not lower-case the keys of a `headers` schema: write header names in
 * lower case (no route validates headers today).
 */
import { createRequire } from "node:module";
import type { FastifyInstance, FastifyServerOptions } from "fastify";

type Route = Record<string, unknown> & { schema: unknown };
type Validate = ((data: unknown, ctx?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Serialize = (data: unknown) => string;
type BuildValidator = (external: unknown, options: unknown) => (route: Route) => Validate;
type BuildSerializer = (external: unknown, options: unknown) => (route: Route) => Serialize;

const fastifyRequire = createRequire(createRequire(import.meta.url).resolve("fastify"));
let defaults: { validators: BuildValidator; serializers: BuildSerializer } | undefined;
function defaultBuilders(): NonNullable<typeof defaults> {
  defaults ??= {
    validators: (fastifyRequire("@fastify/ajv-compiler") as () => BuildValidator)(),
    serializers: (fastifyRequire("@fastify/fast-json-stringify-compiler") as () => BuildSerializer)(),
  };
  return defaults;
}

/** The pending compilations of each app, for `compileAllSchemas`. */
const pendingOf = new WeakMap<object, Set<() => void>>();

/** `build` run once, on the first call; listed in `pending` until then (for `compileAllSchemas`). */
function onFirstUse<T>(pending: Set<() => void>, build: () => T): () => T {
  let built: { value: T } | undefined;
  const get = (): T => {
    if (!built) {
      built = { value: build() };
      pending.delete(get);
    }
    return built.value;
  };
  pending.add(get);
  return get;
}

/** Fastify's `schemaController` option: its default compilers, each run on first use. */
export function lazySchemaController(): { schemaController: NonNullable<FastifyServerOptions["schemaController"]>; pending: Set<() => void> } {
  const pending = new Set<() => void>();
  const buildValidator = (external: unknown, options: unknown) => {
    // Building the compiler itself checks the shared schemas against ajv's meta-schema (~100 ms): deferred too.
    let compiler: ((route: Route) => Validate) | undefined;
    return (route: Route): Validate => {
      const compiled = onFirstUse(pending, () => {
        compiler ??= defaultBuilders().validators(external, options);
        return compiler(route);
      });
      const validate: Validate = (data, ctx) => {
        const f = compiled();
        const result = f(data, ctx);
        validate.errors = f.errors;
        return result;
      };
      // Fastify passes the parent object (so ajv can coerce a root value) only to functions with `schemaEnv`.
      Object.defineProperty(validate, "schemaEnv", { get: () => compiled().schemaEnv });
      return validate;
    };
  };
  const buildSerializer = (external: unknown, options: unknown) => {
    let compiler: ((route: Route) => Serialize) | undefined;
    return (route: Route): Serialize => {
      const compiled = onFirstUse(pending, () => {
        compiler ??= defaultBuilders().serializers(external, options);
        return compiler(route);
      });
      return (data) => compiled()(data);
    };
  };
  return { schemaController: { compilersFactory: { buildValidator, buildSerializer } as never }, pending };
}

/** Remember `app`'s pending compilations (call right after `Fastify(...)`). */
export function trackSchemas(app: FastifyInstance, pending: Set<() => void>): void {
  pendingOf.set(app, pending);
}

/** Compile every schema of `app`'s routes now (after `app.ready()`); throws the first compile error. */
export function compileAllSchemas(app: FastifyInstance): number {
  const pending = pendingOf.get(app);
  if (!pending) return 0;
  let n = 0;
  for (const compile of [...pending]) {
    compile();
    n++;
  }
  return n;
}
