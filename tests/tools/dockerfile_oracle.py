#!/usr/bin/env python3
"""BuildKit's own Dockerfile parser as a test oracle for crates/dockerfile.

The parser is the PyPI package `dockerfile` (3.4.0): a CPython extension that wraps
github.com/moby/buildkit/frontend/dockerfile/parser (BuildKit v0.12.5). tests/setup.sh puts it in
a venv and exports SMIC_DOCKERFILE_ORACLE_PYTHON; crates/dockerfile/tests/oracle_differential.rs
runs this script with that python.

    dockerfile_oracle.py FILE         one JSON object per line: a "meta" record, then either one
                                      {"kind": "error", "message"} or, per instruction,
                                      {"kind": "instruction", "keyword", "start_line", "end_line",
                                       "json", "flags", "values", "heredocs": [{"name", "content"}]}
    dockerfile_oracle.py --dump FILE  the AST in the format of BuildKit's parser/testfiles/*/result
                                      as BuildKit prints it today (ENV and LABEL as key value
                                      separator triples, which v0.12.5 itself did not print yet)

Standard library plus `dockerfile` only.
"""
import json
import re
import sys
import unicodedata

try:
    import dockerfile
except ImportError:
    sys.exit("dockerfile_oracle.py: this python lacks the PyPI package `dockerfile` (pip install dockerfile==3.4.0)")

ORACLE = {"kind": "meta", "oracle": "PyPI dockerfile 3.4.0", "buildkit": "v0.12.5"}

# Go's strconv.Quote spells these control characters with a letter.
LETTER_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
# The separator BuildKit's parser splits words on (its reWhitespace).
WHITESPACE = re.compile(r"[\t\v\f\r ]+")


def go_printable(ch):
    """strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space."""
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def go_quote(text):
    """strconv.Quote of a string the binding has already decoded from UTF-8."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif go_printable(ch):
            out.append(ch)
        elif ch in LETTER_ESCAPES:
            out.append(LETTER_ESCAPES[ch])
        elif code < 0x80:
            out.append("\\x%02x" % code)
        elif 0xD800 <= code < 0xE000:
            out.append("\\ufffd")  # a lone surrogate stands for a byte Go would call invalid
        elif code <= 0xFFFF:
            out.append("\\u%04x" % code)
        else:
            out.append("\\U%08x" % code)
    return '"' + "".join(out) + '"'


def parse(path):
    """(commands, None) or (None, the parser's error message)."""
    try:
        return dockerfile.parse_file(path), None
    except dockerfile.GoParseError as err:
        return None, str(err)


def key_value_separator(command):
    """`=` for ENV/LABEL written `K=V ...`, empty for the legacy `K V` form.

    The binding gives only key, value, key, value: the form is read back from the line. BuildKit
    takes the legacy form exactly when the first word after the keyword has no `=`, and then
    yields one pair, so a single pair is in `=` form iff the words start with `key=`.
    """
    values = command.value or ()
    if len(values) > 2:
        return "="
    words = WHITESPACE.split(command.original.split("\n", 1)[0].strip())
    keywords = 2 if command.sub_cmd else 1
    rest = [w for w in words[keywords:] if not w.startswith("--")]
    return "=" if rest and values and rest[0].startswith(values[0] + "=") else ""


def dump_node(keyword, flags, values):
    text = keyword.lower()
    if flags:
        text += " [" + " ".join(go_quote(f) for f in flags) + "]"
    return text + "".join(" " + go_quote(v) for v in values)


def dump_command(command):
    values = list(command.value or ())
    inner = command.sub_cmd or command.cmd
    if inner.lower() in ("env", "label") and values:
        separator = key_value_separator(command)
        values = [part for i in range(0, len(values) - 1, 2) for part in (values[i], values[i + 1], separator)]
    if command.sub_cmd:
        # The binding drops the wrapped instruction's own flags; ONBUILD's are kept.
        return "(" + dump_node(command.cmd, command.flags, []) + " (" + dump_node(inner, [], values) + "))"
    return "(" + dump_node(command.cmd, command.flags, values) + ")"


def records(path):
    yield dict(ORACLE, file=path)
    commands, error = parse(path)
    if error is not None:
        yield {"kind": "error", "message": error}
        return
    for command in commands:
        yield {
            "kind": "instruction",
            "keyword": command.cmd,
            "sub_keyword": command.sub_cmd,
            "start_line": command.start_line,
            "end_line": command.end_line,
            "json": bool(command.json),
            "flags": list(command.flags or ()),
            "values": list(command.value or ()),
            "heredocs": [{"name": h.name, "content": h.content} for h in command.heredocs or ()],
        }


def main(args):
    if args[:1] == ["--dump"] and len(args) == 2:
        commands, error = parse(args[1])
        if error is not None:
            sys.exit("parse error: " + error)
        sys.stdout.write("".join(dump_command(c) + "\n" for c in commands))
    elif len(args) == 1 and not args[0].startswith("-"):
        for record in records(args[0]):
            print(json.dumps(record, ensure_ascii=False))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
