import type { DirectAws } from './direct-aws';
import { HaproxyAvailability, watchHaproxy } from './haproxy-watch';
import type { PipelineSettings } from './settings';
import type { Session } from './start-platform';

/** What every measured phase on the running platform needs. */
export interface PhaseContext {
  readonly settings: PipelineSettings;
  readonly session: Session;
  /** The platform's adapters straight to the emulator: the table is read from there. */
  readonly direct: DirectAws;
  readonly fixturesDir: string;
  /** Where each phase's history goes. */
  readonly runDir: string;
  readonly log: (line: string) => void;
}

/** Starts watching HAProxy's API servers, as many as the fleet has API slots. */
export function haproxyWatcher(context: PhaseContext): () => { stop(): Promise<HaproxyAvailability> } {
  return () => watchHaproxy(context.session.platform.controlPlane.haproxy, context.settings.apiCount);
}
