/** Injection token of the app's PlatformAdapters (its own file: controllers and providers both import it). */
export const PLATFORM_ADAPTERS = Symbol('PLATFORM_ADAPTERS');
