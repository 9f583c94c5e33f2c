"""Protobuf wire bytes for test and benchmark inputs (the profile.proto
writers in tests/cli/overflow_test.py, hostile_output_test.py and
bench/memory_shapes.py build on these)."""


def varint(v):
    v &= (1 << 64) - 1  # negative int64: ten bytes, as Go writes them
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(num, payload):  # length-delimited
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def num_field(num, v):
    return varint(num << 3) + varint(v)


def packed(num, values):
    return field(num, b"".join(varint(v) for v in values))


# Reading: a varint at b[i] (value, next index), and a message as (field number, raw bytes) pairs.
def read_varint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return v, i


def raw_fields(b):
    i = 0
    while i < len(b):
        start = i
        key, i = read_varint(b, i)
        wt = key & 7
        if wt == 0:
            _, i = read_varint(b, i)
        elif wt == 2:
            n, i = read_varint(b, i)
            i += n
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        else:
            raise ValueError(f"wire type {wt}")
        yield key >> 3, b[start:i]
