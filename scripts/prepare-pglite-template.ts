// `npm install` runs this (postinstall): makes the migrated PGlite template that every new embedded
// node's folder is copied from (src/store/pglite-template.ts), so the first start after an install is
// a copy, not initdb and every migration. Nothing depends on it: without it the first node makes the
// template itself, so a failure is one line and exit 0.
import { preparePgliteTemplate } from '../src/store/database.ts';

const started = Date.now();
try {
  const template = await preparePgliteTemplate();
  console.log(
    template
      ? `Embedded database template ready (${Date.now() - started} ms): ${template}`
      : 'Embedded database template not made (its cache folder cannot be written); the first node makes it.',
  );
} catch (error) {
  console.log(`Embedded database template not made (${(error as Error).message}); the first node makes it.`);
}
