// Starts the worker's WebAssembly. The single-file build prepends worker.js and sets
// self.__smicWorkerWasm to the wasm bytes; served, both are fetched from beside this file.
// Started with the name 'fetch', it is a fetch worker instead (web/src/worker/fetchers.rs): no
// WebAssembly; it answers [id, file, start, end] with [id, the slice's ArrayBuffer]
// (transferred) or [id, the browser's error].
'use strict';
if (self.name === 'fetch') {
  self.onmessage = function (event) {
    var ask = event.data;
    ask[1].slice(ask[2], ask[3]).arrayBuffer().then(function (buffer) {
      self.postMessage([ask[0], buffer], [buffer]);
    }, function (error) {
      self.postMessage([ask[0], String(error)]);
    });
  };
} else {
  if (typeof wasm_bindgen === 'undefined') importScripts('./worker.js');
  wasm_bindgen({ module_or_path: self.__smicWorkerWasm || './worker_bg.wasm' }).catch(function (error) {
    self.postMessage(JSON.stringify({ Crashed: { message: 'the checker could not start: ' + error } }));
  });
}
