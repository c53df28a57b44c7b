// Two real nodes, Viet Nam and France, seeded with the demo accounts and linked over federation,
// and a browser to drive their desks: what the browser tests of traffic between two States start with.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import { linkNodes, type NetNode, startNetNode } from '../federation/federation-network.ts';
import { launchBrowser } from './browser.ts';

export type TwoDesks = { vn: NetNode; fr: NetNode; browser: Browser; close: () => Promise<void> };

export async function twoDesks(): Promise<TwoDesks> {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  const [vn, fr] = await Promise.all([
    startNetNode({ state: 'VN', seed: true }),
    startNetNode({ state: 'FR', seed: true }),
  ]);
  await linkNodes([vn, fr]);
  const browser = await launchBrowser();
  return {
    vn,
    fr,
    browser,
    close: async () => {
      await browser.close();
      await vn.destroy();
      await fr.destroy();
    },
  };
}
