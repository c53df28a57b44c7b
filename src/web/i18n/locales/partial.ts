import type { Messages } from './en.ts';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends string ? string : DeepPartial<T[K]> };

/** A language still being translated: any key it lacks is shown in English. */
export type PartialMessages = DeepPartial<Messages>;
