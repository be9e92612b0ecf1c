/*
 * The Imagery page: create an image process, upload a file, watch it turn sepia.
 * Plain browser JavaScript, no build step. The upload form is a real form post that works
 * without this file; this file fills in its action, sends it with progress, and shows errors
 * inline. `#view=<id>` in the address shows (and polls) an image's state.
 */
(function () {
  'use strict';

  var STEPS = ['created', 'uploaded', 'processed'];
  var TERMINAL = { processed: true, failed: true };
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var POLL_FIRST_MS = 500;
  var POLL_MAX_MS = 5000;
  var STATUS_TEXT = {
    created: 'Created. Waiting for an upload.',
    uploaded: 'Uploaded. A worker is turning it sepia…',
    processed: 'Processed. Here is the sepia image.',
    failed: 'Failed. The image could not be processed.',
  };

  var el = function (id) {
    return document.getElementById(id);
  };
  var ui = {
    createButton: el('create-button'),
    createMessage: el('create-message'),
    uploadTarget: el('upload-target'),
    uploadForm: el('upload-form'),
    uploadFields: el('upload-fields'),
    fileInput: el('file-input'),
    uploadButton: el('upload-button'),
    progress: el('upload-progress'),
    uploadMessage: el('upload-message'),
    uploadError: el('upload-error'),
    view: el('view'),
    openDetails: el('open-details'),
    openForm: el('open-form'),
    openId: el('open-id'),
    openError: el('open-error'),
    viewBody: el('view-body'),
    viewId: el('view-id'),
    steps: el('steps'),
    lastStepLabel: el('last-step-label'),
    status: el('status'),
    failure: el('failure'),
    result: el('result'),
    image: el('processed-image'),
    imageLink: el('processed-link'),
    metaState: el('meta-state'),
    metaVersion: el('meta-version'),
    metaUpdated: el('meta-updated'),
  };

  var current = null; // { id, generation, wake, item, imageRetried }
  var generation = 0;
  var uploading = null;
  var createdId = null; // the id the create message is about

  document.documentElement.classList.add('js');

  // ---- small helpers -------------------------------------------------------------------------

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text; // unchanged text is not re-announced
  }

  /** The message of a JSON error `{statusCode, error, message}`, or a fallback. */
  function errorMessage(body, status) {
    if (body && typeof body.message === 'string' && body.message) return body.message;
    if (body && Array.isArray(body.message)) return body.message.join('; ');
    return 'The server answered ' + status + '.';
  }

  function parseJson(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  }

  async function getJson(url, init) {
    var res = await fetch(url, Object.assign({ headers: { accept: 'application/json' }, cache: 'no-store' }, init));
    var body = parseJson(await res.text());
    var retryAfter = Number(res.headers.get('retry-after'));
    return { ok: res.ok, status: res.status, body: body, retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : 0 };
  }

  function idFromLocation() {
    var match = /(?:^|[#&])view=([^&]+)/.exec(location.hash) || /[?&]view=([^&]+)/.exec(location.search);
    return match ? decodeURIComponent(match[1]).trim() : null;
  }

  // ---- 1. create -----------------------------------------------------------------------------

  ui.createButton.addEventListener('click', async function () {
    ui.createButton.disabled = true;
    setText(ui.createMessage, 'Creating…');
    ui.createMessage.classList.remove('error');
    try {
      var res = await getJson('/image', { method: 'POST' });
      if (!res.ok || !res.body || !res.body.id) throw new Error(errorMessage(res.body, res.status));
      createdId = res.body.id;
      ui.createMessage.innerHTML = '';
      ui.createMessage.append('Created image process ', code(res.body.id), '.');
      show(res.body.id, res.body);
      location.hash = 'view=' + res.body.id; // shareable; the hashchange finds it already shown
      ui.fileInput.focus();
    } catch (error) {
      ui.createMessage.classList.add('error');
      setText(ui.createMessage, 'Could not create an image process: ' + error.message);
    } finally {
      ui.createButton.disabled = false;
    }
  });

  function code(text) {
    var node = document.createElement('code');
    node.textContent = text;
    return node;
  }

  // ---- 2. upload -----------------------------------------------------------------------------

  function setUploadTarget(id) {
    if (id) {
      ui.uploadForm.action = '/image/' + encodeURIComponent(id) + '/upload';
      ui.uploadTarget.innerHTML = '';
      ui.uploadTarget.append('Uploading to image ', code(id), '.');
    } else {
      ui.uploadForm.removeAttribute('action');
      setText(ui.uploadTarget, 'Create a process first, or open one by its id.');
    }
    syncUploadEnabled();
  }

  function syncUploadEnabled() {
    var state = current && current.item ? current.item.state : null;
    var closed = !!(state && TERMINAL[state]);
    ui.uploadFields.disabled = !current || !!uploading || closed;
    if (closed) setText(ui.uploadTarget, 'This image is ' + state + '; create a new process to upload another picture.');
  }

  function clearUploadMessages() {
    setText(ui.uploadMessage, '');
    setText(ui.uploadError, '');
  }

  ui.uploadForm.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!current || uploading) return;
    clearUploadMessages();
    var file = ui.fileInput.files && ui.fileInput.files[0];
    if (!file) {
      setText(ui.uploadError, 'Choose an image file first.');
      return;
    }
    var target = current;
    var formData = new FormData(ui.uploadForm); // before the fields are disabled: disabled fields are not sent
    var xhr = new XMLHttpRequest();
    uploading = xhr;
    syncUploadEnabled();
    ui.progress.hidden = false;
    ui.progress.removeAttribute('value'); // indeterminate until the first progress event
    setText(ui.uploadMessage, 'Uploading ' + file.name + '…');

    xhr.open('POST', ui.uploadForm.action);
    xhr.setRequestHeader('Accept', 'application/json'); // JSON back instead of the 303 for form posts
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) ui.progress.value = e.loaded / e.total;
    });
    xhr.addEventListener('load', function () {
      var body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && body && body.id) {
        setText(ui.uploadMessage, 'Uploaded ' + file.name + '.');
        ui.uploadForm.reset();
        if (target === current) {
          render(body);
          current.wake(true);
        }
      } else {
        setText(ui.uploadMessage, '');
        setText(ui.uploadError, 'Upload failed: ' + errorMessage(body, xhr.status));
      }
    });
    xhr.addEventListener('error', function () {
      setText(ui.uploadMessage, '');
      setText(
        ui.uploadError,
        'Upload failed: the connection was interrupted (is the file too large, or the server unreachable?). Try again.',
      );
    });
    xhr.addEventListener('loadend', function () {
      uploading = null;
      ui.progress.hidden = true;
      syncUploadEnabled();
    });
    xhr.send(formData);
  });

  // ---- 3. view -------------------------------------------------------------------------------

  ui.openForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var id = ui.openId.value.trim().toLowerCase();
    if (!UUID.test(id)) {
      setText(ui.openError, 'That is not an image id: ids look like 3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b7c35.');
      return;
    }
    setText(ui.openError, '');
    ui.openId.value = '';
    location.hash = 'view=' + id;
  });

  function show(id, initialItem) {
    id = id.toLowerCase();
    if (current && current.id === id) return;
    if (current) current.stop();
    clearUploadMessages();
    if (id !== createdId) clearCreateMessage();
    setText(ui.failure, '');
    ui.result.hidden = true;
    ui.image.removeAttribute('src');
    ui.viewBody.hidden = false;
    ui.openDetails.open = false;
    setText(ui.viewId, id);
    ui.view.dataset.state = 'loading';
    setText(ui.status, 'Loading…');
    renderSteps(null);
    current = watch(id);
    setUploadTarget(id);
    if (initialItem) render(initialItem);
  }

  function clearCreateMessage() {
    createdId = null;
    ui.createMessage.classList.remove('error');
    setText(ui.createMessage, '');
  }

  function reset() {
    if (current) current.stop();
    current = null;
    clearUploadMessages();
    clearCreateMessage();
    ui.viewBody.hidden = true;
    ui.openDetails.open = true;
    ui.view.dataset.state = 'none';
    setUploadTarget(null);
  }

  /** No such image (or a malformed id): said once, and nothing to upload to. */
  function showMissing(res) {
    ui.view.dataset.state = 'missing';
    setText(ui.status, '');
    setText(ui.failure, errorMessage(res.body, res.status));
    renderSteps(null);
    ui.uploadFields.disabled = true;
  }

  /** Polls GET /image/:id: quickly after a change, backing off while nothing changes; stops at a final state. */
  function watch(id) {
    var mine = ++generation;
    var timer = null;
    var wakeUp = null;
    var delay = POLL_FIRST_MS;
    var handle = {
      id: id,
      item: null,
      imageRetried: false,
      stop: function () {
        generation++;
        if (wakeUp) wakeUp();
      },
      wake: function (resetDelay) {
        if (resetDelay) delay = POLL_FIRST_MS;
        if (wakeUp) wakeUp();
      },
    };
    var live = function () {
      return mine === generation;
    };
    var sleep = function (ms) {
      return new Promise(function (resolve) {
        wakeUp = function () {
          clearTimeout(timer);
          wakeUp = null;
          resolve();
        };
        timer = setTimeout(wakeUp, ms);
      });
    };

    (async function loop() {
      var lastKey = '';
      while (live()) {
        try {
          var res = await getJson('/image/' + encodeURIComponent(id));
          if (!live()) return;
          if (res.status === 404 || res.status === 400) return showMissing(res);
          if (!res.ok || !res.body) throw new Error(errorMessage(res.body, res.status));
          render(res.body);
          if (TERMINAL[res.body.state]) return;
          var key = res.body.state + '@' + res.body.version;
          delay = key === lastKey ? Math.min(delay * 1.5, POLL_MAX_MS) : POLL_FIRST_MS;
          lastKey = key;
          // the server paces the reads of an image that waits in a backlog (Retry-After)
          delay = Math.max(delay, res.retryAfterMs);
        } catch (error) {
          if (!live()) return;
          setText(ui.status, 'Cannot reach the server (' + error.message + '); retrying…');
          delay = Math.min(delay * 2, POLL_MAX_MS);
        }
        await sleep(delay);
      }
    })();
    return handle;
  }

  function render(item) {
    if (!current || item.id !== current.id) return;
    // never show an older version than one already shown (responses can arrive out of order)
    if (current.item && item.version < current.item.version) return;
    current.item = item;
    ui.view.dataset.state = item.state;
    renderSteps(item);
    setText(ui.status, STATUS_TEXT[item.state] || item.state);
    setText(ui.failure, item.state === 'failed' ? 'Reason: ' + (item.failureReason || 'not given') : '');
    setText(ui.metaState, item.state);
    setText(ui.metaVersion, String(item.version));
    ui.metaUpdated.dateTime = item.updatedAt;
    setText(ui.metaUpdated, new Date(item.updatedAt).toLocaleString());
    if (item.state === 'processed' && item.processedImage) showImage(item);
    syncUploadEnabled();
  }

  function renderSteps(item) {
    var state = item ? item.state : null;
    var failed = state === 'failed';
    var reached = failed ? (item.rawS3Key ? 1 : 0) : STEPS.indexOf(state);
    Array.prototype.forEach.call(ui.steps.children, function (li, index) {
      var done = index <= reached;
      var isCurrent = failed ? index === STEPS.length - 1 : index === reached;
      li.classList.toggle('done', done);
      li.classList.toggle('failed', failed && index === STEPS.length - 1);
      if (isCurrent) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    setText(ui.lastStepLabel, failed ? 'Failed' : 'Processed');
  }

  function showImage(item) {
    if (ui.image.getAttribute('src') !== item.processedImage) {
      ui.image.alt = 'The sepia rendering of image ' + item.id;
      ui.image.src = item.processedImage;
      ui.imageLink.href = item.processedImage;
    }
    ui.result.hidden = false;
  }

  // A presigned URL expires: if the image cannot be loaded, ask once for a fresh one.
  ui.image.addEventListener('error', async function () {
    var target = current;
    if (!target || target.imageRetried || !ui.image.getAttribute('src')) return;
    target.imageRetried = true;
    try {
      var res = await getJson('/image/' + encodeURIComponent(target.id));
      if (target === current && res.ok && res.body && res.body.processedImage) showImage(res.body);
    } catch {
      /* the broken image stays; the link below it still says what to try */
    }
  });

  // ---- routing -------------------------------------------------------------------------------

  function route() {
    var id = idFromLocation();
    if (!id) return reset();
    if (!UUID.test(id)) {
      reset();
      setText(ui.openError, 'The address names "' + id + '", which is not an image id.');
      return;
    }
    setText(ui.openError, '');
    show(id);
  }

  window.addEventListener('hashchange', route);
  route();
})();
