#!/usr/bin/env python3
"""Turns the Trunk build (dist/) into one self-contained HTML file that works from file://.

A page opened from disk has the origin `null`: it may not fetch its .wasm files or load module
scripts. So everything goes inline: the stylesheet, app.js with its wasm as base64, and the
worker — worker.js, its wasm and worker-boot.js — as the text of a blob: URL the app starts
(`window.__smicWorkerUrl`). The Content-Security-Policy allows exactly these inline scripts and
style by their hashes, WebAssembly, and workers from blob:; connect-src 'none' forbids every
fetch, XHR, WebSocket and beacon.

Usage: single_file.py DIST OUT.html
"""
import base64
import hashlib
import json
import os
import re
import sys


def read(dist, name, mode="r"):
    with open(os.path.join(dist, name), mode) as f:
        return f.read()


def js_string(text):
    """A JavaScript string literal that cannot end the <script> element it sits in."""
    return json.dumps(text).replace("</", "<\\/")


def csp_hash(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def main(dist, out):
    index = read(dist, "index.html")
    body = re.search(r"<body>(.*)</body>", index, re.S)
    if not body:
        sys.exit(f"{dist}/index.html has no <body>")
    # The served page's own script tags are replaced by the inline ones below.
    body_html = re.sub(r"\s*<script[^>]*></script>", "", body.group(1)).strip()
    title = re.search(r"<title>(.*?)</title>", index, re.S).group(1)
    icon = read(dist, "favicon.svg").strip()

    def wasm_literal(name):
        return "Uint8Array.from(atob(" + js_string(base64.b64encode(read(dist, name, "rb")).decode()) + "), function (c) { return c.charCodeAt(0); })"

    worker_source = (
        read(dist, "worker.js")
        + "\n;self.__smicWorkerWasm = " + wasm_literal("worker_bg.wasm") + ";\n"
        + read(dist, "worker-boot.js")
    )
    worker_script = (
        "window.__smicWorkerUrl = URL.createObjectURL(new Blob([" + js_string(worker_source)
        + "], { type: 'text/javascript' }));"
    )
    app_script = (
        read(dist, "app.js")
        + "\n;self.__smicAppWasm = " + wasm_literal("app_bg.wasm") + ";\n"
        + read(dist, "boot.js")
    )
    style = read(dist, "style.css")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {csp_hash(worker_script)} {csp_hash(app_script)} 'wasm-unsafe-eval'",
        f"style-src {csp_hash(style)}",
        "worker-src blob:",
        "connect-src 'none'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    icon_url = "data:image/svg+xml;base64," + base64.b64encode(icon.encode()).decode()
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<link rel="icon" href="{icon_url}" type="image/svg+xml">
<style>{style}</style>
</head>
<body>
{body_html}
<script>{worker_script}</script>
<script>{app_script}</script>
</body>
</html>
"""
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        f.write(page)
    print(f"{out}: {len(page.encode())} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
