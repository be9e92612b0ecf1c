import { GetImage } from '@imagery/domain';
import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The upload form of one image, rendered by the server: what a browser without JavaScript gets
 * after creating a process (the static page cannot put an id into a form's action by itself).
 */
@ApiExcludeController()
@Controller('image')
export class UploadFormController {
  constructor(private readonly getImage: GetImage) {}

  @Get(':id/upload')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async form(@Param('id') rawId: string): Promise<string> {
    const image = await this.getImage.execute(rawId);
    const id = escape(image.id);
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Upload an image · Imagery</title><link rel="stylesheet" href="/style.css"></head>
<body><header><h1>Imagery</h1><p>Upload a picture and a worker turns it sepia.</p></header>
<main><section class="card"><h2>Upload an image</h2>
<p>Image process <code>${id}</code> is <strong>${escape(image.state)}</strong>.</p>
<form method="post" action="/image/${id}/upload" enctype="multipart/form-data">
<label for="file">Image file <small>(JPEG, PNG or WebP)</small></label>
<input id="file" type="file" name="file" accept="image/jpeg,image/png,image/webp" required>
<button type="submit">Upload</button></form>
<p><a href="/#view=${id}">See this image</a> · <a href="/">Start over</a></p></section></main></body></html>
`;
  }
}
