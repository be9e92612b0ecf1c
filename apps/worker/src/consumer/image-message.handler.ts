import { ProcessImage, ProcessOutcome, parseImageMessage } from '@imagery/domain';

/** One message body in, one outcome out: shared by the SQS poller and the push endpoint. */
export class ImageMessageHandler {
  constructor(private readonly processImage: ProcessImage) {}

  handle(body: string): Promise<ProcessOutcome> {
    return this.processImage.execute(parseImageMessage(body).imageId);
  }
}
