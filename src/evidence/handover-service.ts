// A package leaving the node other than by federation: exported, hand-delivered to a partner without
// a node, or handed to a court. Handing a package received from another State to a third State is an
// onward transfer: it needs the originating State's recorded consent (art. 36).
import { isIso3166Alpha2 } from '../domain/directory/iso-3166.ts';
import { ValidationError } from '../shared/errors.ts';
import type { ConsentService } from './consent-service.ts';
import type { EvidenceActor, EvidenceDeps } from './evidence-deps.ts';
import { createPackageService, type HandoverKind, recordHandover } from './package-service.ts';

export type HandoverInput = {
  kind: HandoverKind;
  recipient: string;
  toState?: string;
  /** The language of a hand-delivered archive's instructions. */
  language?: string;
  note?: string;
};

export function createHandoverService(deps: EvidenceDeps, consents: ConsentService) {
  const packages = createPackageService(deps);

  async function record(packageId: string, actor: EvidenceActor, input: HandoverInput) {
    if (input.toState !== undefined && !isIso3166Alpha2(input.toState))
      throw new ValidationError([
        { field: '/toState', message: 'must be an ISO 3166 alpha-2 code such as ES' },
      ]);
    if (input.kind === 'DELIVERY' && !input.toState)
      throw new ValidationError([
        { field: '/toState', message: 'a hand delivery names the State it is delivered to' },
      ]);
    const pkg = await packages.find(deps.database.db, packageId);
    await consents.requireOnwardConsent(pkg, input.toState, actor);
    return recordHandover(deps, packageId, actor, input);
  }

  return { record };
}

export type HandoverService = ReturnType<typeof createHandoverService>;
