import { Readable } from 'node:stream';

/** An upload spooled to local disk, so it can be checked in full before anything is stored. */
export interface StagedUpload {
  readonly path: string;
  readonly size: number;
  /** Hex SHA-256 of the bytes, computed while spooling; names the raw object. */
  readonly sha256: string;
  /** A fresh stream of the bytes, from the start. */
  open(): Readable;
}

export interface ImageInfo {
  readonly format: string;
  readonly width: number;
  readonly height: number;
}

export interface ImageFilter {
  /**
   * Decodes the whole image (so truncation is caught) under a pixel limit (so decompression
   * bombs are refused); rejects with InvalidImageError, never trusting a declared content type.
   */
  inspect(upload: StagedUpload): Promise<ImageInfo>;
  /** A JPEG sepia rendering, streamed; decode failures surface as InvalidImageError on the stream. */
  sepia(input: Readable): Readable;
}
