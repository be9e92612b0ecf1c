import { CreateImage, GetImage, UploadImage, systemClock } from '@imagery/domain';
import { PlatformAdapters } from '@imagery/aws-adapters';
import { SharpImageFilter } from '@imagery/image-filter';
import { PLATFORM_ADAPTERS, PlatformOptions, ShutdownState, platformProviders } from '@imagery/nest-platform';
import { Provider } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from './config/api-config';
import { ImagePresenter } from './images/image-presenter';

/** Wires ports to adapters and use cases to ports; the only place the API knows which is which. */
export function apiProviders(config: ApiConfig, options: PlatformOptions): Provider[] {
  return [
    { provide: API_CONFIG, useValue: config },
    ...platformProviders(config, 'api', options),
    { provide: ShutdownState, useFactory: () => new ShutdownState(config.DRAIN_DELAY_MS) },
    { provide: CreateImage, inject: [PLATFORM_ADAPTERS], useFactory: (a: PlatformAdapters) => new CreateImage(a.table, systemClock) },
    { provide: GetImage, inject: [PLATFORM_ADAPTERS], useFactory: (a: PlatformAdapters) => new GetImage(a.table) },
    {
      provide: UploadImage,
      inject: [PLATFORM_ADAPTERS],
      useFactory: (a: PlatformAdapters) =>
        new UploadImage(a.table, a.store, a.queue, new SharpImageFilter({ maxInputPixels: config.MAX_INPUT_PIXELS }), systemClock),
    },
    { provide: ImagePresenter, inject: [PLATFORM_ADAPTERS], useFactory: (a: PlatformAdapters) => new ImagePresenter(a.store, config.PRESIGN_TTL_SECONDS) },
  ];
}
