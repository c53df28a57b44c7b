// Which list a request or alert belongs in: real work and each exercise are kept apart on screen as
// the node keeps them apart in its lists. The node already leaves exercise material out of the real
// lists; the desk checks again for what arrives by the live stream, which carries both.

type Scoped = { exerciseId?: string | null };

/** The exercise a request or alert belongs to, or null for real work. */
export function exerciseOf(x: Scoped | null | undefined): string | null {
  return x?.exerciseId ? x.exerciseId : null;
}

/** True when the item belongs in a list of this exercise (`null`: the real lists). */
export function belongsIn(x: Scoped, exerciseId: string | null): boolean {
  return exerciseOf(x) === exerciseId;
}
