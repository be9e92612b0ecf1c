import { CreateImage, GetImage, UploadImage, systemClock } from '@imagery/domain';
import { PlatformAdapters } from '@imagery/aws-adapters';
import { SharpImageFilter } from '@imagery/image-filter';
import {
  ADVERSARY,
  Adversary,
  PLATFORM_ADAPTERS,
  PlatformOptions,
  USE_CASE_PORTS,
  UseCasePorts,
  adversaryProviders,
  platformProviders,
} from '@imagery/nest-platform';
import { Provider } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from './config/api-config';
import { ImagePresenter } from './images/image-presenter';
import { PresignedUrlCache } from './images/presigned-url-cache';
import { UploadSlots } from './uploads/upload-slots';

/** Wires ports to adapters and use cases to ports; the only place the API knows which is which. */
export function apiProviders(config: ApiConfig, options: PlatformOptions): Provider[] {
  return [
    { provide: API_CONFIG, useValue: config },
    ...platformProviders(config, 'api', options),
    // The real build unless chaos mode asks for an adversary (libs/adversaries, loaded only then).
    ...adversaryProviders(config, () => new SharpImageFilter({ maxInputPixels: config.MAX_INPUT_PIXELS })),
    {
      provide: CreateImage,
      inject: [USE_CASE_PORTS, ADVERSARY],
      useFactory: (p: UseCasePorts, adversary: Adversary) => adversary.createImage?.(p) ?? new CreateImage(p.table, p.clock),
    },
    { provide: GetImage, inject: [PLATFORM_ADAPTERS], useFactory: (a: PlatformAdapters) => new GetImage(a.table) },
    {
      provide: UploadImage,
      inject: [USE_CASE_PORTS, ADVERSARY],
      useFactory: (p: UseCasePorts, adversary: Adversary) =>
        adversary.uploadImage?.(p) ?? new UploadImage(p.table, p.store, p.queue, p.filter, p.clock),
    },
    { provide: UploadSlots, useValue: new UploadSlots(config.MAX_UPLOADS_IN_FLIGHT) },
    {
      provide: ImagePresenter,
      inject: [PLATFORM_ADAPTERS],
      useFactory: (a: PlatformAdapters) => new ImagePresenter(new PresignedUrlCache(a.store, config.PRESIGN_TTL_SECONDS, systemClock)),
    },
  ];
}
