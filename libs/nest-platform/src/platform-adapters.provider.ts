import { AwsResourcesEnv, PlatformAdapters, RequestHandlerWrapper, createPlatformAdapters } from '@imagery/aws-adapters';
import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';

export const PLATFORM_ADAPTERS = Symbol('PLATFORM_ADAPTERS');

export interface PlatformOptions {
  /** The fault-injection seam (see libs/aws-adapters). */
  readonly wrapRequestHandler?: RequestHandlerWrapper;
}

/** Closes the SDK clients' sockets after everything else has stopped. */
@Injectable()
class AdaptersLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PLATFORM_ADAPTERS) private readonly adapters: PlatformAdapters) {}
  onApplicationShutdown(): void {
    this.adapters.clients.destroy();
  }
}

export function platformAdapterProviders(env: AwsResourcesEnv, options: PlatformOptions): Provider[] {
  return [{ provide: PLATFORM_ADAPTERS, useFactory: () => createPlatformAdapters(env, options) }, AdaptersLifecycle];
}
