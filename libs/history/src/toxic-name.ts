/**
 * The name a FIS action gives the toxics it adds (`fis_<experiment>_<action>`): the action writes
 * it, the nemesis records it and the checker looks for it, so the three agree by construction.
 */
export const toxicName = (source: string) => `fis_${source.replace(/[^\w-]/g, '_')}`;
