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
