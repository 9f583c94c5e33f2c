// The page's embedded data as web/page.cc writes it: the payload (page_data.cc's binary form)
// deflated in the zlib format, its bytes put into a <script> element of the windows-1252 page
// nearly as they are. Read back here: characters to bytes, '=' escapes undone, inflated by the
// browser's DecompressionStream, then the JSON parsed with its integer arrays
// ({"bin":[offset,length]}) as views of the bytes after its NUL.

// The characters windows-1252 gives bytes 0x80-0x9F (the WHATWG Encoding Standard's index);
// every other byte b is the character b.
export const WINDOWS_1252_HIGH = [0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d,
  0x17e, 0x178];
const ESCAPED = { 0x40: 0x00, 0x4d: 0x0d, 0x7c: 0x3c, 0x7d: 0x3d };  // '=' then the byte + 0x40: NUL, CR, '<', '='

const damaged = () => new Error("the page's data is damaged (was the file re-encoded?)");

// The element's text -> the deflated bytes.
export function scriptBytes(text) {
  const back = new Int16Array(0x2200).fill(-1);  // character -> byte
  for (let b = 0; b < 0x100; b++) if (b < 0x80 || b >= 0xa0) back[b] = b;
  WINDOWS_1252_HIGH.forEach((c, i) => { back[c] = 0x80 + i; });
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let b = c < back.length ? back[c] : -1;
    if (b === 0x3d) b = ESCAPED[text.charCodeAt(++i)] ?? -1;
    else if (b === 0x00 || b === 0x0d || b === 0x3c) b = -1;  // always escaped
    if (b < 0) throw damaged();
    out[n++] = b;
  }
  return out.subarray(0, n);
}

export async function inflate(bytes) {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw damaged();
  }
}

// The inflated payload -> the data object (integer arrays as Uint8Array views: decodeArray reads them).
export function parsePayload(bytes) {
  const nul = bytes.indexOf(0);
  if (nul < 0) throw damaged();
  const blob = bytes.subarray(nul + 1);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(0, nul)), (k, v) => {
    if (v === null || typeof v !== "object" || !Array.isArray(v.bin)) return v;
    const [at, len] = v.bin;
    if (!(Number.isInteger(at) && Number.isInteger(len) && at >= 0 && len >= 0 && at + len <= blob.length)) {
      throw new Error("the page's data is inconsistent");
    }
    return blob.subarray(at, at + len);
  });
}

export async function readPayload(text) {
  return parsePayload(await inflate(scriptBytes(text)));
}
