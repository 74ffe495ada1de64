// What the public outputs need to know about channels and programmes, independent of how
// playout stores them (its engine is adapted to these in outputs-feature).

export type OutputChannel = {
  id: number;
  slug: string;
  name: string;
  number: number;
  group: string | null;
  /** An http(s) URL of the logo, or null. */
  logoUrl: string | null;
  enabled: boolean;
};

export type OutputProgramme = {
  title: string;
  startsAt: number;
  endsAt: number;
  kind: 'programme' | 'slate';
  category: string | null;
};
