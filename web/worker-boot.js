// Starts the worker's WebAssembly. The single-file build prepends worker.js and sets
// self.__smicWorkerWasm to the wasm bytes; served, both are fetched from beside this file.
'use strict';
if (typeof wasm_bindgen === 'undefined') importScripts('./worker.js');
wasm_bindgen({ module_or_path: self.__smicWorkerWasm || './worker_bg.wasm' }).catch(function (error) {
  self.postMessage(JSON.stringify({ Crashed: { message: 'the checker could not start: ' + error } }));
});
