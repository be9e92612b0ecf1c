import { CreateImage, GetImage, UploadImage, systemClock } from '@imagery/domain';
import { PlatformAdapters } from '@imagery/aws-adapters';
import { SharpImageFilter } from '@imagery/image-filter';
import { NaiveUploadImage, naiveTable } from '@imagery/naive-build';
import { PLATFORM_ADAPTERS, PlatformOptions, platformProviders } from '@imagery/nest-platform';
import { Provider } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from './config/api-config';
import { ImagePresenter } from './images/image-presenter';
import { UploadSlots } from './uploads/upload-slots';

/** Wires ports to adapters and use cases to ports; the only place the API knows which is which. */
export function apiProviders(config: ApiConfig, options: PlatformOptions): Provider[] {
  const tableOf = (a: PlatformAdapters) => (config.NAIVE_BUILD ? naiveTable(a, config) : a.table);
  return [
    { provide: API_CONFIG, useValue: config },
    ...platformProviders(config, 'api', options),
    { provide: CreateImage, inject: [PLATFORM_ADAPTERS], useFactory: (a: PlatformAdapters) => new CreateImage(tableOf(a), systemClock) },
    { provide: GetImage, inject: [PLATFORM_ADAPTERS], useFactory: (a: PlatformAdapters) => new GetImage(a.table) },
    {
      provide: UploadImage,
      inject: [PLATFORM_ADAPTERS],
      useFactory: (a: PlatformAdapters) => {
        const filter = new SharpImageFilter({ maxInputPixels: config.MAX_INPUT_PIXELS });
        return config.NAIVE_BUILD
          ? (new NaiveUploadImage(tableOf(a), a.store, a.queue, filter) as unknown as UploadImage)
          : new UploadImage(a.table, a.store, a.queue, filter, systemClock);
      },
    },
    { provide: UploadSlots, useValue: new UploadSlots(config.MAX_UPLOADS_IN_FLIGHT) },
    { provide: ImagePresenter, inject: [PLATFORM_ADAPTERS], useFactory: (a: PlatformAdapters) => new ImagePresenter(a.store, config.PRESIGN_TTL_SECONDS) },
  ];
}
