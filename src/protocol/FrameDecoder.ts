/**
 * Incremental receive-side framer: buffers bytes, resynchronises past
 * garbage, hands out complete checksum-valid frames the moment they are in,
 * and reports every discarded byte (never drops silently). Pure: no timers,
 * no I/O; the bus feeds it and sets `expect` while a request awaits its reply.
 */
import type { BoardCodec, BoardFrame, BoardRequest } from "./BoardCodec.js";

export interface FrameDecoderSink {
  frame(frame: BoardFrame): void;
  discard(bytes: Buffer): void;
}

export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  /** The request awaiting a reply, if any (settles ambiguous shapes). */
  expect: BoardRequest | undefined;

  constructor(
    private readonly codec: BoardCodec,
    private readonly sink: FrameDecoderSink,
  ) {}

  /** Feed received bytes; calls the sink synchronously for each frame and each run of garbage. */
  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      const r = this.codec.scan(this.buf, this.expect);
      if (r.skip > 0) this.sink.discard(Buffer.from(this.buf.subarray(0, r.skip)));
      if (r.type === "incomplete") {
        this.buf = this.buf.subarray(r.skip);
        return;
      }
      this.buf = this.buf.subarray(r.skip + r.length);
      this.sink.frame(r.frame);
      if (this.buf.length === 0) return;
    }
  }

  /** Bytes held waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  /** Drop whatever is buffered (after a failed exchange), reporting it as discarded. */
  flush(): void {
    if (this.buf.length > 0) this.sink.discard(Buffer.from(this.buf));
    this.buf = Buffer.alloc(0);
  }
}
