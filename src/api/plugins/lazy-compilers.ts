// Fastify compiles every route's validator (Ajv) and response serializer (fast-json-stringify) while
// the node starts; profiled, that was the largest share of a restart's CPU. These builders keep
// Fastify's own compilers and options but compile each schema on the first request that needs it,
// once, so a restart pays only for the routes the first callers use.
import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Compile<F> = (definition: unknown) => F;
type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;

/** A validator that compiles on its first call; Fastify reads `errors` from it after a failed call. */
function lazyValidator(compile: Compile<Validate>, definition: unknown): Validate {
  let compiled: Validate | null = null;
  const validate: Validate = (data) => {
    compiled ??= compile(definition);
    const result = compiled(data);
    validate.errors = compiled.errors;
    return result;
  };
  return validate;
}

function lazySerializer(compile: Compile<Serialize>, definition: unknown): Serialize {
  let compiled: Serialize | null = null;
  return (data) => {
    compiled ??= compile(definition);
    return compiled(data);
  };
}

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type Builder<F> = (externalSchemas: unknown, options: unknown) => Compile<F>;

/** Fastify's `schemaController.compilersFactory` with both compilers made lazy. */
export function lazyCompilersFactory(): CompilersFactory {
  const validators = (AjvCompiler as unknown as () => Builder<Validate>)();
  const serializers = (SerializerSelector as unknown as () => Builder<Serialize>)();
  // Fastify types the compiled functions as Ajv's own; these wrappers behave as those do for Fastify.
  return {
    buildValidator: (externalSchemas: unknown, options: unknown) => {
      const compile = validators(externalSchemas, options);
      return (definition: unknown) => lazyValidator(compile, definition);
    },
    buildSerializer: (externalSchemas: unknown, options: unknown) => {
      const compile = serializers(externalSchemas, options);
      return (definition: unknown) => lazySerializer(compile, definition);
    },
  } as unknown as CompilersFactory;
}
