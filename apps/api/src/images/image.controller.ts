import { CreateImage, GetImage, UploadImage, assertImageId } from '@imagery/domain';
import { Controller, Get, Inject, Logger, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { API_CONFIG, ApiConfig } from '../config/api-config';
import { spoolMultipartFile } from '../uploads/spool-multipart';
import { ImagePresenter } from './image-presenter';
import { ErrorBody, ImageView } from './image-view';

@ApiTags('images')
@ApiResponse({ status: 400, type: ErrorBody, description: 'Malformed id or request' })
@Controller('image')
export class ImageController {
  private readonly logger = new Logger(ImageController.name);

  constructor(
    private readonly createImage: CreateImage,
    private readonly getImage: GetImage,
    private readonly uploadImage: UploadImage,
    private readonly presenter: ImagePresenter,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an image process with a server-chosen id (works with an empty body)' })
  @ApiResponse({ status: 201, type: ImageView })
  @ApiResponse({ status: 303, description: 'HTML form posts are redirected to the upload form of the new image' })
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
  async createWithClientId(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ImageView> {
    const { image, created } = await this.createImage.execute(id);
    res.status(created ? 201 : 200);
    return this.presenter.view(image);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an image process' })
  @ApiResponse({ status: 200, type: ImageView })
  @ApiResponse({ status: 404, type: ErrorBody })
  async get(@Param('id') id: string): Promise<ImageView> {
    return this.presenter.view(await this.getImage.execute(id));
  }

  @Post(':id/upload')
  @ApiOperation({ summary: 'Upload the image (multipart field "file"); a retry with the same id is safe' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 200, type: ImageView, description: 'Stored and queued (JSON clients)' })
  @ApiResponse({ status: 303, description: 'HTML form posts are redirected to the page view of the image' })
  @ApiResponse({ status: 409, type: ErrorBody, description: 'The image is already processed' })
  @ApiResponse({ status: 413, type: ErrorBody })
  @ApiResponse({ status: 415, type: ErrorBody, description: 'Not an image' })
  @ApiResponse({ status: 422, type: ErrorBody, description: 'Corrupt, truncated, or too many pixels' })
  async upload(@Param('id') rawId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = assertImageId(rawId); // before reading a byte of the body
    const file = await spoolMultipartFile(req, { fieldName: 'file', maxBytes: this.config.MAX_UPLOAD_BYTES, dir: this.config.UPLOAD_SPOOL_DIR });
    try {
      const result = await this.uploadImage.execute(id, file);
      if (!result.enqueued) {
        this.logger.warn(`image ${id} stored but not enqueued; the repair sweep will: ${String(result.enqueueError)}`);
      }
      if (req.accepts(['json', 'html']) === 'html') return res.redirect(303, `/#view=${id}`);
      res.status(200).json(await this.presenter.view(result.image));
    } finally {
      await file.discard();
    }
  }
}
