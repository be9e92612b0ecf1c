import { currentRequestContext } from '@imagery/aws-adapters';
import { CreateImage, GetImage, UploadImage, assertImageId, systemClock } from '@imagery/domain';
import { Controller, Get, Inject, Logger, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { API_CONFIG, ApiConfig } from '../config/api-config';
import { spoolMultipartFile } from '../uploads/spool-multipart';
import { ImagePresenter } from './image-presenter';
import { ImageView } from './image-view';
import { pollAfterSeconds } from './poll-pacing';
import { UploadSlots } from '../uploads/upload-slots';
import { ApiErrors, ApiImageId, ApiRequestId } from './api-errors.decorator';

@ApiTags('images')
@Controller('image')
export class ImageController {
  private readonly logger = new Logger(ImageController.name);

  constructor(
    private readonly createImage: CreateImage,
    private readonly getImage: GetImage,
    private readonly uploadImage: UploadImage,
    private readonly presenter: ImagePresenter,
    private readonly uploadSlots: UploadSlots,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an image process with a server-chosen id (works with an empty body)' })
  @ApiResponse({ status: 201, type: ImageView })
  @ApiResponse({ status: 303, description: 'HTML form posts are redirected to the upload form of the new image' })
  @ApiErrors({})
  @ApiRequestId()
  async createWithServerId(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { image } = await this.createImage.execute(randomUUID());
    // The page's no-JavaScript path: a plain form post lands on a form that knows the new id.
    if (req.accepts(['json', 'html']) === 'html') return res.redirect(303, `/image/${image.id}/upload`);
    res.status(201).json(await this.presenter.view(image));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Create an image process with a client-chosen UUID; retries return the same item' })
  @ApiResponse({ status: 201, type: ImageView, description: 'Created' })
  @ApiResponse({ status: 200, type: ImageView, description: 'Already existed (a retry)' })
  @ApiErrors({ 400: ['invalid_image_id'] })
  @ApiImageId()
  @ApiRequestId()
  async createWithClientId(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ImageView> {
    setRequestImage(id);
    const { image, created } = await this.createImage.execute(id);
    res.status(created ? 201 : 200);
    return this.presenter.view(image);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an image process' })
  @ApiResponse({
    status: 200,
    type: ImageView,
    headers: {
      'Retry-After': {
        description: 'On an image still waiting for the worker: seconds to wait before reading it again (half its wait so far, at most 5)',
        schema: { type: 'integer' },
      },
    },
  })
  @ApiErrors({ 400: ['invalid_image_id'], 404: ['image_not_found'] })
  @ApiImageId()
  @ApiRequestId()
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ImageView> {
    const image = await this.getImage.execute(id);
    const pollAfter = pollAfterSeconds(image, systemClock.now());
    if (pollAfter !== undefined) res.setHeader('Retry-After', String(pollAfter));
    return this.presenter.view(image);
  }

  @Post(':id/upload')
  @ApiOperation({ summary: 'Upload the image (multipart field "file"); a retry with the same id is safe' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 200, type: ImageView, description: 'Stored and queued (JSON clients)' })
  @ApiResponse({ status: 303, description: 'HTML form posts are redirected to the page view of the image' })
  @ApiErrors({
    400: ['invalid_image_id', 'missing_file', 'malformed_multipart', 'upload_aborted'],
    404: ['image_not_found'],
    409: ['transition_not_allowed', 'already_uploaded'],
    413: ['payload_too_large'],
    415: ['not_an_image', 'unsupported_content_type'],
    422: ['undecodable', 'too_many_pixels', 'empty'],
    503: ['too_many_uploads'],
  })
  @ApiImageId()
  @ApiRequestId()
  async upload(@Param('id') rawId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = assertImageId(rawId); // before reading a byte of the body
    setRequestImage(id);
    const release = this.uploadSlots.acquire();
    res.once('close', release); // however the request ends, even if the client goes away
    const file = await spoolMultipartFile(req, {
      fieldName: 'file',
      maxBytes: this.config.MAX_UPLOAD_BYTES,
      dir: this.config.UPLOAD_SPOOL_DIR,
    });
    try {
      const result = await this.uploadImage.execute(id, file);
      if (!result.enqueued) {
        this.logger.warn(`image ${id} stored but not enqueued; the repair sweep will: ${String(result.enqueueError)}`);
      }
      if (req.accepts(['json', 'html']) === 'html') return res.redirect(303, `/#view=${id}`);
      res.status(200).json(await this.presenter.view(result.image));
    } finally {
      await file.discard();
      release();
    }
  }
}

/** Names the image in the request context, for the logs of what follows. */
function setRequestImage(id: string): void {
  const context = currentRequestContext();
  if (context) context.imageId = id;
}
