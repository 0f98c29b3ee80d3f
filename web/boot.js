// Starts the page's WebAssembly. A file of its own, so the Content-Security-Policy allows no
// inline script. The single-file build sets self.__smicAppWasm to the wasm bytes first.
'use strict';
(function () {
  function fatal(error) {
    var banner = document.getElementById('fatal');
    if (!banner) return;
    banner.textContent = 'The checker could not start in this browser: ' + error;
    banner.hidden = false;
  }
  if (typeof wasm_bindgen !== 'function') {
    fatal('its script did not load');
    return;
  }
  wasm_bindgen({ module_or_path: self.__smicAppWasm || './app_bg.wasm' }).then(
    function (exports) { self.smicWasm = exports; },
    fatal
  );
})();
