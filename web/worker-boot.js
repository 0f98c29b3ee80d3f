// Starts the worker's WebAssembly. The single-file build prepends worker.js and sets
// self.__smicWorkerWasm to the wasm bytes; served, both are fetched from beside this file.
// Started with the name 'fetch', it is a fetch worker instead (below).
'use strict';
// Reads a slice of a File with a byob reader of its stream into `buffer` when it is given and
// large enough, else into a new one: a slice read into a buffer used again costs no fresh pages.
// Measured in Chromium 156 on 2 cores, the 1.46 GB docker-archive moved in 1.37-1.43 s with a
// byob reader per 16 MiB slice and buffers reused, against 1.9-4.0 s with
// file.slice().arrayBuffer() (4 in flight each). Fetch workers read the archive's slices with it,
// and workers without them (web/src/worker/fetchers.rs, read_slice_reusing) their slices and chunks.
// Answers [a Uint8Array of the slice, whether it went into `buffer`].
self.__smicReadSlice = (function () {
  // A new buffer is as large as the largest slice the archive's worker asks for
  // (web/src/prefetch.rs), with room for a chunk's slightly larger ones, so that given back it
  // serves later slices; only the pages written are ever used.
  var SLICE_BYTES = 16 * 1024 * 1024;
  // The readers of slices on their way, held here: a stream only its own pending read refers to
  // can be collected, and that read then never ends (seen in Chromium 156: a check that hung).
  var reading = new Set();
  var readInto = function (blob, buffer) {
    var reader = blob.stream().getReader({ mode: 'byob' });
    reading.add(reader);
    var got = 0;
    var step = function () {
      if (got === blob.size) return reader.cancel().then(function () { return new Uint8Array(buffer, 0, got); });
      return reader.read(new Uint8Array(buffer, got, blob.size - got)).then(function (r) {
        if (r.done) return new Uint8Array(r.value ? r.value.buffer : buffer, 0, got);
        buffer = r.value.buffer;
        got += r.value.byteLength;
        return step();
      });
    };
    return step().finally(function () { reading.delete(reader); });
  };
  // A browser without byte streams for files, or a stream that failed (Chromium says only
  // "network error" for a file changed on disk): the slice is asked for whole, in a fresh buffer,
  // and a failure is then in the browser's words for files (NotReadableError: ...).
  var whole = function (blob) {
    return blob.arrayBuffer().then(function (fresh) { return [new Uint8Array(fresh), false]; });
  };
  return function (blob, buffer) {
    var given = buffer instanceof ArrayBuffer && buffer.byteLength >= blob.size;
    var into = given ? buffer : new ArrayBuffer(Math.max(SLICE_BYTES, blob.size + (blob.size >> 3)));
    try {
      return readInto(blob, into).then(function (bytes) { return [bytes, given]; }, function () { return whole(blob); });
    } catch (noByob) {
      return whole(blob);
    }
  };
})();
if (self.name === 'fetch') {
  // A fetch worker (web/src/worker/fetchers.rs): no WebAssembly; it answers [id, file, start,
  // end] with [id, a Uint8Array of the slice (its buffer transferred), whether it was read into a
  // buffer given back] or [id, the browser's error], and takes [buffer] as a buffer given back
  // to read the next slices into.
  var spares = [];
  var MOST_SPARES = 4;
  var SPARES_KEPT_MS = 2000;
  var idle = 0;
  var bufferFor = function (len) {
    var best = -1;
    for (var i = 0; i < spares.length; i++) {
      if (spares[i].byteLength >= len && (best < 0 || spares[i].byteLength < spares[best].byteLength)) best = i;
    }
    return best < 0 ? null : spares.splice(best, 1)[0];
  };
  self.onmessage = function (event) {
    var ask = event.data;
    clearTimeout(idle);
    idle = setTimeout(function () { spares = []; }, SPARES_KEPT_MS);
    if (ask.length === 1) {
      spares.push(ask[0]);
      if (spares.length > MOST_SPARES) spares.shift();
      return;
    }
    var slice = ask[1].slice(ask[2], ask[3]);
    self.__smicReadSlice(slice, bufferFor(slice.size)).then(function (read) {
      self.postMessage([ask[0], read[0], read[1]], [read[0].buffer]);
    }, function (error) {
      self.postMessage([ask[0], String(error)]);
    });
  };
} else {
  if (typeof wasm_bindgen === 'undefined') importScripts('./worker.js');
  var start = function (module) {
    wasm_bindgen({ module_or_path: module || self.__smicWorkerWasm || './worker_bg.wasm' }).catch(function (error) {
      self.postMessage(JSON.stringify({ Crashed: { message: 'the checker could not start: ' + error } }));
    });
  };
  // A pool worker (web/src/worker/pool/members.rs) is first sent the compiled WebAssembly.Module
  // of the worker that started it (or null): it is not fetched and compiled again, and the code
  // the browser optimises in one worker serves them all.
  if (self.name === 'pool') {
    self.onmessage = function (event) {
      self.onmessage = null;
      start(event.data instanceof WebAssembly.Module ? event.data : null);
    };
  } else {
    start(null);
  }
}
