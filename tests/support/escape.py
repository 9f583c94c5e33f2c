"""pprofx's escaping of text reports (base::text_escaped) in Python, for
comparing pprofx's text reports with pprof's: control characters as \\n \\r
or \\xHH (tabs kept), each byte of invalid UTF-8 as \\xHH, valid UTF-8 kept
(but C1 controls, U+0080-U+009F, escaped byte by byte)."""


def terminal(data: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        c = data[i]
        if c < 0x80:
            if c == 0x0A:
                out += b"\\n"
            elif c == 0x0D:
                out += b"\\r"
            elif c == 0x09:
                out.append(c)  # text reports keep tabs, as pprof prints them (base::text_escaped)
            elif c < 0x20 or c == 0x7F:
                out += b"\\x%02x" % c
            else:
                out.append(c)
            i += 1
            continue
        n = 2 if 0xC2 <= c <= 0xDF else 3 if 0xE0 <= c <= 0xEF else 4 if 0xF0 <= c <= 0xF4 else 0
        try:
            if n == 0:
                raise ValueError
            ch = data[i:i + n].decode("utf-8")  # strict: no overlong forms, surrogates or values past U+10FFFF
            if 0x80 <= ord(ch) <= 0x9F:  # C1 controls
                raise ValueError
            out += data[i:i + n]
            i += n
        except (ValueError, UnicodeDecodeError):
            out += b"\\x%02x" % c
            i += 1
    return bytes(out)


def terminal_lines(text: bytes) -> bytes:
    """Each line escaped, the line ends kept."""
    return b"\n".join(terminal(line) for line in text.split(b"\n"))
