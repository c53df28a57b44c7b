import { createRequire } from 'node:module';

/**
 * A dependency loaded at its first use rather than with the module that names it: `load()` requires
 * it (synchronously, so a synchronous caller stays one) the first time and returns the same module
 * after. For libraries a start does not need (phone metadata, the public suffix list, otplib).
 */
export function lazyModule<T>(specifier: string, from: string): () => T {
  const requireModule = createRequire(from);
  let loaded: T | undefined;
  return () => {
    loaded ??= requireModule(specifier) as T;
    return loaded;
  };
}
