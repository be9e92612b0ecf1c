import { PoisonMessageError } from '@imagery/domain';
import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ImageMessageHandler } from '../consumer/image-message.handler';

/**
 * The Elastic Beanstalk worker-tier contract: the daemon POSTs each message body here and
 * deletes the message on 2xx; anything else makes it retry, and then dead-letter it.
 */
@ApiTags('worker')
@Controller()
export class SqsPushController {
  constructor(private readonly handler: ImageMessageHandler) {}

  @Post('sqs')
  @HttpCode(200)
  @ApiOperation({ summary: 'Process one queue message (Elastic Beanstalk worker tier push)' })
  async push(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const outcome = await this.handler.handle(
        typeof req.body === 'string' ? req.body : '',
        String(req.headers['x-aws-sqsd-msgid'] ?? ''),
        Number(req.headers['x-aws-sqsd-receive-count'] ?? NaN),
      );
      res.status(200).json({ outcome });
    } catch (err) {
      const poison = err instanceof PoisonMessageError;
      res
        .status(poison ? 400 : 503)
        .json({ statusCode: poison ? 400 : 503, error: poison ? 'poison_message' : 'retry_later', message: (err as Error).message });
    }
  }
}
