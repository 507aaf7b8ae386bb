import { readFileSync } from 'node:fs';
import { Input, FilePathSource, ALL_FORMATS, EncodedPacketSink, Output, Mp4OutputFormat, FilePathTarget, EncodedVideoPacketSource, EncodedPacket } from 'mediabunny';
const dir = '/tmp/film-exp/proj/renders';
const mode = process.argv[2];
const files = process.argv.slice(3);
const out = new Output({ format: new Mp4OutputFormat({ fastStart: 'reserve' }), target: new FilePathTarget(`${dir}/cut-${mode}.mp4`) });
const src = new EncodedVideoPacketSource('avc');
out.addVideoTrack(src, { maximumPacketCount: 1000 });
await out.start();
let offset = 0; let first = true;
for (const f of files) {
  const input = new Input({ source: new FilePathSource(`${dir}/${f}.mp4`), formats: ALL_FORMATS });
  const v = (await input.getPrimaryVideoTrack())!;
  const cfg = (await v.getDecoderConfig())!;
  const desc = new Uint8Array(cfg.description as ArrayBuffer);
  const nSps = desc[5]! & 0x1f; let p = 6; const nals: Uint8Array[] = [];
  for (let i = 0; i < nSps; i++) { const l = (desc[p]! << 8) | desc[p+1]!; nals.push(desc.subarray(p+2, p+2+l)); p += 2 + l; }
  const nPps = desc[p]!; p++;
  for (let i = 0; i < nPps; i++) { const l = (desc[p]! << 8) | desc[p+1]!; nals.push(desc.subarray(p+2, p+2+l)); p += 2 + l; }
  const sink = new EncodedPacketSink(v);
  let start = Infinity, end = 0, k = 0;
  for await (const pk of sink.packets()) {
    start = Math.min(start, pk.timestamp); end = Math.max(end, pk.timestamp + pk.duration);
    let data = pk.data;
    if (k === 0 && mode === 'avc3') {
      const parts = nals.flatMap(n => { const h = new Uint8Array(4); new DataView(h.buffer).setUint32(0, n.length); return [h, n]; });
      const total = parts.reduce((s, x) => s + x.length, 0) + data.length;
      const merged = new Uint8Array(total); let o = 0; for (const x of [...parts, data]) { merged.set(x, o); o += x.length; }
      data = merged;
    }
    await src.add(new EncodedPacket(data, pk.type, offset + pk.timestamp, pk.duration), first ? { decoderConfig: { ...cfg, codec: mode === 'avc3' ? cfg.codec.replace('avc1', 'avc3') : cfg.codec } } : undefined);
    first = false; k++;
  }
  offset += end - start;
}
src.close();
await out.finalize();
console.log('ok', mode);
